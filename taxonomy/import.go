package taxonomy

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/cipmap/cipmap"
)

// ImportOptions says how to read a crosswalk file. The zero value reads a CSV with
// the columns from_code, to_code and, if present, weight and partial.
type ImportOptions struct {
	FromColumn    string // source code column; default "from_code"
	ToColumn      string // target code column; default "to_code"
	WeightColumn  string // default "weight" if the file has it; without weights, structural weights (WeightStructural)
	PartialColumn string // default "partial" if the file has it; 1, true, yes, y, * mean partial
	// Where keeps only the rows whose column holds the value, such as
	// {"yr": "2017.0"} for the GB/T 4754 → ISIC Rev.4 appendix, which holds the
	// 2011 and 2017 editions.
	Where map[string]string
	// Comma is the field separator; default ',' (a tab for .tsv and .tab files).
	Comma rune
	// Source is recorded on every edge; default "file NAME".
	Source string
	// WeightType of weighted edges; default cipmap.WeightExpert.
	WeightType string
	// SkipUnknown skips rows whose codes are not codes of their systems (counted in
	// ImportReport.Unknown) instead of failing on the first.
	SkipUnknown bool
}

// ImportReport says what ImportFileReport did with each row of a file.
type ImportReport struct {
	Rows     int // data rows read
	Edges    int // edges added (distinct code pairs)
	Filtered int // rows left out by Where
	// Blank counts rows with an empty source or target code: rows that describe
	// the hierarchy (an appendix's section and division rows) or a code without a
	// counterpart. They add no edge.
	Blank int
	// Unknown counts rows skipped under SkipUnknown; UnknownRows names the first ten
	// (file:line, system, code).
	Unknown     int
	UnknownRows []string
}

// ImportFile reads a crosswalk from a CSV file at run time, such as the
// GB/T 4754-2017 → ISIC Rev.4 appendix that cipmap may not ship, and adds its edges
// from system from to system to (and the derived reverse). It returns the number of
// edges added. Bad input is an EINVALID error naming file:line, the column and the
// value.
//
//	n, err := reg.ImportFile("gb-isic4-appendix-c.csv", "gbt4754-2017", "isic4", taxonomy.ImportOptions{
//		FromColumn: "GB", ToColumn: "isic4", Where: map[string]string{"yr": "2017.0"},
//	})
func (r *Registry) ImportFile(path, from, to string, opts ImportOptions) (int, error) {
	rep, err := r.ImportFileReport(path, from, to, opts)
	if rep == nil {
		return 0, err
	}
	return rep.Edges, err
}

// ImportFileReport is ImportFile with a full account of the rows.
func (r *Registry) ImportFileReport(path, from, to string, opts ImportOptions) (*ImportReport, error) {
	edges, rep, err := r.ReadCrosswalkFile(path, from, to, opts)
	if err != nil {
		return rep, err
	}
	src := opts.Source
	if src == "" {
		src = "file " + filepath.Base(path)
	}
	for i := range edges {
		edges[i].Source = src
	}
	return rep, r.AddCrosswalk(edges)
}

// ReadCrosswalkFile reads and checks a crosswalk file as ImportFileReport does, and
// returns its edges without adding them: one per row kept, with Source naming the
// file and line. Rows without weights come out with weight 1 and weight type
// WeightStructural, for AddCrosswalk to share out.
func (r *Registry) ReadCrosswalkFile(path, from, to string, opts ImportOptions) ([]cipmap.CrosswalkEdge, *ImportReport, error) {
	rep, rows, err := r.readCrosswalk(path, from, to, opts)
	if err != nil {
		return nil, rep, err
	}
	edges := make([]cipmap.CrosswalkEdge, len(rows))
	for i, x := range rows {
		edges[i] = cipmap.CrosswalkEdge{FromSystem: from, From: x.p.from, ToSystem: to, To: x.p.to, Weight: x.w,
			WeightType: x.wtype, Partial: x.p.partial, Source: x.src}
	}
	return edges, rep, nil
}

// AddCrosswalk adds edges: those of weight type WeightStructural as an unweighted
// table (shares from the structure of the pairs, see ImportFile), the others as
// AddEdges does.
func (r *Registry) AddCrosswalk(edges []cipmap.CrosswalkEdge) error {
	var weighted []cipmap.CrosswalkEdge
	pairs := map[[2]string][]pair{}
	var keys [][2]string
	r.mu.Lock()
	for i, e := range edges {
		if e.WeightType != WeightStructural {
			weighted = append(weighted, e)
			continue
		}
		fs, err := r.system(e.FromSystem)
		if err == nil {
			var ts *system
			if ts, err = r.system(e.ToSystem); err == nil && e.FromSystem == e.ToSystem {
				err = cipmap.Errorf(cipmap.EINVALID, "%s → %s links a system to itself", e.FromSystem, e.ToSystem)
			}
			var fc, tc string
			if err == nil {
				if fc, err = r.resolveCode(fs, e.From); err == nil {
					tc, err = r.resolveCode(ts, e.To)
				}
			}
			if err == nil {
				k := [2]string{e.FromSystem, e.ToSystem}
				if _, ok := pairs[k]; !ok {
					keys = append(keys, k)
				}
				m := r.meta(edgeMeta{weightType: WeightStructural, source: e.Source, validFrom: e.ValidFrom, validTo: e.ValidTo, sampleSize: e.SampleSize})
				pairs[k] = append(pairs[k], pair{from: fc, to: tc, partial: e.Partial, partialRev: e.Partial, meta: m})
			}
		}
		if err != nil {
			r.mu.Unlock()
			return cipmap.WrapError(cipmap.EINVALID, err, "edge %d", i+1)
		}
	}
	for _, k := range keys {
		r.addUnweighted(k[0], k[1], pairs[k])
	}
	if len(keys) > 0 {
		r.invalidate()
	}
	r.mu.Unlock()
	if len(weighted) > 0 {
		return r.AddEdges(weighted)
	}
	return nil
}

type crosswalkRow struct {
	p     pair
	w     float64
	wtype string
	src   string
}

func (r *Registry) readCrosswalk(path, from, to string, opts ImportOptions) (*ImportReport, []crosswalkRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, cipmap.WrapError(cipmap.ENOTFOUND, err, "import crosswalk")
		}
		return nil, nil, fmt.Errorf("import crosswalk: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	if !utf8.Valid(b) {
		// Chinese files are often GBK / GB18030.
		if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
			b = d
		}
	}
	name := filepath.Base(path)
	if opts.Comma == 0 {
		opts.Comma = ','
		if ext := strings.ToLower(filepath.Ext(path)); ext == ".tsv" || ext == ".tab" {
			opts.Comma = '\t'
		}
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = opts.Comma
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err != nil {
		return nil, nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: header", path)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	need := func(c, def string, required bool) (int, error) {
		if c == "" {
			c = def
		}
		i, ok := col[c]
		if !ok {
			if required || c != def {
				return -1, cipmap.Errorf(cipmap.EINVALID, "%s:1: no column %q; the columns are %s", path, c, strings.Join(header, ", "))
			}
			return -1, nil
		}
		return i, nil
	}
	fi, err := need(opts.FromColumn, "from_code", true)
	if err != nil {
		return nil, nil, err
	}
	ti, err := need(opts.ToColumn, "to_code", true)
	if err != nil {
		return nil, nil, err
	}
	wi, err := need(opts.WeightColumn, "weight", false)
	if err != nil {
		return nil, nil, err
	}
	pi, err := need(opts.PartialColumn, "partial", false)
	if err != nil {
		return nil, nil, err
	}
	type cond struct {
		i    int
		want string
	}
	var where []cond
	keys := make([]string, 0, len(opts.Where))
	for k := range opts.Where {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		i, ok := col[k]
		if !ok {
			return nil, nil, cipmap.Errorf(cipmap.EINVALID, "%s:1: no column %q (in ImportOptions.Where); the columns are %s", path, k, strings.Join(header, ", "))
		}
		where = append(where, cond{i, strings.TrimSpace(opts.Where[k])})
	}
	src := opts.Source
	if src == "" {
		src = "file " + name
	}
	wtype := opts.WeightType
	if wtype == "" {
		wtype = cipmap.WeightExpert
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	fs, err := r.system(from)
	if err != nil {
		return nil, nil, err
	}
	ts, err := r.system(to)
	if err != nil {
		return nil, nil, err
	}
	if from == to {
		return nil, nil, cipmap.Errorf(cipmap.EINVALID, "import %s: a crosswalk from %s to itself", path, from)
	}
	rep := &ImportReport{}
	meta := r.meta(edgeMeta{weightType: wtype, source: src})
	var rows []crosswalkRow
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return rep, nil, cipmap.WrapError(cipmap.EINVALID, err, "%s", path)
		}
		rep.Rows++
		keep := true
		for _, c := range where {
			if field(rec, c.i) != c.want {
				keep = false
			}
		}
		if !keep {
			rep.Filtered++
			continue
		}
		fv, tv := field(rec, fi), field(rec, ti)
		if fv == "" || tv == "" {
			rep.Blank++
			continue
		}
		fc, err1 := r.resolveCode(fs, fv)
		tc, err2 := r.resolveCode(ts, tv)
		if err1 != nil || err2 != nil {
			bad, sys, val := err1, from, fv
			colName := header[fi]
			if bad == nil {
				bad, sys, val, colName = err2, to, tv, header[ti]
			}
			if opts.SkipUnknown && IsUnknownCode(bad) {
				rep.Unknown++
				if len(rep.UnknownRows) < 10 {
					rep.UnknownRows = append(rep.UnknownRows, fmt.Sprintf("%s:%d %s %s", name, line, sys, val))
				}
				continue
			}
			return rep, nil, cipmap.WrapError(cipmap.EINVALID, bad, "%s:%d: column %s: %q", path, line, colName, val)
		}
		wp := crosswalkRow{p: pair{from: fc, to: tc, meta: meta}, w: 1, wtype: WeightStructural, src: fmt.Sprintf("%s:%d", name, line)}
		if wi >= 0 {
			v := field(rec, wi)
			w, err := strconv.ParseFloat(v, 64)
			if err != nil || w < 0 || w != w {
				return rep, nil, cipmap.Errorf(cipmap.EINVALID, "%s:%d: column %s: %q is not a non-negative number", path, line, header[wi], v)
			}
			wp.w, wp.wtype = w, wtype
		}
		if pi >= 0 {
			v := strings.ToLower(field(rec, pi))
			switch v {
			case "1", "true", "t", "yes", "y", "*":
				wp.p.partial, wp.p.partialRev = true, true
			case "0", "false", "f", "no", "n", "":
			default:
				return rep, nil, cipmap.Errorf(cipmap.EINVALID, "%s:%d: column %s: %q is not a partial flag (1/0, true/false, yes/no, *)", path, line, header[pi], v)
			}
		}
		rows = append(rows, wp)
	}
	if len(rows) == 0 {
		return rep, nil, cipmap.Errorf(cipmap.EINVALID, "%s: no crosswalk rows (%d rows read, %d filtered out, %d blank, %d unknown codes)", path, rep.Rows, rep.Filtered, rep.Blank, rep.Unknown)
	}
	seen := map[[2]string]bool{}
	for _, x := range rows {
		seen[[2]string{x.p.from, x.p.to}] = true
	}
	rep.Edges = len(seen)
	return rep, rows, nil
}

// addUnweighted adds unweighted pairs to the link from → to, rebuilding both
// directions structurally (a weighted link keeps its weights and gets the new
// edges in structural shares; an explicit weighted reverse is kept).
func (r *Registry) addUnweighted(from, to string, ps []pair) {
	k, rk := [2]string{from, to}, [2]string{to, from}
	old, oldRev := r.links[k], r.links[rk]
	_, _ = old.ready(), oldRev.ready() // the systems are loaded already, which loads their links
	if old != nil && old.explicit && old.weighted {
		fwd, _ := r.structural(from, to, ps)
		for c, es := range fwd.edges {
			for _, e := range es {
				old.put(c, e)
			}
		}
		r.deriveReverse(old)
		return
	}
	if old != nil && old.explicit {
		for c, es := range old.edges {
			for _, e := range es {
				ps = append(ps, pair{from: c, to: e.to, partial: e.partial, partialRev: e.partial, meta: e.meta})
			}
		}
	}
	fwd, rev := r.structural(from, to, ps)
	r.links[k] = fwd
	if oldRev != nil && oldRev.explicit && oldRev.weighted {
		return
	}
	rev.explicit = oldRev != nil && oldRev.explicit
	r.links[rk] = rev
}
