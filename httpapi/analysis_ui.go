package httpapi

import (
	"context"
	"fmt"
	"maps"
	"math"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/sector"
	"github.com/cipmap/cipmap/taxonomy"
	"github.com/cipmap/cipmap/trace"
)

// analysisMessages are the words of the analysis pages, merged into messages.
var analysisMessages = map[string][2]string{ // key → {zh, en}
	"an.nav.tags":       {"技术标签", "Technology tags"},
	"an.nav.crosswalk":  {"代码对照", "Crosswalk"},
	"an.nav.trace":      {"资金追踪", "Follow the money"},
	"an.nav.path":       {"关系链", "Paths"},
	"an.nav.review":     {"人工复核", "Review"},
	"an.tags":           {"CTT 技术标签", "CTT technology tags"},
	"an.tags.intro":     {"点击标签查看其产业画像；勾选多个标签进行对比。", "Open a tag for its sector profile; tick several to compare them."},
	"an.tag":            {"标签", "Tag"},
	"an.name.zh":        {"中文名称", "Chinese name"},
	"an.name.en":        {"英文名称", "English name"},
	"an.compare":        {"对比所选产业", "Compare the ticked sectors"},
	"an.sector":         {"产业画像", "Sector profile"},
	"an.subtree":        {"下级标签", "Tags under it"},
	"an.years":          {"年份", "Years"},
	"an.from":           {"起始年", "From year"},
	"an.to":             {"截止年", "To year"},
	"an.apply":          {"应用", "Apply"},
	"an.summary":        {"概况", "Summary"},
	"an.firms":          {"企业数", "Firms"},
	"an.patents":        {"专利（分数计数）", "Patents (fractional)"},
	"an.bounds":         {"上下界", "bounds"},
	"an.hhi":            {"集中度 HHI", "Concentration (HHI)"},
	"an.index":          {"架构指数（1 = 指令，0 = 市场）", "Architecture index (1 = command, 0 = market)"},
	"an.charts":         {"图表", "Charts"},
	"an.download.svg":   {"下载 SVG", "Download SVG"},
	"an.download.csv":   {"下载数据 CSV", "Download data (CSV)"},
	"an.components":     {"架构分量", "Architecture components"},
	"an.component":      {"分量", "Component"},
	"an.topfirms":       {"主要企业", "Top firms"},
	"an.province":       {"省份", "Province"},
	"an.founded":        {"成立年份", "Founded"},
	"an.revenue":        {"营业收入（元）", "Revenue (CNY)"},
	"an.policies":       {"针对该产业的政策", "Policies targeting the sector"},
	"an.programs":       {"认定其企业的项目", "Programs designating its firms"},
	"an.date":           {"日期", "Date"},
	"an.level":          {"层级", "Level"},
	"an.instruments":    {"政策工具", "Instruments"},
	"an.compared":       {"产业对比：指令 ↔ 市场", "Sectors compared: command ↔ market"},
	"an.index.short":    {"指数", "Index"},
	"an.index.note":     {"指数为各可得分量的平均值；1 = 国家主导（指令），0 = 市场主导。", "The index is the mean of the components with data; 1 is command (state-led), 0 is market."},
	"an.entryrate":      {"新进入率", "Entry rate"},
	"an.crosswalk":      {"代码对照与标签", "Crosswalk and tagging"},
	"an.convert":        {"代码转换", "Convert a code"},
	"an.system.from":    {"源体系", "From system"},
	"an.system.to":      {"目标体系", "To system"},
	"an.code":           {"代码", "Code"},
	"an.go":             {"转换", "Convert"},
	"an.weight":         {"权重", "Weight"},
	"an.weighttype":     {"权重类型", "Weight type"},
	"an.partial":        {"部分对应", "Partial"},
	"an.route":          {"路径", "Route"},
	"an.unmapped":       {"未映射份额", "Unmapped share"},
	"an.best":           {"最佳匹配", "Best match"},
	"an.distribution":   {"目标分布", "Distribution over target codes"},
	"an.edges":          {"对照边（每步）", "Crosswalk edges (each step)"},
	"an.tagtext":        {"文本打标签", "Tag a text"},
	"an.text":           {"文本", "Text"},
	"an.dotag":          {"打标签", "Tag it"},
	"an.evidence":       {"匹配关键词（证据）", "Matched keywords (evidence)"},
	"an.confidence":     {"置信度", "Confidence"},
	"an.notags":         {"没有匹配的标签。", "No tag matched."},
	"an.trace":          {"资金追踪", "Follow the money"},
	"an.trace.from":     {"出发实体（政府部门、基金、政策、项目或企业；ID 或名称）", "From (government body, fund, policy, program or firm; id or name)"},
	"an.trace.to":       {"限于（企业或技术标签）", "Only to (a firm or a CTT tag)"},
	"an.depth":          {"最大层数", "Depth"},
	"an.at":             {"日期（YYYY-MM-DD）", "Date (YYYY-MM-DD)"},
	"an.channel":        {"渠道", "Channels"},
	"an.any":            {"全部", "any"},
	"an.trace.go":       {"追踪", "Trace"},
	"an.funds":          {"穿透基金", "Funds looked through"},
	"an.share":          {"穿透份额", "Look-through share"},
	"an.chains":         {"链条数", "Chains"},
	"an.flows":          {"资金流", "Flows"},
	"an.reached":        {"所到企业", "Firms reached"},
	"an.attributed":     {"归属金额（元）", "Attributed (CNY)"},
	"an.amount":         {"金额（元）", "Amount (CNY)"},
	"an.total":          {"合计", "Total"},
	"an.chainlist":      {"资金链条（每条边附数据来源）", "Chains, each edge with its dataset and source"},
	"an.subsidiaries":   {"子公司", "Subsidiaries"},
	"an.parent":         {"母公司", "Parent"},
	"an.unconverted":    {"笔资金流无法换算为人民币，计入笔数但不计入金额。", "flow(s) have no amount in yuan; they count in flows, not in amounts."},
	"an.truncated":      {"链条过多，结果已截断；请减小层数。", "Too many chains: the result is truncated; give a smaller depth."},
	"an.shown":          {"仅显示前 %d 条。", "Only the first %d are shown."},
	"an.path":           {"最短关系链", "Shortest chains"},
	"an.path.a":         {"实体 A（ID 或名称）", "Entity A (id or name)"},
	"an.path.b":         {"实体 B（ID 或名称）", "Entity B (id or name)"},
	"an.path.go":        {"查找", "Find"},
	"an.nopath":         {"在 8 条边以内没有关系链。", "No chain of at most 8 edges."},
	"an.chain":          {"链条", "Chain"},
	"an.step":           {"步", "Step"},
	"an.relation":       {"关系", "Relation"},
	"an.review":         {"人工复核队列", "Review queue"},
	"an.review.intro":   {"上次实体识别不确定的企业记录对，按概率排序。", "Pairs of firm records the last resolve was unsure of, most probable first."},
	"an.review.empty":   {"没有待复核的记录对。", "No pairs wait for review."},
	"an.pair":           {"记录对", "Pair"},
	"an.probability":    {"匹配概率", "Match probability"},
	"an.explanation":    {"评分说明", "Why this score"},
	"an.same":           {"同一企业", "Same firm"},
	"an.different":      {"不同企业", "Different firms"},
	"an.unsure":         {"不确定", "Unsure"},
	"an.recordA":        {"记录 A", "Record A"},
	"an.recordB":        {"记录 B", "Record B"},
	"an.field":          {"字段", "Field"},
	"an.reviewer":       {"复核人", "Reviewer"},
	"an.recorded":       {"已记录决定：", "Decision recorded:"},
	"an.judgements":     {"条复核决定", "judgements in all"},
	"an.signin":         {"登录", "Sign in"},
	"an.signout":        {"退出", "Sign out"},
	"an.signin.intro":   {"输入服务器的 CIPMAP_TOKEN 以记录复核决定。", "Give the server's CIPMAP_TOKEN to record review decisions."},
	"an.token":          {"令牌", "Token"},
	"an.signin.wrong":   {"令牌错误。", "Wrong token."},
	"an.signin.off":     {"本服务器未启用写操作（未设置 CIPMAP_TOKEN）。", "Writes are disabled on this server (no CIPMAP_TOKEN)."},
	"an.signin.ok":      {"已登录，可以记录复核决定。", "Signed in: you can record review decisions."},
	"an.signin.needed":  {"登录后才能记录决定。", "Sign in to record decisions."},
	"an.sectors.ofFirm": {"所属产业", "Sectors"},
	"an.json":           {"JSON", "JSON"},
}

func init() {
	for k, v := range analysisMessages {
		if _, dup := messages[k]; dup {
			panic("httpapi: message " + k + " defined twice")
		}
		messages[k] = v
	}
}

// L returns a label in the page's language.
func (p *page) L(l cipmap.Label) string {
	if p.Lang == "zh" && l.ZH != "" || l.EN == "" {
		return l.ZH
	}
	return l.EN
}

// Yuan formats an amount in yuan with separators: 1,234,567.89.
func (p *page) Yuan(x float64) string {
	neg := x < 0
	x = math.Abs(math.Round(x*100) / 100)
	whole := strconv.FormatFloat(math.Floor(x), 'f', 0, 64)
	frac := fmt.Sprintf("%.2f", x-math.Floor(x))[1:]
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	s := b.String() + frac
	if neg {
		s = "-" + s
	}
	return s
}

// YuanP formats an amount that may be missing.
func (p *page) YuanP(x *float64) string {
	if x == nil {
		return "—"
	}
	return p.Yuan(*x)
}

// Pct formats a share of 1 as a percentage.
func (p *page) Pct(x float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(100*x, 'f', 4, 64), "0"), ".") + "%"
}

// PctP formats a share that may be missing.
func (p *page) PctP(x *float64) string {
	if x == nil {
		return ""
	}
	return p.Pct(*x)
}

// F formats a number with up to digits decimals.
func (p *page) F(x float64, digits int) string { return strconv.FormatFloat(x, 'f', digits, 64) }

// Comp formats an architecture component, "n/a" without data.
func (p *page) Comp(a sector.Architecture, k string) string {
	if v, ok := a.Components[k]; ok {
		return fmt.Sprintf("%.3f", v)
	}
	return "n/a"
}

// CompName names a component of the architecture index.
func (p *page) CompName(k string) string { return p.L(sector.ComponentNames[k]) }

// Components are the components of the architecture index, in order.
func (p *page) Components() []string { return sector.Components }

// entityHref links an entity: firms to their page, others to the entity page.
func entityHref(n trace.Node) string { return pathOf(n.Schema, n.ID) }

// tagRow is a line of the tag browser.
type tagRow struct {
	ID     string
	Name   cipmap.Label
	Indent int // em
}

func (s *Server) uiTags(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.tags")
	std, err := s.an.std.get(r.Context())
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	var rows []tagRow
	var walk func(ts []*cipmap.Tag, depth int)
	walk = func(ts []*cipmap.Tag, depth int) {
		for _, t := range ts {
			rows = append(rows, tagRow{ID: t.ID, Name: t.Name, Indent: depth})
			walk(std.Children(t.ID), depth+1)
		}
	}
	walk(std.Roots(), 0)
	p.Data = map[string]any{"Tags": rows, "Version": std.Version}
	s.render(w, r, "tags", p, http.StatusOK)
}

// sectorPage is what the sector page shows.
type sectorPage struct {
	P       *sector.Profile
	Tree    *TagTree
	Charts  []*sector.Chart
	Years   string // "?from=..&to=.." for links, or ""
	From    string
	To      string
	Summary [][2]string
}

func yearsQuery(from, to int) string {
	q := url.Values{}
	if from != 0 {
		q.Set("from", strconv.Itoa(from))
	}
	if to != 0 {
		q.Set("to", strconv.Itoa(to))
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return strconv.Itoa(y)
}

func (s *Server) uiSector(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.sector")
	from, to, err := years(r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	tag := r.PathValue("tag")
	tree, err := s.tagTree(r.Context(), tag)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	prof, err := s.sector(r.Context(), tag, from, to)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	p.Title = p.L(prof.Name) + " · " + p.T("an.sector")
	p.Data = &sectorPage{P: prof, Tree: tree, Charts: prof.Charts(), Years: yearsQuery(from, to), From: yearText(from), To: yearText(to)}
	s.render(w, r, "sector", p, http.StatusOK)
}

func (s *Server) uiSectorCompare(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.compared")
	c, tags, err := s.compare(r.Context(), r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	from, to, _ := years(r)
	p.Data = map[string]any{"Sectors": c.Sectors, "Tags": tags, "Spectrum": spectrum(c.Sectors, p.Lang),
		"Years": yearsQuery(from, to), "From": yearText(from), "To": yearText(to)}
	s.render(w, r, "compare", p, http.StatusOK)
}

// hop is one step of a conversion with the crosswalk edges it used.
type hop struct {
	From, To string
	Edges    []cipmap.CrosswalkEdge
	More     int // edges not shown
}

// maxHopEdges bounds the edges shown for one step.
const maxHopEdges = 60

func (s *Server) uiCrosswalk(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.crosswalk")
	q := r.URL.Query()
	from, to, code := strings.TrimSpace(q.Get("from")), strings.TrimSpace(q.Get("to")), strings.TrimSpace(q.Get("code"))
	text := strings.TrimSpace(q.Get("text"))
	data := map[string]any{"From": from, "To": to, "Code": code, "Text": text}
	p.Data = data
	reg, err := s.registry.get(r.Context())
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	systems := reg.Systems()
	sort.Slice(systems, func(i, j int) bool { return systems[i].ID < systems[j].ID })
	data["Systems"] = systems
	if from == "" {
		data["From"] = "gbt4754-2017"
	}
	if to == "" {
		data["To"] = taxonomy.CTT
	}
	status := http.StatusOK
	if code != "" {
		res, hops, err := s.convert(reg, from, code, to)
		if err != nil {
			data["ConvertError"] = cipmap.ErrorMessage(err)
			status = StatusOf(cipmap.ErrorCode(err))
		} else {
			data["Result"], data["Hops"] = res, hops
		}
	}
	if text != "" {
		if len(text) > 4000 {
			data["TagError"] = "text: at most 4000 bytes"
			status = http.StatusBadRequest
		} else if tg, err := s.tagger.get(r.Context()); err != nil {
			s.uiError(w, r, p, err)
			return
		} else {
			res := tg.Tag(text)
			std, err := s.an.std.get(r.Context())
			if err != nil {
				s.uiError(w, r, p, err)
				return
			}
			var rows []tagMatch
			for _, t := range res.Tags {
				m := tagMatch{Tag: t.Tag, Weight: t.Weight}
				if x := std.Tag(t.Tag); x != nil {
					m.Name = x.Name
				}
				for _, e := range t.Evidence {
					ev := evidence{Keyword: e.Keyword, Kind: e.Kind}
					if e.Start >= 0 && e.End <= len(text) && e.Start < e.End {
						ev.Matched = text[e.Start:e.End]
					}
					m.Evidence = append(m.Evidence, ev)
				}
				rows = append(rows, m)
			}
			data["Tags"], data["Confidence"], data["Tagged"] = rows, res.Confidence, true
		}
	}
	s.render(w, r, "crosswalk", p, status)
}

// tagMatch is a tag found in a text with the words that gave it.
type tagMatch struct {
	Tag      string
	Name     cipmap.Label
	Weight   float64
	Evidence []evidence
}

type evidence struct {
	Keyword, Kind, Matched string
}

// convert converts a code and lists the crosswalk edges of each step: from the
// code, then from each code reached at the step before.
func (s *Server) convert(reg *taxonomy.Registry, from, code, to string) (*taxonomy.Result, []hop, error) {
	if from == "" || to == "" {
		return nil, nil, cipmap.Errorf(cipmap.EINVALID, "give the systems to convert from and to")
	}
	if len(code) > 64 {
		return nil, nil, cipmap.Errorf(cipmap.EINVALID, "code: at most 64 bytes")
	}
	res, err := reg.Convert(from, code, to)
	if err != nil {
		return nil, nil, err
	}
	var hops []hop
	codes := []string{res.Code}
	for i := 0; i+1 < len(res.Path); i++ {
		h := hop{From: res.Path[i], To: res.Path[i+1]}
		var next []string
		seen := map[string]bool{}
		for _, c := range codes {
			es, err := reg.Edges(h.From, c, h.To)
			if err != nil {
				continue
			}
			for _, e := range es {
				if len(h.Edges) < maxHopEdges {
					h.Edges = append(h.Edges, e)
				} else {
					h.More++
				}
				if !seen[e.To] {
					seen[e.To] = true
					next = append(next, e.To)
				}
			}
		}
		hops = append(hops, h)
		if len(next) > 200 {
			next = next[:200]
		}
		codes = next
	}
	return res, hops, nil
}

// maxReaches bounds the chains the trace page lists.
const maxReaches = 200

// chainStep is one edge of a chain, with the names of its ends.
type chainStep struct {
	From, To trace.Node
	Back     bool // walked against the edge's direction (paths)
	E        *trace.Edge
}

type reachRow struct {
	R     trace.Reach
	Steps []chainStep
}

func steps(nodes map[string]trace.Node, es []*trace.Edge) []chainStep {
	out := make([]chainStep, 0, len(es))
	for _, e := range es {
		f, t := nodes[e.From], nodes[e.To]
		if f.ID == "" {
			f.ID = e.From
		}
		if t.ID == "" {
			t.ID = e.To
		}
		out = append(out, chainStep{From: f, To: t, E: e})
	}
	return out
}

func (s *Server) uiTrace(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.trace")
	q := r.URL.Query()
	data := map[string]any{"From": q.Get("from"), "To": q.Get("to"), "Depth": q.Get("depth"), "At": q.Get("at"),
		"Channels": traceChannels, "Chosen": map[string]bool{}}
	for _, v := range q["channel"] {
		for _, c := range strings.Split(v, ",") {
			data["Chosen"].(map[string]bool)[strings.TrimSpace(c)] = true
		}
	}
	if data["Depth"] == "" {
		data["Depth"] = "5"
	}
	p.Data = data
	if strings.TrimSpace(q.Get("from")) == "" {
		s.render(w, r, "trace", p, http.StatusOK)
		return
	}
	tr, err := parseTraceRequest(r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	res, err := s.trace(r.Context(), tr)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	total := 0.0
	for _, f := range res.Firms {
		total += f.Attributed
	}
	var reaches []reachRow
	for i, rc := range res.Reaches {
		if i == maxReaches {
			break
		}
		reaches = append(reaches, reachRow{R: rc, Steps: steps(res.Nodes, rc.Chain)})
	}
	data["Res"], data["Total"], data["Reaches"], data["MoreReaches"] = res, total, reaches, len(res.Reaches) > maxReaches
	data["Max"] = maxReaches
	s.render(w, r, "trace", p, http.StatusOK)
}

// NodeHref links an entity of a trace.
func (p *page) NodeHref(n trace.Node) string { return entityHref(n) }

// Label names an entity of a trace.
func (p *page) Label(n trace.Node) string { return n.Label() }

// Channels lists a firm's channels in the order of cipmap.FlowChannels.
func (p *page) Channels(m map[string]float64) string {
	var out []string
	for _, c := range traceChannels {
		if _, ok := m[c]; ok {
			out = append(out, c)
		}
	}
	var rest []string
	for k := range m {
		if !contains(traceChannels, k) {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	return strings.Join(append(out, rest...), ", ")
}

// Amount formats an edge's amount in its currency.
func (p *page) Amount(e *trace.Edge) string {
	if e.Amount == nil {
		return ""
	}
	return strconv.FormatFloat(*e.Amount, 'f', -1, 64) + " " + e.Currency
}

type pathRow struct {
	Steps []chainStep
}

func (s *Server) uiPath(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.path")
	q := r.URL.Query()
	data := map[string]any{"A": q.Get("a"), "B": q.Get("b"), "At": q.Get("at")}
	p.Data = data
	if strings.TrimSpace(q.Get("a")) == "" && strings.TrimSpace(q.Get("b")) == "" {
		s.render(w, r, "path", p, http.StatusOK)
		return
	}
	res, err := s.paths(r.Context(), r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	var rows []pathRow
	for _, ph := range res.Paths {
		var st []chainStep
		for j, e := range ph.Edges {
			a, b := ph.Nodes[j], ph.Nodes[j+1]
			st = append(st, chainStep{From: a, To: b, Back: e.From != a.ID, E: e})
		}
		rows = append(rows, pathRow{st})
	}
	data["Res"], data["Paths"] = res, rows
	s.render(w, r, "path", p, http.StatusOK)
}

// sideRow is one field of a pair side by side.
type sideRow struct {
	Field       string
	Left, Right string
	Same        bool
}

type reviewRow struct {
	ReviewPair
	Rows []sideRow
}

func sideBySide(a, b ReviewRecord) []sideRow {
	var out []sideRow
	out = append(out, sideRow{Field: "id", Left: a.ID, Right: b.ID})
	if a.Dataset != "" || b.Dataset != "" {
		out = append(out, sideRow{Field: "dataset", Left: a.Dataset, Right: b.Dataset, Same: a.Dataset == b.Dataset})
	}
	for _, k := range reviewProps {
		x, y := strings.Join(a.Props[k], " | "), strings.Join(b.Props[k], " | ")
		if x == "" && y == "" {
			continue
		}
		out = append(out, sideRow{Field: k, Left: x, Right: y, Same: x != "" && x == y})
	}
	return out
}

func (s *Server) uiReview(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.review")
	rp, err := s.review(r.Context(), r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	var done map[string]any
	if q := r.URL.Query(); q.Get("done") != "" {
		// The confirmation of a decision, after the redirect: shown as text.
		done = map[string]any{"Decision": q.Get("done"), "Left": q.Get("left"), "Right": q.Get("right"), "N": q.Get("n")}
	}
	s.renderReview(w, r, p, rp, done, http.StatusOK)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, p *page, rp *ReviewPage, done map[string]any, status int) {
	var rows []reviewRow
	for _, pr := range rp.Pairs {
		rows = append(rows, reviewRow{pr, sideBySide(pr.Left, pr.Right)})
	}
	session, in := s.signedIn(r)
	data := map[string]any{"Page": rp, "Rows": rows, "Enabled": s.writesEnabled(), "SignedIn": in, "Done": done}
	if in {
		data["CSRF"] = s.csrfValue(session)
	}
	if rp.More {
		data["Next"] = fmt.Sprintf("/review?offset=%d&limit=%d", rp.Offset+rp.Limit, rp.Limit)
	}
	if rp.Offset > 0 {
		data["Prev"] = fmt.Sprintf("/review?offset=%d&limit=%d", max(0, rp.Offset-rp.Limit), rp.Limit)
	}
	p.Data = data
	s.render(w, r, "review", p, status)
}

// uiReviewJudge records a decision from the review page's form.
func (s *Server) uiReviewJudge(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "an.review")
	if err := s.checkWrite(r); err != nil {
		s.uiError(w, r, p, err)
		return
	}
	req := JudgementRequest{Left: r.PostFormValue("left_id"), Right: r.PostFormValue("right_id"),
		Decision: r.PostFormValue("decision"), Reviewer: strings.TrimSpace(r.PostFormValue("reviewer")), Note: "cipmap serve /review"}
	if req.Reviewer == "" {
		req.Reviewer = "web"
	}
	j, n, err := s.recordJudgement(r.Context(), req)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	q := url.Values{"done": {j.Decision}, "left": {j.Left}, "right": {j.Right}, "n": {strconv.Itoa(n)}}
	if off := r.PostFormValue("offset"); off != "" {
		q.Set("offset", off)
	}
	http.Redirect(w, r, "/review?"+q.Encode(), http.StatusSeeOther)
}

// recordJudgement checks a decision and records it, as POST /api/v1/judgements
// does.
func (s *Server) recordJudgement(ctx context.Context, req JudgementRequest) (cipmap.Judgement, int, error) {
	switch req.Decision {
	case "same", "different", "unsure":
	default:
		return cipmap.Judgement{}, 0, cipmap.Errorf(cipmap.EINVALID, "decision %q: want same, different or unsure", req.Decision)
	}
	if req.Left == "" || req.Right == "" || req.Left == req.Right {
		return cipmap.Judgement{}, 0, cipmap.Errorf(cipmap.EINVALID, "left_id and right_id: give two different record ids")
	}
	if len(req.Reviewer) > 100 || len(req.Note) > 1000 {
		return cipmap.Judgement{}, 0, cipmap.Errorf(cipmap.EINVALID, "reviewer (100 bytes) or note (1000 bytes) too long")
	}
	for _, id := range []string{req.Left, req.Right} {
		if _, err := s.cfg.Store.Entity(ctx, id); err != nil {
			return cipmap.Judgement{}, 0, err
		}
	}
	if req.Left > req.Right {
		req.Left, req.Right = req.Right, req.Left
	}
	j := cipmap.Judgement{Left: req.Left, Right: req.Right, Decision: req.Decision, Reviewer: req.Reviewer,
		DecidedAt: s.cfg.Now().UTC().Format(time.RFC3339), Note: req.Note, Source: "cipmap serve"}
	s.judging.Lock()
	n, err := s.cfg.Judge(ctx, []cipmap.Judgement{j})
	s.judging.Unlock()
	return j, n, err
}

// firmSector is a sector a firm is in, with its weight there (tags of the firm and
// of its patents).
type firmSector struct {
	TagRef
	Weight float64
}

// firmSectors lists the CTT tags of a firm and of its patents, heaviest first; a
// failure leaves the firm page without them.
func (s *Server) firmSectors(ctx context.Context, fp *firmPatentFacts) []firmSector {
	std, err := s.an.std.get(ctx)
	if err != nil || fp == nil {
		return nil
	}
	// The firm's own tags and its share of its patents' tags.
	w := map[string]float64{}
	for _, t := range fp.own {
		if t.system == "ctt" && t.weight > 0 {
			w[t.tag] += t.weight
		}
	}
	for _, t := range fp.tags {
		if t.system == "ctt" && t.weight > 0 {
			w[t.tag] += t.weight * fp.share[t.patent]
		}
	}
	tags := slices.Collect(maps.Keys(w))
	sort.Slice(tags, func(i, j int) bool {
		if d := w[tags[i]] - w[tags[j]]; math.Abs(d) > 1e-9 {
			return d > 0
		}
		return tags[i] < tags[j]
	})
	var out []firmSector
	for _, tag := range tags {
		if len(out) == 12 {
			break
		}
		tg := std.Tag(tag)
		if tg == nil {
			continue
		}
		out = append(out, firmSector{TagRef{tg.ID, tg.Name}, w[tag]})
	}
	return out
}
