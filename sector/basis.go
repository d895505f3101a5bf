package sector

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
)

// Besides Build's one query of a window (window.go), a profile can be computed in
// Go from two parts read from the store, so that a server can keep them and
// answer a profile for any window of years without asking the store again:
//
//   - a Basis, the sector's own part: its firms over every year, each with its
//     patents in the sector by year and whether it carries a tag of the sector or
//     receives a flow tagged in it; the sector's patents by year; its policies;
//   - the Facts of firms, whatever their sector: name, founding, province,
//     revenue by year, the flows they receive and the programs that designated
//     them, read once for every firm that is in some sector.
//
// A window (Options.From, To) keeps the firms with a patent in the sector applied
// for in the window, and every tagged firm; it counts their revenue, the flows
// they received and the programs that designated them in the window. At a million
// firms the largest sector has 437,284 firms: its basis takes about 3 s to read,
// its profile for a window 0.2–0.5 s to compute from the kept parts, where one
// query of a window of a 300,000-firm sector took 2.1–2.8 s.
// TestEdgesAndStatementsAgree checks that both ways give the same profiles.

// yearValue is a sum in one year; year 0 is a row without a year, counted only
// when the window is open on both sides (as SQL's "year >= from" leaves NULL out).
type yearValue struct {
	year  int32
	value float64
}

// span is the rows [lo, hi) of a slice.
type span struct{ lo, hi int32 }

// inWindow says whether a year-value row counts in the window.
func inWindow(y int32, opt Options) bool {
	if y == 0 {
		return opt.From == 0 && opt.To == 0
	}
	return in(int(y), opt)
}

// Basis flags of a firm.
const (
	flagTagged     = 1 // the firm carries a tag of the sector itself
	flagFlowTagged = 2 // the firm receives a flow tagged in the sector
)

type basisFirm struct {
	flags uint8
	owned bool   // owner is known
	class uint16 // the owner's class in Basis.classes
	pats  span   // patents by year in Basis.pats
	state float64
}

// Basis is a sector's own part of its profiles, over every year.
type Basis struct {
	Tag      string
	Name     cipmap.Label
	Subtree  []string
	firms    []basisFirm // by id
	ids      strs        // the firms' ids
	classes  intern
	pats     []yearValue
	years    []PatentYear
	policies []Policy

	// rows are the firms' rows in the facts last given to Profile (bound).
	mu    sync.Mutex
	bound *Facts
	rows  []int32
}

// rowsIn returns the firms' rows in f, -1 for those f does not know, found once
// for the facts in use.
func (b *Basis) rowsIn(f *Facts) []int32 {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.bound != f {
		rows := make([]int32, len(b.firms))
		for i := range b.firms {
			rows[i] = f.row(b.ids.at(int32(i)))
		}
		b.bound, b.rows = f, rows
	}
	return b.rows
}

// Firms is the number of firms of the sector over every year.
func (b *Basis) Firms() int { return len(b.firms) }

// Bytes is about how much memory the basis holds.
func (b *Basis) Bytes() int64 {
	return int64(len(b.firms))*40 + int64(len(b.ids.text)) + int64(len(b.pats))*16 + int64(len(b.years))*40 + int64(len(b.policies))*200
}

// BuildBasis reads the basis of the sector of tag and classifies its firms with
// classify (nil leaves them unknown).
func BuildBasis(ctx context.Context, st cipmap.Store, tree Tree, tag string, classify Ownership) (*Basis, error) {
	sub, err := tree.Subtree(tag)
	if err != nil {
		return nil, err
	}
	have, err := tables(ctx, st)
	if err != nil {
		return nil, err
	}
	q := newQueries(sub, Options{}, have)
	t, err := st.Query(ctx, q.basisSQL())
	if err != nil {
		return nil, fmt.Errorf("sector %s: %w", tag, err)
	}
	return q.readBasis(ctx, st, tree, tag, t.Rows, classify)
}

// readBasis reads the basis from the 'firm' and 'year' rows of basisParts and
// the sector's policies from the store.
func (q *queries) readBasis(ctx context.Context, st cipmap.Store, tree Tree, tag string, rows [][]any, classify Ownership) (*Basis, error) {
	sub, _ := tree.Subtree(tag)
	b := &Basis{Tag: tag, Name: tree.Name(tag), Subtree: sub}
	var err error
	var ids []string
	for i, r := range rows {
		switch str(r[0]) {
		case "firm":
			id := str(r[colA])
			f := basisFirm{flags: uint8(num(r[colX]))}
			lo := len(b.pats)
			if b.pats, err = appendYearValues(b.pats, str(r[colB])); err != nil {
				return nil, fmt.Errorf("sector %s: firm %s, row %d: patents by year: %w", tag, id, i+1, err)
			}
			f.pats = span{int32(lo), int32(len(b.pats))}
			b.firms = append(b.firms, f)
			ids = append(ids, id)
		case "year":
			py := PatentYear{Year: year(str(r[colA])), Count: Count{Count: num(r[colX]), Lower: num(r[colY]), Upper: num(r[colZ])}}
			b.years = append(b.years, py)
		}
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool { return ids[order[i]] < ids[order[j]] })
	firms, sorted := make([]basisFirm, len(order)), make([]string, len(order))
	for i, k := range order {
		firms[i], sorted[i] = b.firms[k], ids[k]
	}
	b.firms = firms
	sort.Slice(b.years, func(i, j int) bool { return b.years[i].Year < b.years[j].Year })
	if classify != nil && len(b.firms) > 0 {
		owners, err := classify(ctx, sorted)
		if err != nil {
			return nil, fmt.Errorf("classify the sector's firms: %w", err)
		}
		for i := range b.firms {
			if o, ok := owners[sorted[i]]; ok {
				b.firms[i].owned, b.firms[i].class, b.firms[i].state = true, b.classes.of(o.Class), o.StateShare
			}
		}
	}
	b.ids = strsOf(sorted)
	if b.policies, err = q.policies(ctx, st); err != nil {
		return nil, err
	}
	return b, nil
}

// appendYearValues parses "year:value;year:value" (an empty year is 0) onto out,
// each firm's rows in order of year, so that their sums do not depend on the
// order the store gave them in.
func appendYearValues(out []yearValue, s string) ([]yearValue, error) {
	if s == "" {
		return out, nil
	}
	lo := len(out)
	for _, part := range strings.Split(s, ";") {
		y, v, ok := strings.Cut(part, ":")
		if !ok {
			return out, fmt.Errorf("%q: want year:value", part)
		}
		var yv yearValue
		if y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				return out, fmt.Errorf("year %q: %w", y, err)
			}
			yv.year = int32(n)
		}
		x, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return out, fmt.Errorf("value %q: %w", v, err)
		}
		yv.value = x
		out = append(out, yv)
	}
	rows := out[lo:]
	sort.Slice(rows, func(i, j int) bool { return rows[i].year < rows[j].year })
	return out, nil
}

// The queries of the basis and the facts give rows of the same columns: kind,
// text columns a–h and number columns x–z (colA...).
const (
	colA = 1 + iota
	colB
	colC
	colD
	colE
	colF
	colG
	colH
	colX
	colY
	colZ
)

// selectRow is the select list of a row of kind: the text columns given, then
// nulls, and the number columns given, then nulls.
func selectRow(kind string, text []string, nums ...string) string {
	cols := []string{"'" + kind + "' AS kind"}
	for i := 0; i < 8; i++ {
		v := "CAST(NULL AS VARCHAR)"
		if i < len(text) {
			v = text[i]
		}
		cols = append(cols, v+" AS "+string(rune('a'+i)))
	}
	for i, n := range []string{"x", "y", "z"} {
		v := "CAST(NULL AS DOUBLE PRECISION)"
		if i < len(nums) {
			v = "CAST(" + nums[i] + " AS DOUBLE PRECISION)"
		}
		cols = append(cols, v+" AS "+n)
	}
	return "SELECT " + strings.Join(cols, ", ")
}

// basisCTE is cte and ps, each firm's patents in the sector by year.
func (q *queries) basisCTE() string {
	return q.cte() + `,
	ps AS (SELECT firm, string_agg(coalesce(CAST(year AS VARCHAR), '') || ':' || CAST(w AS VARCHAR), ';') AS s
		FROM (SELECT firm, year, sum(w) AS w FROM pa GROUP BY firm, year) p GROUP BY firm)`
}

const firmFlags = `(CASE WHEN tf.firm IS NULL THEN 0 ELSE 1 END) + (CASE WHEN tfl.firm IS NULL THEN 0 ELSE 2 END)`

// basisParts are the rows of the sector's firms, each with its patents by year
// ('firm': a the firm, b "year:patents;..."; x its flags) and of the sector's
// patents by year ('year': a year; x count, y lower, z upper).
func (q *queries) basisParts() []string {
	parts := []string{selectRow("firm", []string{"f.firm", "ps.s"}, firmFlags) + `
	FROM firms f LEFT JOIN ps ON ps.firm = f.firm LEFT JOIN tf ON tf.firm = f.firm LEFT JOIN tfl ON tfl.firm = f.firm`}
	if q.have["patent_tags"] {
		parts = append(parts, selectRow("year", []string{"CAST(year AS VARCHAR)"}, "count", "lower", "upper")+`
	FROM (SELECT year, sum(share) AS count, sum(CASE WHEN share >= 1 - 1e-9 THEN 1 ELSE 0 END) AS lower,
		count(*) AS upper FROM pt WHERE year IS NOT NULL GROUP BY year) p`)
	}
	return parts
}

// basisSQL reads the basis alone.
func (q *queries) basisSQL() string {
	return q.basisCTE() + "\n" + strings.Join(q.basisParts(), "\nUNION ALL ")
}

// Profile computes the sector's profile for the window of opt from the basis and
// the facts of its firms. opt.Ownership is not used: the basis's firms and the
// facts' givers were classified when they were read.
func (b *Basis) Profile(f *Facts, opt Options) (*Profile, error) {
	if opt.Top <= 0 {
		opt.Top = 20
	}
	if opt.From != 0 && opt.To != 0 && opt.From > opt.To {
		return nil, cipmap.Errorf(cipmap.EINVALID, "--from %d is after --to %d", opt.From, opt.To)
	}
	p := &Profile{Tag: b.Tag, Name: b.Name, Subtree: b.Subtree, From: opt.From, To: opt.To, Policies: b.policies}
	firms := make([]Firm, 0, len(b.firms))
	facts := make([]int32, 0, len(b.firms)) // each firm's row in f, or -1
	var equity []float64
	rows := b.rowsIn(f)
	for k := range b.firms {
		bf := &b.firms[k]
		var pats float64
		has := false
		for _, yv := range b.pats[bf.pats.lo:bf.pats.hi] {
			if inWindow(yv.year, opt) {
				pats += yv.value
				has = true
			}
		}
		if !has && bf.flags == 0 {
			continue
		}
		id := b.ids.at(int32(k))
		fm := Firm{ID: id, Name: id, Patents: pats, Tagged: bf.flags&flagTagged != 0, Class: ClassUnknown}
		i := rows[k]
		if i >= 0 {
			ff := &f.firms[i]
			if name := f.names.at(i); name != "" {
				fm.Name = name
			}
			fm.Province, fm.Founded = f.provinces.vals[ff.province], int(ff.founded)
			for _, yv := range f.rev[ff.rev.lo:ff.rev.hi] {
				if inWindow(yv.year, opt) {
					fm.Revenue += yv.value
				}
			}
		}
		if bf.owned {
			if c := b.classes.vals[bf.class]; c != "" {
				fm.Class = c
			}
			equity = append(equity, bf.state)
		}
		firms = append(firms, fm)
		facts = append(facts, i)
	}
	p.firmFigures(firms, opt)
	for _, py := range b.years {
		if in(py.Year, opt) {
			p.ByYear = append(p.ByYear, py)
			p.Patents.Count += py.Count.Count
			p.Patents.Lower += py.Lower
			p.Patents.Upper += py.Upper
		}
	}
	var err error
	if p.Resources, p.Skipped, err = f.resources(facts, opt); err != nil {
		return nil, err
	}
	p.Programs = f.programsOf(facts)
	p.Architecture = architecture(p, firms, equity)
	return p, nil
}
