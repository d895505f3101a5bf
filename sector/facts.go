package sector

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/idtab"
)

// Facts are what a profile needs to know of firms whatever their sector: name,
// founding year, province, revenue by year, the flows they receive and the
// programs that designated them. Firms are canonical: the records of a cluster
// (the clusters table) count as one firm, as in a Basis.
type Facts struct {
	index     *idtab.Table // of ids
	ids       strs
	names     strs
	provinces intern
	firms     []factFirm
	rev       []yearValue
	flows     []flowGroup
	multi     []multiFlow // flows that reach several firms, each counted once
	progs     []int32     // program rows of each firm
	programs  []Program
	givers    []giver
	curs      []string
	schemas   []string
}

type factFirm struct {
	province   uint16 // in Facts.provinces
	founded    int32
	rev, flows span
	progs      span
}

// flowGroup is the flows one firm received of one schema, year, giver and
// currency: their sum, how many had an amount (n) and how many had none.
type flowGroup struct {
	year       int32 // 0: no year
	giver      int32 // -1: none
	cur        int32
	schema     int32
	amount     float64
	n, skipped int32
}

type multiFlow struct {
	firms []int32
	g     flowGroup
}

type giver struct {
	gov   bool // a government body
	owner Owner
}

// Firms is the number of firms the facts know.
func (f *Facts) Firms() int { return len(f.firms) }

// row returns the firm's row, or -1.
func (f *Facts) row(id string) int32 {
	if f.index == nil {
		return -1
	}
	i, _ := f.index.Find(id, f.ids.at)
	return i
}

// LoadFacts reads the facts of every firm that is in a sector and classifies the givers of their
// flows with classify (nil: givers are the state only when they are government
// bodies, and for grants).
func LoadFacts(ctx context.Context, st cipmap.Store, classify Ownership) (*Facts, error) {
	have, err := tables(ctx, st)
	if err != nil {
		return nil, err
	}
	q := newQueries(nil, Options{}, have)
	t, err := st.Query(ctx, `WITH canon AS MATERIALIZED (`+q.canonSQL()+`),
	firms AS MATERIALIZED (`+q.anySectorSQL()+`),
	`+q.factsCTE()+"\n"+strings.Join(append([]string{q.factsFirms()}, q.factsParts()...), "\nUNION ALL "))
	if err != nil {
		return nil, fmt.Errorf("firms' facts: %w", err)
	}
	return readFacts(ctx, t.Rows, classify)
}

// readFacts reads the facts from the rows of factsParts, and classifies the
// givers of flows.
func readFacts(ctx context.Context, rows [][]any, classify Ownership) (*Facts, error) {
	var err error
	f := &Facts{}
	index := map[string]int32{}
	var ids, names []string
	firm := func(id string) *factFirm {
		i, ok := index[id]
		if !ok {
			i = int32(len(f.firms))
			index[id] = i
			f.firms = append(f.firms, factFirm{})
			ids, names = append(ids, id), append(names, "")
		}
		return &f.firms[i]
	}
	f.provinces.of("")
	type pair struct{ firm, prog int32 }
	var pairs []pair
	progs := map[string]int32{}
	multi := map[[2]string]int{}
	schemas := map[string]int32{}
	var giverIDs []string
	for i, r := range rows {
		line := func(err error) error {
			return fmt.Errorf("firms' facts, row %d (%s %s): %w", i+1, str(r[0]), str(r[1]), err)
		}
		switch str(r[0]) {
		case "firm":
			if allNil(r[colC : colH+1]) {
				continue // a firm without facts
			}
			ff := firm(str(r[colA]))
			ff.founded = int32(year(str(r[colC])))
			ff.province = f.provinces.of(province(str(r[colD]), str(r[colE])))
			names[index[str(r[colA])]] = str(r[colF])
			lo := len(f.rev)
			if f.rev, err = appendYearValues(f.rev, str(r[colG])); err != nil {
				return nil, line(err)
			}
			ff.rev = span{int32(lo), int32(len(f.rev))}
			lo = len(f.flows)
			if fl := str(r[colH]); fl != "" {
				for _, s := range strings.Split(fl, ";") {
					g, err := parseFlowGroup(s, schemas)
					if err != nil {
						return nil, line(err)
					}
					f.flows = append(f.flows, g)
				}
			}
			ff.flows = span{int32(lo), int32(len(f.flows))}
		case "mflow":
			firm(str(r[colB]))
			k := [2]string{str(r[colA]), str(r[colD])}
			j, ok := multi[k]
			if !ok {
				g, err := parseFlowGroup(str(r[colC]), schemas)
				if err != nil {
					return nil, line(err)
				}
				j = len(f.multi)
				multi[k] = j
				f.multi = append(f.multi, multiFlow{g: g})
			}
			f.multi[j].firms = append(f.multi[j].firms, index[str(r[colB])])
		case "giver":
			gi := int(num(r[colX]))
			for len(f.givers) <= gi {
				f.givers = append(f.givers, giver{})
				giverIDs = append(giverIDs, "")
			}
			giverIDs[gi] = str(r[colA])
			f.givers[gi].gov = str(r[colB]) == "GovBody"
		case "cur":
			ci := int(num(r[colX]))
			for len(f.curs) <= ci {
				f.curs = append(f.curs, "")
			}
			f.curs[ci] = str(r[colA])
		case "prog":
			id := str(r[colA])
			p, ok := progs[id]
			if !ok {
				p = int32(len(f.programs))
				progs[id] = p
				name := str(r[colE])
				if name == "" {
					name = id
				}
				f.programs = append(f.programs, Program{ID: id, Name: name})
			}
			firm(str(r[colB]))
			pairs = append(pairs, pair{index[str(r[colB])], p})
		}
	}
	f.ids, f.names = strsOf(ids), strsOf(names)
	f.index = idtab.New(len(ids), f.ids.at)
	f.schemas = make([]string, len(schemas))
	for s, i := range schemas {
		f.schemas[i] = s
	}
	// Each firm's programs, once each.
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].firm != pairs[j].firm {
			return pairs[i].firm < pairs[j].firm
		}
		return pairs[i].prog < pairs[j].prog
	})
	for i, p := range pairs {
		if i > 0 && p == pairs[i-1] {
			continue
		}
		ff := &f.firms[p.firm]
		if ff.progs.hi == 0 {
			ff.progs.lo = int32(len(f.progs))
		}
		f.progs = append(f.progs, p.prog)
		ff.progs.hi = int32(len(f.progs))
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	if classify != nil {
		var ask []string
		for i, id := range giverIDs {
			if id != "" && !f.givers[i].gov {
				ask = append(ask, id)
			}
		}
		if len(ask) > 0 {
			owners, err := classify(ctx, ask)
			if err != nil {
				return nil, fmt.Errorf("classify the givers of flows: %w", err)
			}
			for i, id := range giverIDs {
				f.givers[i].owner = owners[id]
			}
		}
	}
	return f, nil
}

// check says whether every flow names a giver and currency the facts have.
func (f *Facts) check() error {
	ok := func(g flowGroup) error {
		if g.giver >= int32(len(f.givers)) || g.cur < 0 || g.cur >= int32(len(f.curs)) {
			return fmt.Errorf("firms' facts: a flow names giver %d and currency %d of %d and %d", g.giver, g.cur, len(f.givers), len(f.curs))
		}
		return nil
	}
	for _, g := range f.flows {
		if err := ok(g); err != nil {
			return err
		}
	}
	for _, m := range f.multi {
		if err := ok(m.g); err != nil {
			return err
		}
	}
	return nil
}

// parseFlowGroup parses "schema:year:giver:currency:amount:n:skipped", the giver
// and currency as numbers of the facts' 'giver' and 'cur' rows.
func parseFlowGroup(s string, schemas map[string]int32) (flowGroup, error) {
	p := strings.Split(s, ":")
	if len(p) != 7 {
		return flowGroup{}, fmt.Errorf("flow %q: want schema:year:giver:currency:amount:n:skipped", s)
	}
	g := flowGroup{year: int32(year(p[1])), giver: -1}
	i, ok := schemas[p[0]]
	if !ok {
		i = int32(len(schemas))
		schemas[p[0]] = i
	}
	g.schema = i
	ints := []*int32{&g.giver, &g.cur, &g.n, &g.skipped}
	for k, v := range []string{p[2], p[3], p[5], p[6]} {
		if v == "" && k == 0 {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 32)
		if err != nil {
			return flowGroup{}, fmt.Errorf("flow %q: %w", s, err)
		}
		*ints[k] = int32(n)
	}
	if p[4] != "" {
		x, err := strconv.ParseFloat(p[4], 64)
		if err != nil {
			return flowGroup{}, fmt.Errorf("flow %q: amount: %w", s, err)
		}
		g.amount = x
	}
	return g, nil
}

// resources sums the flows that reach the firms of rows (rows of f; -1 for firms
// it does not know) by channel and year, with the part the state gave, and counts
// those skipped: without an amount or a year (whatever the window), or in a
// currency without a rate.
func (f *Facts) resources(rows []int32, opt Options) ([]Flow, int, error) {
	// Sums by schema, year, giver and currency first, on numbers; then each sum
	// converted to yuan, and put in its channel and year.
	type key struct{ schema, year, giver, cur int32 }
	type sum struct {
		amount float64
		n      int
	}
	sums := map[key]*sum{}
	skipped := 0
	add := func(g *flowGroup) {
		skipped += int(g.skipped)
		if g.year == 0 {
			skipped += int(g.n)
			return
		}
		if g.n == 0 || !in(int(g.year), opt) {
			return
		}
		k := key{g.schema, g.year, g.giver, g.cur}
		x := sums[k]
		if x == nil {
			x = &sum{}
			sums[k] = x
		}
		x.amount += g.amount
		x.n += int(g.n)
	}
	for _, i := range rows {
		if i < 0 {
			continue
		}
		ff := &f.firms[i]
		for j := ff.flows.lo; j < ff.flows.hi; j++ {
			add(&f.flows[j])
		}
	}
	if len(f.multi) > 0 {
		inSet := make(map[int32]bool, len(rows))
		for _, i := range rows {
			inSet[i] = true
		}
		for j := range f.multi {
			for _, i := range f.multi[j].firms {
				if inSet[i] {
					add(&f.multi[j].g)
					break
				}
			}
		}
	}
	keys := make([]key, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	// In a fixed order, so that the sums do not depend on the map's.
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.schema != b.schema {
			return a.schema < b.schema
		}
		if a.year != b.year {
			return a.year < b.year
		}
		if a.giver != b.giver {
			return a.giver < b.giver
		}
		return a.cur < b.cur
	})
	out := flowSums{}
	for _, k := range keys {
		x := sums[k]
		y := int(k.year)
		amount := x.amount
		if cur := f.curs[k.cur]; !strings.EqualFold(cur, "CNY") {
			v, err := toCNY(opt.Rates, amount, cur, y)
			if err != nil {
				skipped += x.n
				continue
			}
			amount = v
		}
		var gv giver
		if k.giver >= 0 {
			gv = f.givers[k.giver]
		}
		gs := ""
		if gv.gov {
			gs = "GovBody"
		}
		schema := f.schemas[k.schema]
		out.add(schema, y, amount, x.n, stateGiver(schema, gs, gv.owner))
	}
	return out.list(), skipped, nil
}

// programsOf counts the firms of rows each program designated, the programs with
// the most firms first.
func (f *Facts) programsOf(rows []int32) []Program {
	n := map[int32]int{}
	for _, i := range rows {
		if i < 0 {
			continue
		}
		ff := &f.firms[i]
		for _, p := range f.progs[ff.progs.lo:ff.progs.hi] {
			n[p]++
		}
	}
	var out []Program
	for p, c := range n {
		pg := f.programs[p]
		pg.Firms = c
		out = append(out, pg)
	}
	sortPrograms(out)
	return out
}

// firmOf returns the join that maps the entity in column col to its firm of
// firms (mem), and the firm's expression.
func firmOf(col string) (join, firm string) {
	return " JOIN mem c ON c.entity_id = " + col, "c.firm"
}

// anySectorSQL is the firms of any sector: the applicants of patents with a CTT
// tag, the firms that carry one and the receivers of flows that carry one.
func (q *queries) anySectorSQL() string {
	var parts []string
	if q.have["patent_tags"] && q.have["patent_facts"] {
		parts = append(parts, `SELECT coalesce(c.cluster_id, f.applicant_id) AS firm FROM patent_facts f LEFT JOIN canon c ON c.entity_id = f.applicant_id
		WHERE f.applicant_id IS NOT NULL AND f.patent_id IN (SELECT patent_id FROM patent_tags WHERE system = 'ctt' AND weight > 0)`)
	}
	parts = append(parts, `SELECT coalesce(c.cluster_id, t.entity_id) AS firm
		FROM tags t JOIN `+q.entities()+` e ON e.id = t.entity_id AND e.schema = 'Firm'
		LEFT JOIN canon c ON c.entity_id = t.entity_id
		WHERE t.system = 'ctt' AND t.weight > 0`, q.taggedFlowReceivers())
	return strings.Join(parts, "\n\t\tUNION ")
}

// factColumns are the text columns c–h of a firm's row with its facts: founded,
// province, region, name (attr), "year:revenue;..." (rev) and the flows that
// reach this firm alone, "schema:year:giver:currency:amount:n:skipped;..." by
// schema, year, giver and currency (fl).
var factColumns = []string{"CAST(attr.founded AS VARCHAR)", "CAST(attr.province AS VARCHAR)", "CAST(attr.region AS VARCHAR)",
	"CAST(attr.name AS VARCHAR)", "rev.s", "fl.s"}

// factsFirms is the 'firm' row of each firm of firms with its facts.
func (q *queries) factsFirms() string {
	return selectRow("firm", append([]string{"f.firm", "CAST(NULL AS VARCHAR)"}, factColumns...), "0") + `
	FROM firms f LEFT JOIN attr ON attr.firm = f.firm LEFT JOIN rev ON rev.firm = f.firm LEFT JOIN fl ON fl.firm = f.firm`
}

// factsCTE returns the common table expressions of the facts of the firms of
// firms, to follow canon and firms: mem, each firm's records (entity ids), and
// attr, rev and fl (factColumns), then the rows of factsParts.
func (q *queries) factsCTE() string {
	with := `mem AS MATERIALIZED (SELECT DISTINCT f.firm, coalesce(c.entity_id, f.firm) AS entity_id
		FROM firms f LEFT JOIN canon c ON c.cluster_id = f.firm),
	`
	var attr string
	if q.have["nodes"] {
		j, fm := firmOf("n.id")
		attr = `SELECT ` + fm + ` AS firm, min(n.founded) AS founded, min(n.province) AS province, min(n.region) AS region, min(n.name) AS name
		FROM nodes n` + j + ` WHERE n.schema = 'Firm' GROUP BY ` + fm
	} else {
		j, fm := firmOf("s.entity_id")
		attr = `SELECT ` + fm + ` AS firm,
			min(s.value) FILTER (WHERE s.property = 'founded') AS founded,
			min(s.value) FILTER (WHERE s.property = 'province') AS province,
			min(s.value) FILTER (WHERE s.property = 'region') AS region,
			min(s.value) FILTER (WHERE s.property = 'name') AS name
		FROM statement s` + j + `
		WHERE s.schema = 'Firm' AND s.property IN ('founded', 'province', 'region', 'name') GROUP BY ` + fm
	}
	rj, rf := firmOf("fi.entity_id")
	rev := `SELECT firm, string_agg(coalesce(CAST(year AS VARCHAR), '') || ':' || CAST(r AS VARCHAR), ';') AS s
		FROM (SELECT ` + rf + ` AS firm, fi.year, sum(fi.revenue) AS r FROM financials fi` + rj + `
			WHERE fi.revenue IS NOT NULL GROUP BY ` + rf + `, fi.year) r GROUP BY firm`
	return with + `attr AS (` + attr + `),
	rev AS (` + rev + `),
	` + q.flowsCTE() + `,
	nf AS (SELECT flow, schema, min(firm) AS firm, count(*) AS n FROM fx GROUP BY flow, schema),
	fv AS MATERIALIZED (SELECT fa.flow, fa.schema, fa.giver, fa.amount, fa.currency, fa.year, nf.firm, nf.n AS nf
		FROM fa JOIN nf ON nf.flow = fa.flow AND nf.schema = fa.schema),
	gv AS (SELECT giver, row_number() OVER (ORDER BY giver) - 1 AS gi FROM (SELECT DISTINCT giver FROM fv WHERE giver IS NOT NULL) g),
	gs AS (SELECT DISTINCT id, schema FROM ` + q.entities() + ` WHERE schema = 'GovBody' AND id IN (SELECT giver FROM gv)),
	cu AS (SELECT currency, row_number() OVER (ORDER BY currency) - 1 AS ci FROM (SELECT DISTINCT currency FROM fv) c),
	fvn AS (SELECT fv.flow, fv.schema, fv.year, gv.gi, cu.ci, fv.amount, fv.firm, fv.nf
		FROM fv LEFT JOIN gv ON gv.giver = fv.giver JOIN cu ON cu.currency = fv.currency),
	fg AS (SELECT firm, schema, year, gi, ci, sum(amount) AS amount, count(amount) AS n,
			sum(CASE WHEN amount IS NULL THEN 1 ELSE 0 END) AS skipped
		FROM fvn WHERE nf = 1 GROUP BY firm, schema, year, gi, ci),
	fl AS (SELECT firm, string_agg(` + flowGroupText + `, ';') AS s FROM fg GROUP BY firm),
	mf AS (SELECT flow, schema, ` + flowGroupText + ` AS s FROM (SELECT flow, schema, year, gi, ci, amount,
			CASE WHEN amount IS NULL THEN 0 ELSE 1 END AS n, CASE WHEN amount IS NULL THEN 1 ELSE 0 END AS skipped
		FROM fvn WHERE nf > 1) m),
	` + q.factsProgramsCTE()
}

// flowGroupText is a group of flows as text: schema:year:giver:currency:amount:n:skipped.
const flowGroupText = `schema || ':' || replace(replace(coalesce(year, ''), ':', ''), ';', '') || ':' || coalesce(CAST(gi AS VARCHAR), '') || ':' ||
		CAST(ci AS VARCHAR) || ':' || coalesce(CAST(amount AS VARCHAR), '') || ':' || CAST(n AS VARCHAR) || ':' || CAST(skipped AS VARCHAR)`

// factsParts are the rows of the facts that are not a firm's own (factsFirms):
//
//	mflow  a flow, b firm, c "schema:year:giver:currency:amount:n:skipped", d the
//	       flow's schema: a flow that reaches several firms, a row for each
//	giver  a giver, b 'GovBody' or NULL; x its number
//	cur    a currency; x its number
//	prog   a program, b firm, e name: a program that designated the firm
func (q *queries) factsParts() []string {
	return []string{
		selectRow("mflow", []string{"mf.flow", "fx.firm", "mf.s", "mf.schema"}) + ` FROM mf JOIN fx ON fx.flow = mf.flow AND fx.schema = mf.schema`,
		selectRow("giver", []string{"gv.giver", "gs.schema"}, "gv.gi") + ` FROM gv LEFT JOIN gs ON gs.id = gv.giver`,
		selectRow("cur", []string{"currency"}, "ci") + ` FROM cu`,
		selectRow("prog", []string{"dp.program", "dp.firm", "CAST(NULL AS VARCHAR)", "CAST(NULL AS VARCHAR)", "pn.name"}) + ` FROM dp LEFT JOIN pn ON pn.id = dp.program`,
	}
}

func allNil(vs []any) bool {
	for _, v := range vs {
		if v != nil {
			return false
		}
	}
	return true
}

// flowsCTE returns fx, the firms each flow reaches (flow, schema, firm), and fa,
// each flow's giver, amount, currency and year, from the flows view of the edges
// table or, in a file from before it, from the statements. A flow's giver and
// amount are read from the rows that name a receiver: the edges table keeps each
// dataset's edges its own, so an amount stated apart from the receiver is not
// the flow's (TestFlowAcrossDatasets).
func (q *queries) flowsCTE() string {
	if q.have["edges"] {
		j, fm := firmOf("f.receiver")
		return `fx AS MATERIALIZED (SELECT DISTINCT f.id AS flow, f.schema, ` + fm + ` AS firm FROM flows f` + j + ` WHERE f.receiver IS NOT NULL),
	fa AS (SELECT f.id AS flow, f.schema, min(f.giver) AS giver, min(f.amount) AS amount,
			coalesce(min(f.currency), 'CNY') AS currency, CAST(min(f.year) AS VARCHAR) AS year
		FROM flows f` + j + ` WHERE f.receiver IS NOT NULL GROUP BY f.id, f.schema)`
	}
	receiver, attrs := flowStatements("(SELECT DISTINCT flow, schema FROM fx)")
	j, fm := firmOf("s.value")
	return `fx AS MATERIALIZED (SELECT DISTINCT s.entity_id AS flow, s.schema, ` + fm + ` AS firm FROM statement s` + j + `
		WHERE ` + receiver + `),
	fa0 AS (` + attrs + `),
	fa AS (SELECT flow, schema, giver, ` + q.dialect().TryDouble("amount") + ` AS amount, currency, year FROM fa0)`
}

// factsProgramsCTE is dp, the programs that designated a firm (program, firm), and
// pn, the programs' names (id, name): from the edges and nodes tables when the
// store has them.
func (q *queries) factsProgramsCTE() string {
	if q.have["edges"] && q.have["nodes"] {
		j, fm := firmOf("e.to_id")
		return `dp AS (SELECT DISTINCT e.from_id AS program, ` + fm + ` AS firm FROM edges e` + j + `
		WHERE e.schema = 'Designation' AND e.role = 'program' AND e.target = 'firm' AND e.to_id IS NOT NULL),
	pn AS (SELECT id, min(name) AS name FROM nodes WHERE id IN (SELECT program FROM dp) GROUP BY id)`
	}
	j, fm := firmOf("s.value")
	return `dfirm AS (SELECT s.entity_id AS des, ` + fm + ` AS firm FROM statement s` + j + `
		WHERE s.schema = 'Designation' AND s.property = 'firm'),
	dp AS (SELECT DISTINCT s.value AS program, d.firm FROM statement s JOIN dfirm d ON d.des = s.entity_id
		WHERE s.schema = 'Designation' AND s.property = 'program'),
	pn AS (SELECT entity_id AS id, min(value) AS name FROM statement
		WHERE property = 'name' AND entity_id IN (SELECT program FROM dp) GROUP BY entity_id)`
}
