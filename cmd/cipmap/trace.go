package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/money"
	"github.com/cipmap/cipmap/trace"
)

// TraceCommand follows the money from a government body, fund, policy or program to
// the firms it reached.
type TraceCommand struct{ m *Main }

const traceHelp = `Usage: cipmap trace FROM [--to TAG|FIRM] [--depth N] [--at DATE] [--channel C]
                    [--subsidiaries N] [--prices current|constant --base-year Y]
                    [--chains] [--format table|json|csv]

Follows the money from FROM (an entity id or a name: a government body, fund, policy,
program or firm) to the firms it reached:
  - through its holdings of funds as a limited partner or shareholder, and the funds'
    holdings of funds, looked through: its share of a fund is the sum over chains of
    the product of the shares along each (50% × 40% × 10% = 2%);
  - then the flows out of FROM and those funds: investments, grants, loans,
    procurement contracts (and listings, designations, a policy's programs);
    each flow's amount in yuan (yearly average rate) times FROM's share is the
    amount attributed to FROM;
  - then below every firm reached, its subsidiaries through holdings of firms, with
    the firm's effective share.
Every edge keeps its dataset and source record: --chains lists each chain with them
(csv and json always have them).

  --to TAG|FIRM   only firms (or subsidiaries) that are FIRM, or carry a CTT tag in
                  TAG's subtree (tags of 'cipmap tag --dataset', patents of
                  'cipmap patents tag')
  --depth N       most edges from FROM to a firm (default 5: body → national →
                  provincial → municipal fund → firm is 4)
  --at DATE       flows dated on or before DATE, holdings valid on DATE
  --channel C     investment, grant, loan, contract, listing, designation; repeat
                  or separate with commas
  --prices constant --base-year Y   amounts in yuan at year Y's prices (CPI)
A policy also reaches, by what it supports, the firms that carry the technologies
its Targeting relations name (counted per tag; 'cipmap tag --dataset' tags firms).
  --patents=false skip counting the patents of the firms reached and their
                  subsidiaries by CTT tag (fractional: weight / applicants, from
                  'cipmap patents tag'; all records of a resolved firm)
追踪资金：从政府部门、引导基金、政策或项目出发，穿透母基金，列出所到企业、链条、
归属金额及每条边的数据来源。

Examples:
  cipmap trace 中华人民共和国财政部
  cipmap trace world-fund-... --depth 3 --chains
  cipmap trace 国家集成电路产业投资基金股份有限公司 --to integrated-circuits --format csv`

func (c *TraceCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("trace", traceHelp)
	var f readFlags
	to := fs.String("to", "", "only firms that are FIRM or carry a tag in TAG's subtree")
	depth := fs.Int("depth", 5, "most edges from FROM to a firm")
	at := fs.String("at", "", "the date, YYYY-MM-DD: flows on or before, holdings valid on it")
	var channels multiFlag
	fs.Var(&channels, "channel", "only flows of this channel (repeatable)")
	subs := fs.Int("subsidiaries", 3, "ownership levels below the firms reached (0 for none)")
	var pf pricesFlags
	pf.add(fs)
	chains := fs.Bool("chains", false, "list every chain with its edges' provenance")
	patents := fs.Bool("patents", true, "count the patents of the firms reached and their subsidiaries by CTT tag")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	opt := trace.Options{Depth: *depth, At: *at, Channels: channels.list(), Subsidiaries: *subs, Patents: *patents}
	if std, err := ctt.Load(); err == nil {
		opt.Subtree = std.Subtree
	}
	if *subs == 0 {
		opt.Subsidiaries = -1
	}
	if *depth < 1 {
		return cipmap.Errorf(cipmap.EINVALID, "--depth %d: expected 1 or more", *depth)
	}
	if err := checkDate("--at", *at); err != nil {
		return err
	}
	if opt.Rates, opt.Base, err = pf.rates(); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	src := &trace.StoreSource{Store: st}
	if c.m.Getenv("CIPMAP_TRACE_DEBUG") != "" {
		src.Debug = c.m.Stderr
	}
	from, err := findOne(ctx, src, pos[0], []string{"GovBody", "Fund", "Policy", "Program", "Firm"})
	if err != nil {
		return err
	}
	if *to != "" {
		if opt.To, err = toFilter(ctx, src, *to); err != nil {
			return err
		}
	}
	res, err := trace.Trace(ctx, src, from.ID, opt)
	if err != nil {
		return err
	}
	return writeTrace(c.m, f.format, res, *chains)
}

// multiFlag collects a repeatable flag whose values may also be comma-separated.
type multiFlag []string

func (m *multiFlag) String() string { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error {
	for _, x := range strings.Split(v, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*m = append(*m, x)
		}
	}
	return nil
}
func (m multiFlag) list() []string { return []string(m) }

// pricesFlags are --prices and --base-year.
type pricesFlags struct {
	prices string
	base   int
}

func (p *pricesFlags) add(fs *flag.FlagSet) {
	fs.StringVar(&p.prices, "prices", "current", "current or constant (yuan at --base-year prices, by the CPI)")
	fs.IntVar(&p.base, "base-year", 0, "the base year of constant prices (default 2020)")
}

// rates returns the shipped rates and the base year (0 for current prices).
func (p *pricesFlags) rates() (cipmap.Rates, int, error) {
	tab, err := money.Load()
	if err != nil {
		return nil, 0, err
	}
	switch p.prices {
	case "current":
		if p.base != 0 {
			return nil, 0, cipmap.Errorf(cipmap.EINVALID, "--base-year needs --prices constant")
		}
		return tab, 0, nil
	case "constant":
		base := p.base
		if base == 0 {
			base = 2020
		}
		if _, err := tab.Constant(1, base, base); err != nil {
			return nil, 0, cipmap.WrapError(cipmap.EINVALID, err, "--base-year %d", base)
		}
		return tab, base, nil
	}
	return nil, 0, cipmap.Errorf(cipmap.EINVALID, "--prices %q: expected current or constant", p.prices)
}

func checkDate(flag, v string) error {
	if v != "" && !trace.IsDate(v) {
		return cipmap.Errorf(cipmap.EINVALID, "%s %q: expected a date YYYY-MM-DD (or YYYY-MM, YYYY)", flag, v)
	}
	return nil
}

// findOne is trace.FindOne with, when nothing is found, the command that finds it.
func findOne(ctx context.Context, src trace.Source, q string, schemas []string) (trace.Node, error) {
	n, err := trace.FindOne(ctx, src, q, schemas)
	if cipmap.ErrorCode(err) == cipmap.ENOTFOUND {
		return n, cipmap.Errorf(cipmap.ENOTFOUND, "%s; find one with cipmap search", cipmap.ErrorMessage(err))
	}
	return n, err
}

// toFilter makes the --to filter: one entity, or the firms tagged in a CTT subtree.
func toFilter(ctx context.Context, src trace.Source, to string) (func(string) bool, error) {
	if ns, err := src.Nodes(ctx, []string{to}); err != nil {
		return nil, err
	} else if _, ok := ns[to]; ok {
		return func(id string) bool { return id == to }, nil
	}
	std, err := ctt.Load()
	if err != nil {
		return nil, err
	}
	if std.Tag(to) == nil {
		n, err := findOne(ctx, src, to, []string{"Firm"})
		if err != nil {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "--to %q is neither an entity nor a CTT tag (see cipmap tag --tree)", to)
		}
		return func(id string) bool { return id == n.ID }, nil
	}
	ss, ok := src.(*trace.StoreSource)
	if !ok {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "--to a tag needs a store")
	}
	firms, err := ss.TaggedFirms(ctx, std.Subtree(to))
	if err != nil {
		return nil, err
	}
	return func(id string) bool { return firms[id] }, nil
}

func money2(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(trace.Round2(*v), 'f', 2, 64)
}

func share(v float64) string {
	return strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(100*v, 'f', 6, 64), "0"), ".") + "%"
}

// edgeText describes an edge for a chain: "→[investment 2021-03-04 ¥1,000 · dataset file.csv:12]".
func edgeText(e *trace.Edge) string {
	var b strings.Builder
	b.WriteString(e.Channel)
	if e.Share != nil {
		b.WriteString(" " + share(*e.Share))
	}
	if e.Date != "" {
		b.WriteString(" " + e.Date)
	}
	if e.Amount != nil {
		fmt.Fprintf(&b, " %s %s", strconv.FormatFloat(*e.Amount, 'f', -1, 64), e.Currency)
	}
	fmt.Fprintf(&b, " · %s %s %s", e.ID, e.Dataset, e.Source)
	return b.String()
}

func chainText(res *trace.Result, es []*trace.Edge) string {
	var b strings.Builder
	for i, e := range es {
		if i == 0 {
			b.WriteString(res.Nodes[e.From].Label())
		}
		fmt.Fprintf(&b, " →[%s] %s", edgeText(e), res.Nodes[e.To].Label())
	}
	return b.String()
}

func writeTrace(m *Main, format string, res *trace.Result, chains bool) error {
	if format == "json" {
		return writeJSON(m.Stdout, res)
	}
	if format == "table" && chains {
		out := m.Stdout
		for _, r := range res.Reaches {
			fmt.Fprintf(out, "%s %s  %s  share %s  amount %s  attributed %s\n  %s\n", r.Firm.ID, r.Firm.Name, r.Channel, share(r.Share),
				money2(r.AmountCNY), money2(r.Attributed), chainText(res, r.Chain))
		}
		for _, s := range res.Subsidiaries {
			fmt.Fprintf(out, "%s %s  subsidiary of %s  effective share %s\n  %s\n", s.Firm.ID, s.Firm.Name, s.Parent.ID, share(s.Share),
				chainText(res, s.Via))
		}
		return nil
	}
	if format == "csv" {
		cols := []string{"kind", "firm_id", "firm_name", "channel", "share", "amount_cny", "attributed_cny", "parent_id", "chain"}
		var rows [][]string
		for _, r := range res.Reaches {
			rows = append(rows, []string{"reached", r.Firm.ID, r.Firm.Name, r.Channel, share(r.Share), money2(r.AmountCNY),
				money2(r.Attributed), "", chainText(res, r.Chain)})
		}
		for _, s := range res.Subsidiaries {
			rows = append(rows, []string{"subsidiary", s.Firm.ID, s.Firm.Name, "ownership", share(s.Share), "", "", s.Parent.ID,
				chainText(res, s.Via)})
		}
		return writeRows(m.Stdout, format, cols, rows)
	}
	out := m.Stdout
	fmt.Fprintf(out, "from %s (%s, %s)\n", res.From.Label(), res.From.Schema, res.From.ID)
	if len(res.Funds) > 0 {
		fmt.Fprintf(out, "\nfunds looked through 穿透基金: %d\n", len(res.Funds))
		var rows [][]string
		for _, f := range res.Funds {
			rows = append(rows, []string{f.Fund.ID, f.Fund.Name, share(f.Share), strconv.Itoa(f.Chains), strconv.Itoa(f.Depth)})
		}
		if err := writeTable(out, []string{"fund", "name", "look-through share", "chains", "depth"}, rows); err != nil {
			return err
		}
	}
	total := 0.0
	var rows [][]string
	for _, f := range res.Firms {
		var chs []string
		for _, ch := range sortedChannels(f.ByChannel) {
			chs = append(chs, ch)
		}
		total += f.Attributed
		a := f.Attributed
		rows = append(rows, []string{f.Firm.ID, f.Firm.Name, strings.Join(chs, ","), strconv.Itoa(f.Flows), strconv.Itoa(f.Chains), money2(&a)})
	}
	fmt.Fprintf(out, "\nfirms reached 所到企业: %d, attributed %s yuan\n", len(res.Firms), money2(&total))
	if err := writeTable(out, []string{"firm", "name", "channels", "flows", "chains", "attributed_cny"}, rows); err != nil {
		return err
	}
	if len(res.Subsidiaries) > 0 {
		fmt.Fprintf(out, "\nsubsidiaries 子公司: %d\n", len(res.Subsidiaries))
		rows = rows[:0]
		for _, s := range res.Subsidiaries {
			rows = append(rows, []string{s.Parent.ID, s.Firm.ID, s.Firm.Name, share(s.Share), strconv.Itoa(s.Depth)})
		}
		if err := writeTable(out, []string{"parent", "subsidiary", "name", "effective share", "depth"}, rows); err != nil {
			return err
		}
	}
	if len(res.Targeted) > 0 {
		fmt.Fprintf(out, "\ntechnologies the policy targets 政策指向的技术: %d\n", len(res.Targeted))
		rows = rows[:0]
		for _, tg := range res.Targeted {
			rows = append(rows, []string{tg.Tag, strconv.Itoa(tg.Firms), tg.Dataset, tg.Source})
		}
		if err := writeTable(out, []string{"tag", "firms tagged", "dataset", "source"}, rows); err != nil {
			return err
		}
	}
	if len(res.Patents) > 0 {
		fmt.Fprintf(out, "\npatents of these firms by tag 专利（按技术标签，分数计数）: %d tags\n", len(res.Patents))
		rows = rows[:0]
		for i, p := range res.Patents {
			if i == 20 {
				fmt.Fprintf(out, "(the first 20; --format json lists all)\n")
				break
			}
			rows = append(rows, []string{p.Tag, strconv.FormatFloat(p.Patents, 'f', 2, 64), strconv.Itoa(p.Firms)})
		}
		if err := writeTable(out, []string{"tag", "patents", "firms"}, rows); err != nil {
			return err
		}
	}
	if res.Unconverted > 0 {
		fmt.Fprintf(out, "\n%d flow(s) have no amount in yuan (no rate for their currency or year); they count in flows, not in amounts\n", res.Unconverted)
	}
	if res.Truncated {
		fmt.Fprintln(out, "\ntruncated: too many chains; give a smaller --depth")
	}
	fmt.Fprintln(out, "\n(--chains lists every chain with each edge's dataset and source record)")
	return nil
}

func sortedChannels(m map[string]float64) []string {
	var out []string
	for _, c := range cipmap.FlowChannels {
		if _, ok := m[c.Channel]; ok {
			out = append(out, c.Channel)
		}
	}
	for k := range m {
		if cipmap.FlowChannelOf(strings.ToUpper(k[:1])+k[1:]) == nil && !contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
