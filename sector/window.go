package sector

// The profile of one window in one query (Build), as cipmap sector makes it: the
// window's firms, patents, revenue, flows and programs are found in SQL, with the
// year filters pushed down, and only the firms' totals are read. The server
// computes its profiles from a Basis and Facts instead, for any window;
// TestEdgesAndStatementsAgree checks that both give the same profiles.

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// Build profiles the sector of tag for the window of opt, in one query.
func Build(ctx context.Context, st cipmap.Store, tree Tree, tag string, opt Options) (*Profile, error) {
	sub, err := tree.Subtree(tag)
	if err != nil {
		return nil, err
	}
	if opt.Top <= 0 {
		opt.Top = 20
	}
	if opt.From != 0 && opt.To != 0 && opt.From > opt.To {
		return nil, cipmap.Errorf(cipmap.EINVALID, "--from %d is after --to %d", opt.From, opt.To)
	}
	have, err := tables(ctx, st)
	if err != nil {
		return nil, err
	}
	q := newQueries(sub, opt, have)
	p := &Profile{Tag: tag, Name: tree.Name(tag), Subtree: sub, From: opt.From, To: opt.To}

	t, err := st.Query(ctx, q.profileSQL())
	if err != nil {
		return nil, fmt.Errorf("sector %s: %w", tag, err)
	}
	byKind := map[string][][]any{}
	for _, r := range t.Rows {
		k := str(r[0])
		byKind[k] = append(byKind[k], r)
	}
	firms := firmsOf(byKind["firm"])
	owners := map[string]Owner{}
	if opt.Ownership != nil && len(firms) > 0 {
		ids := make([]string, len(firms))
		for i, f := range firms {
			ids[i] = f.ID
		}
		if owners, err = opt.Ownership(ctx, ids); err != nil {
			return nil, fmt.Errorf("classify the sector's firms: %w", err)
		}
	}
	for i := range firms {
		firms[i].Class = ClassUnknown
		if o, ok := owners[firms[i].ID]; ok && o.Class != "" {
			firms[i].Class = o.Class
		}
	}
	p.firmFigures(firms, opt)
	p.ByYear, p.Patents = patentsByYear(byKind["year"])
	if p.Resources, p.Skipped, err = q.resources(ctx, byKind["flow"], owners, opt.Ownership); err != nil {
		return nil, err
	}
	if p.Policies, err = q.policies(ctx, st); err != nil {
		return nil, err
	}
	p.Programs = programsOf(byKind["prog"])
	var equity []float64
	for _, f := range firms {
		if o, ok := owners[f.ID]; ok {
			equity = append(equity, o.StateShare)
		}
	}
	p.Architecture = architecture(p, firms, equity)
	return p, nil
}

// yearFilter returns "AND col BETWEEN ..." for the window.
func (q *queries) yearFilter(col string) string {
	var s string
	if q.opt.From != 0 {
		s += fmt.Sprintf(" AND %s >= %d", col, q.opt.From)
	}
	if q.opt.To != 0 {
		s += fmt.Sprintf(" AND %s <= %d", col, q.opt.To)
	}
	return s
}

// firmsCTE returns the common table expressions of the firms' attributes (attr)
// and revenue (rev), to follow cte.
func (q *queries) firmsCTE() string {
	rev := `SELECT m.firm, sum(fi.revenue) AS revenue FROM mem m JOIN financials fi ON fi.entity_id = m.entity_id
		WHERE fi.revenue IS NOT NULL` + q.yearFilter("fi.year") + ` GROUP BY m.firm`
	attr := `SELECT m.firm,
			min(s.value) FILTER (WHERE s.property = 'founded') AS founded,
			min(s.value) FILTER (WHERE s.property = 'province') AS province,
			min(s.value) FILTER (WHERE s.property = 'region') AS region,
			min(s.value) FILTER (WHERE s.property = 'name') AS name
		FROM mem m JOIN statement s ON s.entity_id = m.entity_id
		WHERE s.schema = 'Firm' AND s.property IN ('founded', 'province', 'region', 'name')
		GROUP BY m.firm`
	if q.have["nodes"] {
		// The same from the nodes table, a column each.
		attr = `SELECT m.firm, min(n.founded) AS founded, min(n.province) AS province, min(n.region) AS region, min(n.name) AS name
		FROM mem m JOIN nodes n ON n.id = m.entity_id
		WHERE n.schema = 'Firm'
		GROUP BY m.firm`
	}
	return `attr AS (` + attr + `),
	rev AS (` + rev + `)`
}

// firmsSelect lists the sector's firms with their patents, whether they carry a
// tag themselves, founding date, province, region, name and revenue.
const firmsSelect = `SELECT f.firm, coalesce(fp.patents, 0) AS patents, tf.firm IS NOT NULL AS tagged,
		a.founded, a.province, a.region, a.name, coalesce(r.revenue, 0) AS revenue
	FROM firms f LEFT JOIN fp ON fp.firm = f.firm LEFT JOIN tf ON tf.firm = f.firm
	LEFT JOIN attr a ON a.firm = f.firm LEFT JOIN rev r ON r.firm = f.firm`

// profileSQL is the one query of a profile's firms, patents by year, resources and
// programs, so that the sector's firms and patents are found once: rows of kind
// 'firm' (a firm, founded, province, region, name; patents, tagged, revenue), 'year'
// (a year; count, lower, upper), 'flow' (schema, year, giver, giver's schema,
// currency; amount, flows, skipped) and 'prog' (a program, its name; firms), in text
// columns a–e and number columns x–z.
func (q *queries) profileSQL() string {
	parts := []string{`SELECT 'firm' AS kind, firm AS a, founded AS b, province AS c, region AS d, name AS e,
		CAST(patents AS DOUBLE PRECISION) AS x, CASE WHEN tagged THEN 1.0 ELSE 0.0 END AS y, CAST(revenue AS DOUBLE PRECISION) AS z
	FROM (` + firmsSelect + `) f`}
	if q.have["patent_tags"] {
		parts = append(parts, `SELECT 'year', CAST(year AS VARCHAR), NULL, NULL, NULL, NULL, count, lower, upper
	FROM (`+q.patentsSelect()+`) p`)
	}
	parts = append(parts, `SELECT 'flow', schema, year, giver, giver_schema, currency, amount, flows, skipped
	FROM (`+resourcesSelect+`) r`,
		`SELECT 'prog', program, NULL, NULL, NULL, name, firms, NULL, NULL FROM (`+programsSelect+`) g`)
	return q.cte() + `,
	` + q.firmsCTE() + `,
	` + q.resourcesCTE() + `,
	` + q.programsCTE() + `
	` + strings.Join(parts, "\nUNION ALL ")
}

// firms reads the sector's firms from the profile's 'firm' rows.
func firmsOf(rows [][]any) []Firm {
	out := make([]Firm, 0, len(rows))
	for _, r := range rows {
		f := Firm{ID: str(r[1]), Founded: year(str(r[2])), Province: province(str(r[3]), str(r[4])), Name: str(r[5]),
			Patents: num(r[6]), Tagged: num(r[7]) == 1, Revenue: num(r[8])}
		if f.Name == "" {
			f.Name = f.ID
		}
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// patentsSelect counts the sector's patents by year: fractional, wholly in, partly in.
func (q *queries) patentsSelect() string {
	return `SELECT year, sum(share) AS count, sum(CASE WHEN share >= 1 - 1e-9 THEN 1 ELSE 0 END) AS lower, count(*) AS upper
	FROM pt WHERE year IS NOT NULL` + q.yearFilter("year") + ` GROUP BY year`
}

// patentsByYear reads the profile's 'year' rows.
func patentsByYear(rows [][]any) ([]PatentYear, Count) {
	var total Count
	var out []PatentYear
	for _, r := range rows {
		py := PatentYear{Year: int(num(r[1])), Count: Count{Count: num(r[6]), Lower: num(r[7]), Upper: num(r[8])}}
		if py.Year == 0 {
			py.Year = year(str(r[1]))
		}
		out = append(out, py)
		total.Count += py.Count.Count
		total.Lower += py.Lower
		total.Upper += py.Upper
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Year < out[j].Year })
	return out, total
}

// resourcesSelect sums the flows that reach a firm of the sector (fv of
// resourcesCTE) by channel (schema), year, giver and currency.
const resourcesSelect = `SELECT fv.schema, fv.year, fv.giver, gs.schema AS giver_schema, fv.currency,
		sum(fv.amount) AS amount, count(fv.amount) AS flows, sum(CASE WHEN fv.amount IS NULL THEN 1 ELSE 0 END) AS skipped
	FROM fv LEFT JOIN gs ON gs.id = fv.giver
	GROUP BY fv.schema, fv.year, fv.giver, gs.schema, fv.currency`

// resourcesCTE returns the common table expressions of the flows that reach a
// firm of the sector (fv), from the flows view of the edges table or, in a file
// from before it, from the statements, and of the givers that are government
// bodies (gs: the only schema stateGiver asks about; the ownership classes the
// others), read from the entity rows of that schema alone. A flow
// reaching several firms of the sector counts once.
func (q *queries) resourcesCTE() string {
	givers := `giver AS (SELECT DISTINCT giver AS id FROM fv WHERE giver IS NOT NULL),
	gs AS (SELECT DISTINCT id, schema FROM ` + q.entities() + ` WHERE schema = 'GovBody' AND id IN (SELECT id FROM giver))`
	if q.have["edges"] {
		return `fv AS (SELECT f.id AS flow, f.schema, min(f.giver) AS giver, min(f.amount) AS amount,
			coalesce(min(f.currency), 'CNY') AS currency, CAST(min(f.year) AS VARCHAR) AS year
		FROM flows f WHERE f.receiver IN (SELECT entity_id FROM mem)
		GROUP BY f.id, f.schema),
	` + givers
	}
	receiver, attrs := flowStatements("rel")
	return `rel AS (SELECT DISTINCT s.entity_id AS flow, s.schema, m.firm FROM statement s JOIN mem m ON m.entity_id = s.value
		WHERE ` + receiver + `),
	fv0 AS (` + attrs + `),
	fv AS (SELECT flow, schema, giver, ` + q.dialect().TryDouble("amount") + ` AS amount, currency, year FROM fv0),
	` + givers
}

// resources sums the profile's 'flow' rows by channel and year, with the part the
// state gave.
func (q *queries) resources(ctx context.Context, rows [][]any, owners map[string]Owner, classify Ownership) ([]Flow, int, error) {
	// One row per channel, year and giver: ask the ownership about the givers that
	// are firms or funds, whose state-ness it decides.
	var ask []string
	for _, r := range rows {
		if g := str(r[3]); g != "" && str(r[4]) != "GovBody" {
			if _, ok := owners[g]; !ok {
				ask = append(ask, g)
			}
		}
	}
	if classify != nil && len(ask) > 0 {
		more, err := classify(ctx, dedupe(ask))
		if err != nil {
			return nil, 0, err
		}
		owners = merge(owners, more)
	}
	sums := flowSums{}
	skipped := 0
	for _, r := range rows {
		schema, y, cur, amount, n := str(r[1]), year(str(r[2])), str(r[5]), num(r[6]), int(num(r[7]))
		skipped += int(num(r[8]))
		if y == 0 {
			skipped += n
			continue
		}
		if n == 0 || !in(y, q.opt) {
			continue
		}
		if !strings.EqualFold(cur, "CNY") {
			v, err := toCNY(q.opt.Rates, amount, cur, y)
			if err != nil {
				skipped += n
				continue
			}
			amount = v
		}
		sums.add(schema, y, amount, n, stateGiver(schema, str(r[4]), owners[str(r[3])]))
	}
	return sums.list(), skipped, nil
}

// flowSums sums flows by channel and year.
type flowSums map[struct {
	channel string
	year    int
}]*Flow

// add counts n flows of schema in year y worth amount yuan, given by the state
// or not.
func (m flowSums) add(schema string, y int, amount float64, n int, state bool) {
	ch := channelOf(schema)
	k := struct {
		channel string
		year    int
	}{ch, y}
	a := m[k]
	if a == nil {
		a = &Flow{Channel: ch, Year: y}
		m[k] = a
	}
	a.Amount += amount
	a.Flows += n
	if state {
		a.State += amount
	}
}

// list returns the sums by channel and year.
func (m flowSums) list() []Flow {
	out := make([]Flow, 0, len(m))
	for _, a := range m {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Channel != out[j].Channel {
			return out[i].Channel < out[j].Channel
		}
		return out[i].Year < out[j].Year
	})
	return out
}

// programsCTE is dp, the programs that designated a firm of the sector (program,
// firm), and pn, the programs' names (id, name): from the edges and nodes tables
// when the store has them.
func (q *queries) programsCTE() string {
	if q.have["edges"] && q.have["nodes"] {
		return `dp AS (SELECT DISTINCT e.from_id AS program, m.firm FROM edges e JOIN mem m ON m.entity_id = e.to_id
		WHERE e.schema = 'Designation' AND e.role = 'program' AND e.target = 'firm'),
	pn AS (SELECT id, min(name) AS name FROM nodes WHERE id IN (SELECT program FROM dp) GROUP BY id)`
	}
	return `dfirm AS (SELECT s.entity_id AS des, m.firm FROM statement s JOIN mem m ON m.entity_id = s.value
		WHERE s.schema = 'Designation' AND s.property = 'firm'),
	dp AS (SELECT DISTINCT s.value AS program, d.firm FROM statement s JOIN dfirm d ON d.des = s.entity_id
		WHERE s.schema = 'Designation' AND s.property = 'program'),
	pn AS (SELECT entity_id AS id, min(value) AS name FROM statement
		WHERE property = 'name' AND entity_id IN (SELECT program FROM dp) GROUP BY entity_id)`
}

// programsSelect counts the sector's firms each program designated.
const programsSelect = `SELECT dp.program, min(pn.name) AS name, count(DISTINCT dp.firm) AS firms
	FROM dp LEFT JOIN pn ON pn.id = dp.program GROUP BY dp.program`

// programsOf reads the profile's 'prog' rows, the programs with the most firms first.
func programsOf(rows [][]any) []Program {
	var out []Program
	for _, r := range rows {
		p := Program{ID: str(r[1]), Name: str(r[5]), Firms: int(num(r[6]))}
		if p.Name == "" {
			p.Name = p.ID
		}
		out = append(out, p)
	}
	sortPrograms(out)
	return out
}

// sortPrograms puts the programs with the most firms first.
func sortPrograms(ps []Program) {
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].Firms != ps[j].Firms {
			return ps[i].Firms > ps[j].Firms
		}
		return ps[i].ID < ps[j].ID
	})
}

func dedupe(ss []string) []string {
	sort.Strings(ss)
	out := ss[:0]
	for i, s := range ss {
		if i == 0 || s != ss[i-1] {
			out = append(out, s)
		}
	}
	return out
}

func merge(a, b map[string]Owner) map[string]Owner {
	out := make(map[string]Owner, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

// flowStatements returns, for flows read from the statements, the condition on
// a statement s that it names a flow's receiver (a flow schema and its receiver
// property), and the query of each flow's giver, amount (text), currency and
// year from its statements, for the flows of relation (flow, schema).
func flowStatements(relation string) (receiver, attrs string) {
	var schemas, recv, props []string
	seen := map[string]bool{}
	for _, c := range channels {
		schemas = append(schemas, sqlview.Literal(c.schema))
		recv = append(recv, fmt.Sprintf("(s.schema = %s AND s.property = %s)", sqlview.Literal(c.schema), sqlview.Literal(c.receiver)))
		for _, p := range []string{c.giver, c.amount, c.date, "currency", "year"} {
			if p != "" && !seen[p] {
				seen[p] = true
				props = append(props, sqlview.Literal(p))
			}
		}
	}
	receiver = `s.schema IN (` + strings.Join(schemas, ", ") + `) AND (` + strings.Join(recv, " OR ") + `)`
	attrs = `SELECT r.flow, r.schema,
			min(a.value) FILTER (WHERE a.property IN ('investor', 'grantor', 'lender', 'buyer')) AS giver,
			min(a.value) FILTER (WHERE a.property IN ('amount', 'amount_raised')) AS amount,
			coalesce(min(a.value) FILTER (WHERE a.property = 'currency'), 'CNY') AS currency,
			substr(coalesce(min(a.value) FILTER (WHERE a.property IN ('date', 'listing_date')),
				min(a.value) FILTER (WHERE a.property = 'year')), 1, 4) AS year
		FROM ` + relation + ` r JOIN statement a ON a.entity_id = r.flow AND a.schema = r.schema
		WHERE a.property IN (` + strings.Join(props, ", ") + `)
		GROUP BY r.flow, r.schema`
	return receiver, attrs
}
