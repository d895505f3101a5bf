package httpapi

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
)

// The pages of persons, funds, government bodies, policies, programs and the graph.
// Their templates live in assets/templates/entities/, each parsed with the layout
// and parts.html, the pieces they share (references, provenance, paging).

//go:embed assets/templates/entities/*.html
var entityAssets embed.FS

var entityTemplates = sync.OnceValues(func() (map[string]*template.Template, error) {
	funcs := templateFuncs
	out := map[string]*template.Template{}
	pages, err := fs.Glob(entityAssets, "assets/templates/entities/*.html")
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		name := strings.TrimSuffix(strings.TrimPrefix(p, "assets/templates/entities/"), ".html")
		if name == "parts" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "assets/templates/layout.html")
		if err == nil {
			t, err = t.ParseFS(entityAssets, "assets/templates/entities/parts.html", p)
		}
		if err != nil {
			return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "template %s", p)
		}
		out[name] = t
	}
	return out, nil
})

// entityMessages are the words of these pages, merged into messages.
var entityMessages = map[string][2]string{ // key → {zh, en}
	"person":        {"自然人", "Person"},
	"fund":          {"基金", "Fund"},
	"govbody":       {"政府机构", "Government body"},
	"policy":        {"政策", "Policy"},
	"program":       {"项目计划", "Program"},
	"graph":         {"关系图", "Graph"},
	"roles":         {"任职", "Positions"},
	"role":          {"职务", "Role"},
	"organization":  {"机构", "Organisation"},
	"start":         {"开始", "Start"},
	"end":           {"结束", "End"},
	"share":         {"比例", "Share"},
	"capital":       {"认缴出资", "Commitment"},
	"partners":      {"出资人（有限合伙人、股东）", "Partners (limited partners, shareholders)"},
	"partner":       {"出资人", "Partner"},
	"portfolio":     {"投资组合", "Portfolio"},
	"govshare":      {"政府出资穿透比例", "Government capital, looked through"},
	"govpart":       {"政府部分", "Government part"},
	"govcapital":    {"政府出资（穿透）", "Government capital (looked through)"},
	"chains":        {"路径数", "Chains"},
	"firmcol":       {"企业", "Firm"},
	"amount":        {"金额", "Amount"},
	"date":          {"日期", "Date"},
	"flowsgiven":    {"提供的资源", "Resources given"},
	"flowsreceived": {"获得的资源", "Resources received"},
	"channel":       {"渠道", "Channel"},
	"count":         {"笔数", "Count"},
	"from":          {"提供方", "From"},
	"to":            {"接受方", "To"},
	"label":         {"项目", "Item"},
	"fundsheld":     {"出资的基金", "Funds held"},
	"fundslt":       {"穿透持有的基金", "Funds held, looked through"},
	"policies":      {"发布的政策", "Policies issued"},
	"docnumber":     {"文号", "Document number"},
	"level":         {"层级", "Level"},
	"issuers":       {"发文机关", "Issuers"},
	"issuer":        {"机关", "Body"},
	"rank":          {"排序", "Rank"},
	"targets":       {"政策目标（技术标签、工具）", "Targets (technology tags, instruments)"},
	"tag":           {"标签", "Tag"},
	"instrument":    {"政策工具", "Instrument"},
	"weight":        {"权重", "Weight"},
	"evidence":      {"依据", "Evidence"},
	"programs":      {"项目计划", "Programs"},
	"designations":  {"认定", "Designations"},
	"byyear":        {"按年份", "By year"},
	"year":          {"年份", "Year"},
	"batch":         {"批次", "Batch"},
	"list":          {"名单", "List"},
	"status":        {"状态", "Status"},
	"grants":        {"补贴", "Grants"},
	"foundingpol":   {"依据政策", "Founding policy"},
	"staff":         {"人员（任职）", "Staff (positions)"},
	"patents":       {"专利", "Patents"},
	"patentsbytag":  {"按技术标签的专利", "Patents by technology tag"},
	"weighted":      {"分数计数", "Fractional count"},
	"provenance":    {"来源", "Provenance"},
	"properties":    {"属性", "Properties"},
	"capped":        {"关系图已截断：最多显示 %d 个节点。", "The graph is cut: it shows at most %d nodes."},
	"depth":         {"深度", "Depth"},
	"graphhelp":     {"上方为股东与发文机关，下方为持股、资助与认定对象，左侧为资金提供方。点击节点打开其页面。", "Owners and issuers above; holdings, recipients and designated firms below; funders to the left. Each node links to its page."},
	"viewgraph":     {"查看关系图", "View the graph"},
	"edges":         {"关系", "Relations"},
	"kindcol":       {"类型", "Kind"},
	"all":           {"全部", "all"},
	"sortby":        {"排序", "Sort"},
	"filter":        {"筛选", "Filter"},
}

func init() {
	for k, v := range entityMessages {
		if _, ok := messages[k]; !ok {
			messages[k] = v
		}
	}
}

// Tf formats the word for key with args.
func (p *page) Tf(key string, args ...any) string {
	return strings.TrimSpace(fmt.Sprintf(p.T(key), args...))
}

// renderEntity renders one of the entity pages.
func (s *Server) renderEntity(w http.ResponseWriter, r *http.Request, name string, p *page) {
	ts, err := entityTemplates()
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	var buf bytes.Buffer
	if err := ts[name].Execute(&buf, p); err != nil {
		s.cfg.Logf("render %s: %v", name, err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// entityError sends an error page, or, for an entity of another schema, redirects to
// its page.
func (s *Server) entityError(w http.ResponseWriter, r *http.Request, p *page, err error) {
	if cipmap.ErrorCode(err) == cipmap.ENOTFOUND {
		if e, err2 := s.cfg.Store.Entity(r.Context(), r.PathValue("id")); err2 == nil {
			http.Redirect(w, r, pathOf(e.Schema, e.ID), http.StatusSeeOther)
			return
		}
	}
	s.uiError(w, r, p, err)
}

// pager links the previous and next pages of a list on the current page.
type pager struct{ Prev, Next string }

func pagerOf(r *http.Request, total, limit, offset int, more bool) pager {
	link := func(off int) string {
		q := r.URL.Query()
		q.Set("offset", strconv.Itoa(off))
		return (&url.URL{Path: r.URL.Path, RawQuery: q.Encode()}).String()
	}
	var pg pager
	if more {
		pg.Next = link(offset + limit)
	}
	if offset > 0 {
		pg.Prev = link(max(0, offset-limit))
	}
	return pg
}

// propRows are an entity's properties for the page, in name order.
type propRow struct {
	Property string
	Values   []Value
}

func propRows(m map[string][]Value) []propRow {
	var out []propRow
	for _, k := range sortedKeys(m) {
		out = append(out, propRow{k, m[k]})
	}
	return out
}

func (s *Server) uiPerson(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "person")
	v, err := s.person(r.Context(), r.PathValue("id"))
	if err != nil {
		s.entityError(w, r, p, err)
		return
	}
	p.Title = v.Caption
	p.Data = map[string]any{"E": v, "Names": propRows(v.Names), "Props": propRows(v.Properties)}
	s.renderEntity(w, r, "person", p)
}

func (s *Server) uiFund(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "fund")
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v, err := s.fund(r.Context(), r.PathValue("id"), lq)
	if err != nil {
		s.entityError(w, r, p, err)
		return
	}
	p.Title = v.Caption
	l := v.Portfolio
	p.Data = map[string]any{"E": v, "Names": propRows(v.Names), "Props": propRows(v.Properties),
		"Pager": pagerOf(r, l.Total, l.Limit, l.Offset, l.More)}
	s.renderEntity(w, r, "fund", p)
}

func (s *Server) uiGovBody(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "govbody")
	lq, err := readList(r, flowSorts...)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v, err := s.govBody(r.Context(), r.PathValue("id"), lq)
	if err != nil {
		s.entityError(w, r, p, err)
		return
	}
	p.Title = v.Caption
	l := v.Flows
	p.Data = map[string]any{"E": v, "Names": propRows(v.Names), "Props": propRows(v.Properties),
		"Pager": pagerOf(r, l.Total, l.Limit, l.Offset, l.More), "Filters": channelFilters(r, v.FlowTotals)}
	s.renderEntity(w, r, "govbody", p)
}

func (s *Server) uiPolicy(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "policy")
	v, err := s.policy(r.Context(), r.PathValue("id"))
	if err != nil {
		s.entityError(w, r, p, err)
		return
	}
	p.Title = v.Caption
	props := map[string][]Value{}
	for k, vs := range v.Properties {
		if k != "text" {
			props[k] = vs
		}
	}
	p.Data = map[string]any{"E": v, "Names": propRows(v.Names), "Props": propRows(props), "Text": v.Properties["text"]}
	s.renderEntity(w, r, "policy", p)
}

func (s *Server) uiProgram(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "program")
	lq, err := readList(r, "year", "name")
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	v, err := s.program(r.Context(), r.PathValue("id"), lq)
	if err != nil {
		s.entityError(w, r, p, err)
		return
	}
	p.Title = v.Caption
	l := v.Designations
	var years []filterLink
	for _, y := range v.Years {
		q := url.Values{"year": {y.Year}}
		years = append(years, filterLink{Label: y.Year + " (" + strconv.Itoa(y.Count) + ")", Href: r.URL.Path + "?" + q.Encode(), On: lq.Year == y.Year})
	}
	p.Data = map[string]any{"E": v, "Names": propRows(v.Names), "Props": propRows(v.Properties),
		"Pager": pagerOf(r, l.Total, l.Limit, l.Offset, l.More), "Years": years, "AllYears": r.URL.Path}
	s.renderEntity(w, r, "program", p)
}

func (s *Server) uiGraph(w http.ResponseWriter, r *http.Request) {
	p := newPage(w, r, "graph")
	d, err := depthParam(r)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	g, err := s.graph(r.Context(), r.PathValue("id"), d)
	if err != nil {
		s.uiError(w, r, p, err)
		return
	}
	var root GraphNode
	for _, n := range g.Nodes {
		if n.ID == g.Root {
			root = n
		}
	}
	p.Title = p.T("graph") + ": " + root.Name
	var depths []filterLink
	for i := 1; i <= maxDepth; i++ {
		depths = append(depths, filterLink{Label: strconv.Itoa(i), Href: r.URL.Path + "?depth=" + strconv.Itoa(i), On: i == d})
	}
	p.Data = map[string]any{"G": g, "Root": root, "Depths": depths, "Fills": schemaFills}
	s.renderEntity(w, r, "graph", p)
}

// filterLink is a link that filters a list.
type filterLink struct {
	Label, Href string
	On          bool
}

func channelFilters(r *http.Request, ts []ChannelTotal) []filterLink {
	cur := r.URL.Query().Get("channel")
	var out []filterLink
	for _, t := range ts {
		q := url.Values{"channel": {t.Channel}}
		out = append(out, filterLink{Label: t.Channel + " (" + strconv.Itoa(t.Flows) + ")", Href: r.URL.Path + "?" + q.Encode(), On: cur == t.Channel})
	}
	return out
}

// schemaFills are the colours of the graph's boxes by schema.
var schemaFills = map[string]string{"Firm": "#e8f0fb", "Person": "#fdf1e0", "Fund": "#e6f5ea", "GovBody": "#fbe6e6",
	"Policy": "#efe8f7", "Program": "#fff8d6"}

// Fill is the colour of a graph box.
func (n GraphNode) Fill() string {
	if c, ok := schemaFills[n.Schema]; ok {
		return c
	}
	return "#f2f2f2"
}

// fmtAmount writes an amount with thousands separators and its currency.
// templateFuncs are the functions every page's template may call.
var templateFuncs = template.FuncMap{"join": strings.Join, "dict2": dict2, "amount": fmtAmount, "pct": fmtShare,
	"amounts": fmtAmounts, "shares": fmtShareValue, "num": fmtNum,
	// Table rows written in Go (rows.go).
	"statementRows": statementRows, "stakeRows": stakeRows, "staffRows": staffRows, "flowRows": flowRows, "designationRows": designationRows}

// fmtNum formats a number that may be absent with a printf verb ("%.4g").
func fmtNum(format string, v *float64) string {
	if v == nil {
		return ""
	}
	return fmt.Sprintf(format, *v)
}

func fmtAmount(v *float64, currency string) string {
	if v == nil {
		return ""
	}
	return groupDigits(*v) + " " + currency
}

func fmtAmounts(m map[string]float64) string {
	var parts []string
	for _, c := range sortedKeys(m) {
		cur := c
		if cur == "" {
			cur = "CNY"
		}
		parts = append(parts, groupDigits(m[c])+" "+cur)
	}
	return strings.Join(parts, " + ")
}

func groupDigits(v float64) string {
	s := strconv.FormatFloat(math.Abs(v), 'f', 2, 64)
	s = strings.TrimSuffix(s, ".00")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if v < 0 {
		out = "-" + out
	}
	return out
}

// fmtShare writes a fraction of 1 as a percentage.
func fmtShare(v *float64) string {
	if v == nil {
		return ""
	}
	return fmtShareValue(*v)
}

func fmtShareValue(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(100*v, 'f', 4, 64), "0"), ".") + "%"
}
