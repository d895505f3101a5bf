// Package sector profiles the firms, patents, resources and policies of a technology
// sector (a CTT tag and its subtree) and places sectors between command and market.
//
// A firm is in the sector if one of its patents is tagged in the subtree (patent_tags,
// written by cipmap patents tag) or the firm itself carries such a tag (tags).
// Applicants and tagged records are counted as canonical firms: the clusters table
// (cipmap resolve) maps each record to its firm where it has one; otherwise the
// record is its own firm. Patents count fractionally: a patent counts in the sector
// for the share of its tagged weight that lies in the subtree, divided equally among
// its applicants; Lower and Upper bound the count as tagger.Aggregate's do.
//
// Everything is read with Store.Query in SQL that DuckDB and PostgreSQL both run.
// The package depends on the root package only: the tag tree and the ownership
// classification are given by the caller (cmd/cipmap wires ctt and ownership).
package sector

import (
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// Tree is the tag standard: the subtree and the names of a tag.
type Tree interface {
	// Subtree returns the tag and every tag under it, or an ENOTFOUND error.
	Subtree(tag string) ([]string, error)
	// Name returns the tag's name in Chinese and English.
	Name(tag string) cipmap.Label
}

// Owner is a firm's ownership: its class ("central SOE", "local SOE", "private",
// "foreign", "mixed", "unknown", ... as package ownership names them) and the share
// of its equity held by the state, directly or through chains.
type Owner struct {
	Class      string  `json:"class"`
	StateShare float64 `json:"state_share"`
}

// Ownership classifies firms by id (entity or canonical ids); firms it does not know
// are left out of the map.
type Ownership func(ctx context.Context, ids []string) (map[string]Owner, error)

// Options narrow a profile.
type Options struct {
	// From and To bound the years counted (patents, entry, resources, revenue); 0
	// leaves a side open.
	From, To int
	// Top is how many top firms to list (default 20).
	Top int
	// Ownership classifies the sector's firms; nil leaves every firm "unknown".
	Ownership Ownership
	// Rates converts amounts in other currencies to yuan at the flow's year; nil
	// counts yuan only and reports the others as skipped.
	Rates cipmap.Rates
}

// Class names used in the ownership mix.
const (
	ClassCentral = "central SOE"
	ClassLocal   = "local SOE"
	ClassPrivate = "private"
	ClassForeign = "foreign"
	ClassMixed   = "mixed"
	ClassUnknown = "unknown"
)

// Profile is a sector's profile.
type Profile struct {
	Tag       string       `json:"tag"`
	Name      cipmap.Label `json:"name"`
	Subtree   []string     `json:"subtree"`
	From      int          `json:"from,omitempty"`
	To        int          `json:"to,omitempty"`
	Firms     int          `json:"firms"`
	Patents   Count        `json:"patents"` // over every year of the window
	Entry     []YearCount  `json:"entry"`   // firms founded each year
	ByYear    []PatentYear `json:"patents_by_year"`
	Resources []Flow       `json:"resources"` // by channel and year
	// Skipped counts flows to the sector's firms without an amount, a year, or a
	// rate to convert their currency to yuan.
	Skipped       int          `json:"resources_skipped"`
	Ownership     []ClassShare `json:"ownership"`
	Concentration HHI          `json:"concentration"`
	Geography     []Place      `json:"geography"`
	TopFirms      []Firm       `json:"top_firms"`
	Policies      []Policy     `json:"policies"`
	Programs      []Program    `json:"programs"`
	Architecture  Architecture `json:"architecture"`
}

// Count is a fractional patent count with its bounds: Lower counts the patents wholly
// in the sector, Upper those partly in it; Lower ≤ Count ≤ Upper.
type Count struct {
	Count float64 `json:"count"`
	Lower float64 `json:"lower"`
	Upper float64 `json:"upper"`
}

// PatentYear is the sector's patents applied for in a year.
type PatentYear struct {
	Year int `json:"year"`
	Count
}

// YearCount is a number of firms in a year.
type YearCount struct {
	Year  int `json:"year"`
	Firms int `json:"firms"`
}

// Flow is the resources of one channel reaching the sector's firms in a year, in CNY.
type Flow struct {
	Channel string  `json:"channel"` // investment, grant, loan, contract, listing
	Year    int     `json:"year"`
	Amount  float64 `json:"amount"`
	State   float64 `json:"state_amount"` // given by the state: government bodies, state funds, SOEs
	Flows   int     `json:"flows"`
}

// ClassShare is the firms, patents and revenue of one ownership class.
type ClassShare struct {
	Class   string  `json:"class"`
	Firms   int     `json:"firms"`
	Patents float64 `json:"patents"`
	Revenue float64 `json:"revenue"`
}

// HHI is the Herfindahl-Hirschman index of the sector (sum of squared shares, 0 to
// 1) over revenue where the firms have financials, else over patents.
type HHI struct {
	Basis string  `json:"basis"` // "revenue" or "patents"
	Value float64 `json:"value"`
	Firms int     `json:"firms"` // firms with a share
}

// Place is the sector's firms and patents in one province.
type Place struct {
	Province string  `json:"province"`
	Firms    int     `json:"firms"`
	Patents  float64 `json:"patents"`
}

// Firm is one firm of the sector.
type Firm struct {
	ID       string  `json:"id"`
	Name     string  `json:"name"`
	Province string  `json:"province"`
	Founded  int     `json:"founded,omitempty"`
	Class    string  `json:"class"`
	Patents  float64 `json:"patents"`
	Revenue  float64 `json:"revenue"`
	Tagged   bool    `json:"tagged"` // the firm itself carries a tag of the sector
}

// Policy is a policy (or program) with a Targeting relation to a tag of the subtree.
type Policy struct {
	ID          string   `json:"id"`
	Schema      string   `json:"schema"`
	Title       string   `json:"title"`
	Date        string   `json:"date"`
	Level       string   `json:"level"`
	Tags        []string `json:"tags"`
	Weight      float64  `json:"weight"`
	Instruments []string `json:"instruments"`
}

// Program is a program that designated firms of the sector.
type Program struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Firms int    `json:"firms"`
}

// firmFigures computes the figures made from the firm table.
func (p *Profile) firmFigures(firms []Firm, opt Options) {
	p.Firms = len(firms)
	entry := map[int]int{}
	classes := map[string]*ClassShare{}
	places := map[string]*Place{}
	var revTotal, patTotal float64
	for _, f := range firms {
		if f.Founded != 0 && in(f.Founded, opt) {
			entry[f.Founded]++
		}
		c := classes[f.Class]
		if c == nil {
			c = &ClassShare{Class: f.Class}
			classes[f.Class] = c
		}
		c.Firms++
		c.Patents += f.Patents
		c.Revenue += f.Revenue
		prov := f.Province
		if prov == "" {
			prov = "unknown"
		}
		pl := places[prov]
		if pl == nil {
			pl = &Place{Province: prov}
			places[prov] = pl
		}
		pl.Firms++
		pl.Patents += f.Patents
		revTotal += f.Revenue
		patTotal += f.Patents
	}
	for y, n := range entry {
		p.Entry = append(p.Entry, YearCount{Year: y, Firms: n})
	}
	sort.Slice(p.Entry, func(i, j int) bool { return p.Entry[i].Year < p.Entry[j].Year })
	for _, cl := range []string{ClassCentral, ClassLocal, ClassMixed, ClassPrivate, ClassForeign, ClassUnknown} {
		if c := classes[cl]; c != nil {
			p.Ownership = append(p.Ownership, *c)
			delete(classes, cl)
		}
	}
	var rest []string
	for cl := range classes {
		rest = append(rest, cl)
	}
	sort.Strings(rest)
	for _, cl := range rest {
		p.Ownership = append(p.Ownership, *classes[cl])
	}
	for _, pl := range places {
		p.Geography = append(p.Geography, *pl)
	}
	sort.Slice(p.Geography, func(i, j int) bool {
		a, b := p.Geography[i], p.Geography[j]
		if a.Firms != b.Firms {
			return a.Firms > b.Firms
		}
		return a.Province < b.Province
	})
	// Concentration over revenue if firms report it, else over patents.
	p.Concentration = HHI{Basis: "revenue"}
	total, val := revTotal, func(f Firm) float64 { return f.Revenue }
	if revTotal <= 0 {
		p.Concentration.Basis, total, val = "patents", patTotal, func(f Firm) float64 { return f.Patents }
	}
	if total > 0 {
		for _, f := range firms {
			if v := val(f); v > 0 {
				s := v / total
				p.Concentration.Value += s * s
				p.Concentration.Firms++
			}
		}
	}
	// Patent counts are sums of fractions, which the database adds in an order of
	// its own: 3.8333333333333335 for one firm and 3.833333333333333 for another
	// with the same patents. Counts that close are ties, so the order does not
	// depend on the store or the run.
	better := func(a, b *Firm) bool {
		if d := a.Patents - b.Patents; math.Abs(d) > 1e-9*math.Max(1, math.Abs(a.Patents)) {
			return d > 0
		}
		if a.Revenue != b.Revenue {
			return a.Revenue > b.Revenue
		}
		return a.ID < b.ID
	}
	// The first opt.Top in that order, kept in order as the firms pass: a sector
	// has up to 300,000 firms, and sorting them all was most of a profile's time.
	top := make([]Firm, 0, opt.Top+1)
	for i := range firms {
		f := &firms[i]
		if len(top) == opt.Top && !better(f, &top[len(top)-1]) {
			continue
		}
		j := sort.Search(len(top), func(k int) bool { return better(f, &top[k]) })
		top = append(top, Firm{})
		copy(top[j+1:], top[j:])
		top[j] = *f
		if len(top) > opt.Top {
			top = top[:opt.Top]
		}
	}
	p.TopFirms = top
}

func in(year int, opt Options) bool {
	return (opt.From == 0 || year >= opt.From) && (opt.To == 0 || year <= opt.To)
}

// queries builds the SQL of a profile.
type queries struct {
	tags string // the subtree as an SQL list: 'a', 'b'
	opt  Options
	have map[string]bool
}

func newQueries(sub []string, opt Options, have map[string]bool) *queries {
	lits := make([]string, len(sub))
	for i, t := range sub {
		lits[i] = sqlview.Literal(t)
	}
	return &queries{tags: strings.Join(lits, ", "), opt: opt, have: have}
}

// cte returns the common table expressions of the sector's firms:
//
//	canon  each clustered record and its canonical firm
//	pt     the sector's patents: year, share of the patent in the sector, whole or not
//	pa     the patents' applicants as firms, each with its share of the patent
//	fp     patents by firm
//	tf     firms that carry a tag of the subtree themselves
//	tfl    firms that receive a flow tagged in the subtree
//	firms  the sector's firms
//	mem    each firm's records (entity ids)
func (q *queries) cte() string {
	pt := `SELECT t.patent_id, min(t.year) AS year,
			sum(CASE WHEN t.tag IN (` + q.tags + `) THEN t.weight ELSE 0 END) / sum(t.weight) AS share
		FROM patent_tags t
		WHERE t.system = 'ctt' AND t.weight > 0 AND t.patent_id IN (SELECT patent_id FROM patent_tags WHERE system = 'ctt' AND tag IN (` + q.tags + `))
		GROUP BY t.patent_id`
	if q.have["patent_mass"] {
		// The same from the sector's tags' rows alone, each holding its patent's
		// mass; a patent tagged by two datasets takes the mean of their shares.
		pt = `SELECT patent_id, min(year) AS year, avg(share) AS share FROM (
			SELECT t.patent_id, t.dataset, min(t.year) AS year, sum(t.weight) / min(t.mass) AS share
			FROM patent_tags t
			WHERE t.system = 'ctt' AND t.weight > 0 AND t.mass > 0 AND t.tag IN (` + q.tags + `)
			GROUP BY t.patent_id, t.dataset) d
		GROUP BY patent_id`
	}
	if !q.have["patent_tags"] {
		pt = `SELECT CAST(NULL AS VARCHAR) AS patent_id, 0 AS year, 0.0 AS share WHERE false`
	}
	pa := `SELECT coalesce(c.cluster_id, f.applicant_id) AS firm, pt.patent_id, pt.year, pt.share / f.applicants AS w
		FROM pt JOIN patent_facts f ON f.patent_id = pt.patent_id
		LEFT JOIN canon c ON c.entity_id = f.applicant_id
		WHERE f.applicant_id IS NOT NULL` + q.yearFilter("pt.year")
	if !q.have["patent_facts"] {
		pa = `SELECT CAST(NULL AS VARCHAR) AS firm, CAST(NULL AS VARCHAR) AS patent_id, 0 AS year, 0.0 AS w WHERE false`
	}
	return `WITH canon AS MATERIALIZED (` + q.canonSQL() + `),
	pt AS MATERIALIZED (` + pt + `),
	pa AS (` + pa + `),
	fp AS MATERIALIZED (SELECT firm, sum(w) AS patents FROM pa GROUP BY firm),
	tf AS (SELECT DISTINCT coalesce(c.cluster_id, t.entity_id) AS firm
		FROM tags t JOIN ` + q.entities() + ` e ON e.id = t.entity_id AND e.schema = 'Firm'
		LEFT JOIN canon c ON c.entity_id = t.entity_id
		WHERE t.system = 'ctt' AND t.tag IN (` + q.tags + `) AND t.weight > 0),
	tfl AS (` + q.taggedFlowReceivers() + `),
	firms AS MATERIALIZED (SELECT firm FROM fp UNION SELECT firm FROM tf UNION SELECT firm FROM tfl),
	mem AS MATERIALIZED (SELECT DISTINCT f.firm, coalesce(c.entity_id, f.firm) AS entity_id
		FROM firms f LEFT JOIN canon c ON c.cluster_id = f.firm)
	`
}

// canonSQL maps each clustered record to its canonical firm (entity_id,
// cluster_id).
func (q *queries) canonSQL() string {
	if !q.have["clusters"] {
		return `SELECT CAST(NULL AS VARCHAR) AS entity_id, CAST(NULL AS VARCHAR) AS cluster_id WHERE false`
	}
	return `SELECT entity_id, min(cluster_id) AS cluster_id FROM clusters GROUP BY entity_id`
}

// entities is the table of entities by schema: nodes, which lacks only relations,
// when the store has it.
func (q *queries) entities() string {
	if q.have["nodes"] {
		return "nodes"
	}
	return "entity"
}

// taggedFlowReceivers is the query of the firms that receive a flow tagged in the
// subtree (with any CTT tag when there is no subtree), from the flows view when
// the store has it.
func (q *queries) taggedFlowReceivers() string {
	inSub := "t.tag IN (" + q.tags + ")"
	if q.tags == "" {
		inSub = "true"
	}
	if q.have["edges"] {
		return `SELECT DISTINCT coalesce(c.cluster_id, f.receiver) AS firm
		FROM tags t JOIN flows f ON f.id = t.entity_id
		LEFT JOIN canon c ON c.entity_id = f.receiver
		WHERE t.system = 'ctt' AND ` + inSub + ` AND t.weight > 0`
	}
	return `SELECT DISTINCT coalesce(c.cluster_id, s.value) AS firm
		FROM tags t JOIN statement s ON s.entity_id = t.entity_id
		LEFT JOIN canon c ON c.entity_id = s.value
		WHERE t.system = 'ctt' AND ` + inSub + ` AND t.weight > 0
			AND (` + flowReceivers() + `)`
}

// dialect is the SQL dialect of the store: DuckDB's, which has TRY_CAST, or
// PostgreSQL's.
func (q *queries) dialect() sqlview.Dialect {
	if q.have["try_cast"] {
		return sqlview.DuckDB
	}
	return sqlview.Postgres
}

// flowReceivers is the SQL condition on a statement s that it names the receiver
// of a flow (a contract's supplier, a grant's recipient, ...): a firm receiving a
// flow tagged in the subtree (a procurement award for an AI system) is in the
// sector.
func flowReceivers() string {
	var or []string
	for _, c := range cipmap.FlowChannels {
		or = append(or, "(s.schema = '"+c.Schema+"' AND s.property = '"+c.Receiver+"')")
	}
	return strings.Join(or, " OR ")
}

// channels maps each flow schema to its channel, receiver and giver properties and
// its amount and date properties.
var channels = []struct {
	schema, channel, receiver, giver, amount, date string
}{
	{"Investment", "investment", "investee", "investor", "amount", "date"},
	{"Grant", "grant", "recipient", "grantor", "amount", "date"},
	{"Loan", "loan", "borrower", "lender", "amount", "date"},
	{"Contract", "contract", "supplier", "buyer", "amount", "date"},
	{"Listing", "listing", "firm", "", "amount_raised", "listing_date"},
}

// toCNY converts a sum in another currency to yuan at the year's rate.
func toCNY(rates cipmap.Rates, amount float64, currency string, year int) (float64, error) {
	if rates == nil {
		return 0, cipmap.Errorf(cipmap.ENOTFOUND, "no exchange rates to convert %s", currency)
	}
	return rates.ToCNY(amount, currency, year)
}

// stateGiver says whether a flow's giver is the state: a government body, a fund or
// firm the ownership classes as an SOE or whose state share is a majority. Grants are
// state by nature whoever is named as grantor; listings are market.
func stateGiver(schema, giverSchema string, o Owner) bool {
	switch {
	case schema == "Grant":
		return true
	case schema == "Listing":
		return false
	case giverSchema == "GovBody":
		return true
	}
	return o.Class == ClassCentral || o.Class == ClassLocal || strings.Contains(o.Class, "SOE") || o.StateShare > 0.5
}

func channelOf(schema string) string {
	for _, c := range channels {
		if c.schema == schema {
			return c.channel
		}
	}
	return strings.ToLower(schema)
}

// policiesSQL lists the Targeting relations to tags of the subtree with their
// policy's title, date and level, and the policy's other targetings' instruments.
func (q *queries) policiesSQL() string {
	return `WITH tg AS (SELECT entity_id FROM statement WHERE schema = 'Targeting' AND property = 'target_tag'
			AND value IN (` + q.tags + `)),
	pol AS (SELECT DISTINCT s.value AS policy FROM statement s JOIN tg ON tg.entity_id = s.entity_id
		WHERE s.schema = 'Targeting' AND s.property = 'policy'),
	alltg AS (SELECT DISTINCT s.entity_id FROM statement s JOIN pol ON pol.policy = s.value
		WHERE s.schema = 'Targeting' AND s.property = 'policy'),
	trow AS (SELECT s.entity_id,
			min(s.value) FILTER (WHERE s.property = 'policy') AS policy,
			min(s.value) FILTER (WHERE s.property = 'target_tag') AS tag,
			min(s.value) FILTER (WHERE s.property = 'instrument') AS instrument,
			min(s.value) FILTER (WHERE s.property = 'weight') AS weight
		FROM statement s JOIN alltg a ON a.entity_id = s.entity_id WHERE s.schema = 'Targeting'
		GROUP BY s.entity_id),
	pinfo AS (SELECT s.entity_id AS policy, min(s.schema) AS schema,
			min(s.value) FILTER (WHERE s.property IN ('title', 'name')) AS title,
			min(s.value) FILTER (WHERE s.property IN ('date', 'start_date')) AS date,
			min(s.value) FILTER (WHERE s.property = 'level') AS level
		FROM statement s JOIN pol ON pol.policy = s.entity_id
		WHERE s.property IN ('title', 'name', 'date', 'start_date', 'level') GROUP BY s.entity_id)
	SELECT t.policy, p.schema, p.title, p.date, p.level, t.tag, t.instrument, t.weight
	FROM trow t LEFT JOIN pinfo p ON p.policy = t.policy ORDER BY t.policy, t.entity_id`
}

func (q *queries) policies(ctx context.Context, st cipmap.Store) ([]Policy, error) {
	t, err := st.Query(ctx, q.policiesSQL())
	if err != nil {
		return nil, fmt.Errorf("sector policies: %w", err)
	}
	inSub := map[string]bool{}
	for _, tg := range strings.Split(q.tags, ", ") {
		inSub[strings.Trim(tg, "'")] = true
	}
	byID := map[string]*Policy{}
	var order []string
	for _, r := range t.Rows {
		id := str(r[0])
		p := byID[id]
		if p == nil {
			p = &Policy{ID: id, Schema: str(r[1]), Title: str(r[2]), Date: str(r[3]), Level: str(r[4])}
			if p.Title == "" {
				p.Title = id
			}
			byID[id] = p
			order = append(order, id)
		}
		if tg := str(r[5]); tg != "" && inSub[tg] {
			p.Tags = appendNew(p.Tags, tg)
			w := 1.0
			if x, err := strconv.ParseFloat(str(r[7]), 64); err == nil {
				w = x
			}
			p.Weight = math.Max(p.Weight, w)
		}
		if in := str(r[6]); in != "" {
			p.Instruments = appendNew(p.Instruments, in)
		}
	}
	out := make([]Policy, 0, len(order))
	for _, id := range order {
		out = append(out, *byID[id])
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Date != out[j].Date {
			return out[i].Date < out[j].Date
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// tables reports which of the tables a profile reads exist: a database written by an
// older cipmap and opened read-only may lack the later ones.
func tables(ctx context.Context, st cipmap.Store) (map[string]bool, error) {
	out := map[string]bool{}
	for _, t := range []string{"patent_facts", "patent_tags", "clusters", "tags", "financials", "edges", "nodes"} {
		_, err := st.Query(ctx, "SELECT 1 FROM "+t+" WHERE false")
		out[t] = err == nil
	}
	_, err := st.Query(ctx, "SELECT TRY_CAST('x' AS DOUBLE)")
	out["try_cast"] = err == nil
	_, err = st.Query(ctx, "SELECT mass FROM patent_tags WHERE false")
	out["patent_mass"] = err == nil
	if !out["tags"] || !out["financials"] {
		return nil, cipmap.Errorf(cipmap.EINVALID, "the database lacks the tags or financials table; open it for writing once to upgrade it")
	}
	return out, nil
}

//go:embed provinces.csv
var provincesCSV string

// provinces maps the first two digits of an administrative division code (GB/T 2260)
// to the province's Chinese name.
var provinces = func() map[string]string {
	recs, err := csv.NewReader(strings.NewReader(provincesCSV)).ReadAll()
	if err != nil {
		panic(err)
	}
	out := map[string]string{}
	for _, r := range recs[1:] {
		out[r[0]] = r[1]
	}
	return out
}()

// province returns a firm's province from its province property, else from its
// region: a division code (its first two digits) or a name that is a province's.
func province(prov, region string) string {
	if prov != "" {
		return prov
	}
	if len(region) == 6 && allDigits(region) {
		return provinces[region[:2]]
	}
	for _, name := range provinces {
		if region == name || (len(region) >= 6 && strings.HasPrefix(region, strings.TrimRight(name, "省市"))) {
			return name
		}
	}
	return ""
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// year returns the year of an ISO date ("2021-03-04", "2021"), or 0.
func year(s string) int {
	if len(s) < 4 || !allDigits(s[:4]) {
		return 0
	}
	y, _ := strconv.Atoi(s[:4])
	return y
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	case fmt.Stringer: // decimals and big integers
		f, _ := strconv.ParseFloat(x.String(), 64)
		return f
	}
	return 0
}

func appendNew(ss []string, s string) []string {
	for _, x := range ss {
		if x == s {
			return ss
		}
	}
	return append(ss, s)
}
