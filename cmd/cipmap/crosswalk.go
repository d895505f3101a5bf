package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/source"
	"github.com/cipmap/cipmap/taxonomy"
)

// CrosswalkCommand converts codes between code systems, lists systems and codes, and
// imports and learns crosswalks.
type CrosswalkCommand struct{ m *Main }

const crosswalkHelp = `Usage: cipmap crosswalk --from SYSTEM --to SYSTEM CODE...
       cipmap crosswalk --from SYSTEM --to SYSTEM --file FILE --column COLUMN
       cipmap crosswalk --from SYSTEM --to SYSTEM --dataset NAME --column PROPERTY
       cipmap crosswalk systems
       cipmap crosswalk codes SYSTEM [CODE]
       cipmap crosswalk import FILE --from SYSTEM --to SYSTEM [--from-column ...]
       cipmap crosswalk learn --labels DATASET:PROPERTY --codes DATASET:PROPERTY ...

Converts codes from one classification to another: HS 2022/2017, GB/T 4754-2017/
2011/2002, ISIC Rev.4/3.1/3, IPC, WIPO's 35 fields, SEI 2018 (战略性新兴产业),
Made in China 2025, the 14th Five-Year Plan frontier areas and CTT, cipmap's
technology tags ('cipmap crosswalk systems' lists them). A code comes out as a
distribution over target codes: the best match, every target with its share, the
systems passed through (composed: weights multiplied and renormalised), how codes
without a direct link were converted (through their descendants or their ancestor)
and the unmapped mass, the share that reached no target. Splits come out whole in
both directions: a split code converts to all its successors with their weights.
--to sei2018 and --to ctt work from every system.

With --file and --column, converts a whole column of a CSV, TSV, XLSX or JSON file
(each distinct code once); with --dataset and --column, a property of a stored
dataset. Output rows: one per input, with the best code, its weight, the unmapped
mass and the distribution as "code:weight|code:weight".

Crosswalks imported with 'crosswalk import' or estimated with 'crosswalk learn' are
stored in the database (table crosswalk_edges, as datasets) and used by every
conversion that opens it.
在分类体系之间转换代码（HS、国民经济行业分类、ISIC、IPC、战略性新兴产业、中国制造2025、CTT），
输出最佳匹配、完整分布、所经体系路径及未匹配份额。

Examples:
  cipmap crosswalk --from hs2022 --to gbt4754-2017 850440
  cipmap crosswalk --from gbt4754-2017 --to sei2018 3442
  cipmap crosswalk --from ipc --to ctt "B25J 9/16"
  cipmap crosswalk --from hs2022 --to hs2017 --format json 8517.13
  cipmap crosswalk --from hs2022 --to gbt4754-2017 --file trade.csv --column hs6 --format csv > out.csv`

func (c *CrosswalkCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "systems":
			return c.systems(ctx, args[1:])
		case "codes":
			return c.codes(ctx, args[1:])
		case "import":
			return c.importFile(ctx, args[1:])
		case "learn":
			return c.learn(ctx, args[1:])
		}
	}
	fs := c.m.newFlagSet("crosswalk", crosswalkHelp)
	var f readFlags
	from := fs.String("from", "", "the codes' system (see 'cipmap crosswalk systems')")
	to := fs.String("to", "", "the system to convert to")
	file := fs.String("file", "", "convert the column --column of this file")
	dataset := fs.String("dataset", "", "convert the property --column of this stored dataset")
	column := fs.String("column", "", "the column (with --file) or property (with --dataset) holding codes")
	pos, err := f.parse(c.m, fs, args, nil)
	if err != nil {
		return err
	}
	if *from == "" || *to == "" || (len(pos) == 0) == (*file == "" && *dataset == "") || (*file != "" && *dataset != "") ||
		((*file != "" || *dataset != "") && *column == "") {
		fs.Usage()
		return errUsage
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	if _, err := reg.Path(*from, *to); err != nil {
		return err
	}
	switch {
	case *file != "":
		return c.convertFile(reg, f.format, *from, *to, *file, *column)
	case *dataset != "":
		return c.convertDataset(ctx, reg, f, *from, *to, *dataset, *column)
	}
	var results []*taxonomy.Result
	for _, code := range pos {
		res, err := reg.Convert(*from, code, *to)
		if err != nil {
			return err
		}
		results = append(results, res)
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, results)
	}
	cols := []string{"input", "code", "name", "to", "to_name", "weight", "partial", "best"}
	if f.format == "csv" {
		cols = append(cols, "path", "unmapped")
	}
	var rows [][]string
	for _, res := range results {
		row := func(code, name, w string, partial, best bool) {
			r := []string{res.Input, res.Code, label(res.Name), code, name, w, yes(partial), yes(best)}
			if f.format == "csv" {
				r = append(r, strings.Join(res.Path, " > "), fmtWeight(res.Unmapped))
			}
			rows = append(rows, r)
		}
		for _, t := range res.Distribution {
			row(t.Code, label(t.Name), fmtWeight(t.Weight), t.Partial, t.Code == res.Best.Code)
		}
		if res.Unmapped > 0 {
			row("(unmapped)", "未匹配 no target code", fmtWeight(res.Unmapped), false, false)
		}
	}
	if err := writeRows(c.m.Stdout, f.format, cols, rows); err != nil {
		return err
	}
	if f.format == "table" {
		for _, res := range results {
			fmt.Fprintf(c.m.Stdout, "\n%s %s → %s: best %s (%s), unmapped %s\n  path: %s\n", res.From, res.Input, res.To,
				res.Best.Code, fmtWeight(res.Best.Weight), fmtWeight(res.Unmapped), strings.Join(res.Path, " → "))
			for _, s := range res.Steps {
				for _, r := range s.Routes {
					via := strings.Join(r.Via, ", ")
					if r.ViaCount > len(r.Via) {
						via += fmt.Sprintf(" … (%d codes)", r.ViaCount)
					}
					fmt.Fprintf(c.m.Stdout, "  %s → %s: %s %s %s (mass %s)\n", s.From, s.To, r.Code, r.Method, via, fmtWeight(r.Mass))
				}
			}
		}
	}
	return nil
}

// fmtWeight prints a share with four decimals, trailing zeros cut.
func fmtWeight(w float64) string {
	s := strconv.FormatFloat(w, 'f', 4, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-0" {
		return "0"
	}
	return s
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// label prints a name in Chinese and English where it has both.
func label(l cipmap.Label) string {
	switch {
	case l.ZH != "" && l.EN != "" && l.ZH != l.EN:
		return l.ZH + " " + l.EN
	case l.ZH != "":
		return l.ZH
	}
	return l.EN
}

// bulkRow is one converted value of a file or dataset.
type bulkRow struct {
	where string // file:line or the entity id
	src   string // the statement's source, for datasets
	input string
}

func (c *CrosswalkCommand) convertFile(reg *taxonomy.Registry, format, from, to, path, column string) error {
	r, err := source.Open(path, source.Options{})
	if err != nil {
		return err
	}
	defer r.Close()
	var rows []bulkRow
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		v, ok := rec.Get(column)
		if !ok {
			return cipmap.Errorf(cipmap.EINVALID, "%s:%d: no column %q; the columns are %s", path, rec.Line, column, strings.Join(rec.Columns, ", "))
		}
		rows = append(rows, bulkRow{where: fmt.Sprintf("%s:%d", filepath.Base(path), rec.Line), input: v})
	}
	return c.writeBulk(reg, format, from, to, "source", rows)
}

func (c *CrosswalkCommand) convertDataset(ctx context.Context, reg *taxonomy.Registry, f readFlags, from, to, dataset, prop string) error {
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	if _, err := st.Dataset(ctx, dataset); err != nil {
		return err
	}
	var rows []bulkRow
	err = st.Statements(ctx, cipmap.StatementFilter{Dataset: dataset}, func(s *cipmap.Statement) error {
		if s.Property == prop {
			rows = append(rows, bulkRow{where: s.EntityID, src: s.Source, input: s.Value})
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(rows) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has no statements of property %q", dataset, prop)
	}
	return c.writeBulk(reg, f.format, from, to, "entity_id", rows)
}

// writeBulk converts the rows' values (each distinct value once) and writes one row
// per input; a summary goes to stderr.
func (c *CrosswalkCommand) writeBulk(reg *taxonomy.Registry, format, from, to, whereCol string, rows []bulkRow) error {
	start := time.Now()
	codes := make([]string, len(rows))
	for i, r := range rows {
		codes[i] = r.input
	}
	results, err := reg.ConvertMany(from, to, codes)
	if err != nil {
		return err
	}
	elapsed := time.Since(start)
	var invalid, empty int
	var lost float64
	cols := []string{whereCol, "input", "code", "best", "best_name", "best_weight", "unmapped", "targets", "distribution", "error"}
	if rows[0].src != "" {
		cols = append([]string{whereCol, "source"}, cols[1:]...)
	}
	type jsonRow struct {
		Where  string `json:"where"`
		Source string `json:"source,omitempty"`
		*taxonomy.Result
	}
	var js []jsonRow
	out := make([][]string, 0, len(rows))
	for i, r := range rows {
		res := results[i]
		if strings.TrimSpace(r.input) == "" {
			empty++
		} else if res.Err != nil {
			invalid++
		}
		lost += res.Unmapped
		if format == "json" {
			js = append(js, jsonRow{r.where, r.src, res})
			continue
		}
		var dist []string
		for _, t := range res.Distribution {
			dist = append(dist, t.Code+":"+fmtWeight(t.Weight))
		}
		row := []string{r.where}
		if r.src != "" {
			row = append(row, r.src)
		}
		row = append(row, r.input, res.Code, res.Best.Code, label(res.Best.Name), fmtWeight(res.Best.Weight),
			fmtWeight(res.Unmapped), strconv.Itoa(len(res.Distribution)), strings.Join(dist, "|"), res.Error)
		out = append(out, row)
	}
	if format == "json" {
		err = writeJSON(c.m.Stdout, js)
	} else {
		err = writeRows(c.m.Stdout, format, cols, out)
	}
	if err != nil {
		return err
	}
	path, _ := reg.Path(from, to)
	fmt.Fprintf(c.m.Stderr, "crosswalk %s → %s (%s): %d values, %d empty, %d invalid, mean unmapped mass %s, %s\n",
		from, to, strings.Join(path, " → "), len(rows), empty, invalid, fmtWeight(lost/float64(len(rows))), elapsed.Round(time.Millisecond))
	return nil
}

// SystemsCommand output: the registered code systems.
func (c *CrosswalkCommand) systems(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("crosswalk systems", `Usage: cipmap crosswalk systems [--format table|json|csv]

Lists the code systems cipmap knows, with their versions, levels, number of codes,
source and licence, and those of crosswalks stored in the database.
列出已注册的分类体系。`)
	var f readFlags
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	systems := reg.Systems()
	if f.format == "json" {
		return writeJSON(c.m.Stdout, systems)
	}
	var rows [][]string
	for _, s := range systems {
		counts, err := reg.LevelCounts(s.ID)
		if err != nil {
			return err
		}
		var parts []string
		for _, l := range s.Levels {
			if n := counts[l]; n > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", n, l))
			}
		}
		rows = append(rows, []string{s.ID, label(s.Name), s.Version, strings.Join(parts, ", "), s.Source, s.Licence})
	}
	return writeRows(c.m.Stdout, f.format, []string{"id", "name", "version", "codes", "source", "licence"}, rows)
}

// codes lists a system's top codes, or a code with its note and children.
func (c *CrosswalkCommand) codes(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("crosswalk codes", `Usage: cipmap crosswalk codes SYSTEM [CODE] [--format table|json|csv]

Without CODE, lists the top level of SYSTEM; with CODE, the code (as people write it:
"8504.40", "C3973", "B25J 9/16"), its official note where there is one, its parent
and its children. 查看分类体系的代码、说明及下级代码。

Examples:
  cipmap crosswalk codes sei2018
  cipmap crosswalk codes gbt4754-2017 3491
  cipmap crosswalk codes ctt industrial-robots`)
	var f readFlags
	pos, err := f.parse(c.m, fs, args, func(n int) bool { return n == 1 || n == 2 })
	if err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	var self []cipmap.Code
	code := ""
	if len(pos) == 2 {
		cd, err := reg.Lookup(pos[0], pos[1])
		if err != nil {
			return err
		}
		self, code = []cipmap.Code{cd}, cd.Code
	}
	children, err := reg.Children(pos[0], code)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, map[string]any{"code": self, "children": children})
	}
	var rows [][]string
	for _, cd := range self {
		rows = append(rows, []string{cd.Code, strconv.Itoa(cd.Level), label(cd.Name), cd.Parent, cd.Note})
	}
	for _, cd := range children {
		rows = append(rows, []string{cd.Code, strconv.Itoa(cd.Level), label(cd.Name), cd.Parent, cd.Note})
	}
	return writeRows(c.m.Stdout, f.format, []string{"code", "level", "name", "parent", "note"}, rows)
}

const importHelp = `Usage: cipmap crosswalk import FILE --from SYSTEM --to SYSTEM [flags]

Imports a crosswalk table (CSV or TSV, UTF-8 or GBK) into the database as a dataset of
crosswalk edges, so that every later conversion uses it: for example the
GB/T 4754-2017 → ISIC Rev.4 appendix, which cipmap may not ship. Every row's codes
are checked against their systems; a bad code is an error naming the file, line,
column and value, with the nearest valid codes, and nothing is written. Without a
weight column, a code's share to each target follows the table's structure (split
equally, merges taking the whole). Importing the same file again writes nothing.
导入对照表（如国民经济行业分类→ISIC Rev.4），存入数据库供后续转换使用。

Examples:
  cipmap crosswalk import gb-isic4-appendix-c.csv --from gbt4754-2017 --to isic4 \
      --from-column GB --to-column isic4 --where yr=2017.0
  cipmap crosswalk --from gbt4754-2017 --to isic4 3973`

func (c *CrosswalkCommand) importFile(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("crosswalk import", importHelp)
	var f readFlags
	from := fs.String("from", "", "the system of the source codes")
	to := fs.String("to", "", "the system of the target codes")
	fromCol := fs.String("from-column", "from_code", "the column of source codes")
	toCol := fs.String("to-column", "to_code", "the column of target codes")
	weightCol := fs.String("weight-column", "", "the column of weights (default: weight, if the file has it)")
	partialCol := fs.String("partial-column", "", "the column of partial flags (default: partial, if the file has it)")
	weightType := fs.String("weight-type", cipmap.WeightExpert, "the weight type of weighted edges: occurrence, trade_value, patent_count, expert, learned")
	where := fs.String("where", "", "keep only rows where COLUMN=VALUE (comma-separated for several)")
	skip := fs.Bool("skip-unknown", false, "skip rows whose codes are not codes of their systems (counted) instead of failing")
	name := fs.String("name", "", "the dataset's name (default crosswalk-FROM-TO)")
	licence := fs.String("licence", "", "the table's licence, recorded with the dataset")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	if *from == "" || *to == "" {
		fs.Usage()
		return errUsage
	}
	opts := taxonomy.ImportOptions{FromColumn: *fromCol, ToColumn: *toCol, WeightColumn: *weightCol,
		PartialColumn: *partialCol, WeightType: *weightType, SkipUnknown: *skip}
	if *where != "" {
		opts.Where = map[string]string{}
		for _, kv := range strings.Split(*where, ",") {
			k, v, ok := strings.Cut(kv, "=")
			if !ok {
				return cipmap.Errorf(cipmap.EINVALID, "--where %q: expected COLUMN=VALUE", kv)
			}
			opts.Where[strings.TrimSpace(k)] = v
		}
	}
	reg, err := taxonomy.Default()
	if err != nil {
		return err
	}
	path := pos[0]
	edges, rep, err := reg.ReadCrosswalkFile(path, *from, *to, opts)
	if err != nil {
		return err
	}
	content, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	h := sha256.New()
	h.Write(content)
	fmt.Fprintf(h, "\x00%s\x00%s\x00%+v", *from, *to, opts)
	ds := &cipmap.Dataset{
		Name:    *name,
		Title:   fmt.Sprintf("crosswalk %s → %s from %s", *from, *to, filepath.Base(path)),
		Version: hex.EncodeToString(h.Sum(nil))[:16],
		Source:  "file " + filepath.Base(path),
		Licence: *licence,
		Files:   []string{path},
	}
	if ds.Name == "" {
		ds.Name = "crosswalk-" + *from + "-" + *to
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	res, err := st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(rep.Rows)
		ds.Rejects = int64(rep.Unknown)
		for i := range edges {
			if err := w.CrosswalkEdge(&edges[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	state := loadState(res)
	row := []string{ds.Name, res.Dataset.Version, state, strconv.Itoa(rep.Rows), strconv.Itoa(len(edges)), strconv.Itoa(rep.Edges),
		strconv.Itoa(rep.Filtered), strconv.Itoa(rep.Blank), strconv.Itoa(rep.Unknown), strings.Join(rep.UnknownRows, "; ")}
	cols := []string{"dataset", "version", "state", "rows", "edge_rows", "edges", "filtered", "blank", "unknown", "unknown_rows"}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, map[string]any{"dataset": ds.Name, "version": res.Dataset.Version, "unchanged": res.Unchanged, "report": rep})
	}
	return writeRows(c.m.Stdout, f.format, cols, [][]string{row})
}

// registry returns the code systems and crosswalks: the built-in ones, plus the
// crosswalks stored in the database (imported or learned), if the database exists.
// A DuckDB file that does not exist is not created.
func (m *Main) registry(ctx context.Context, dsn string) (*taxonomy.Registry, error) {
	isPG := strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
	if !isPG {
		if _, err := os.Stat(dsn); errors.Is(err, os.ErrNotExist) {
			return taxonomy.Default()
		}
	}
	st := m.store
	if st == nil {
		var err error
		if st, err = m.openStore(ctx, dsn, true); err != nil {
			return nil, err
		}
	}
	edges, err := storedEdges(ctx, st)
	if err != nil {
		return nil, err
	}
	if len(edges) == 0 {
		return taxonomy.Default()
	}
	// A private registry: the shared one stays as built.
	reg, err := taxonomy.Load()
	if err != nil {
		return nil, err
	}
	if err := addStoredEdges(reg, edges); err != nil {
		return nil, err
	}
	return reg, nil
}

// storedEdge is a crosswalk edge read from the database, with its dataset.
type storedEdge struct {
	cipmap.CrosswalkEdge
	dataset string
}

// storedEdges reads the crosswalk_edges table.
func storedEdges(ctx context.Context, st cipmap.Store) ([]storedEdge, error) {
	// A DuckDB file written by an older cipmap and opened read-only has no table yet.
	if ok, err := hasTable(ctx, st, "crosswalk_edges"); err != nil {
		return nil, fmt.Errorf("read stored crosswalks: %w", err)
	} else if !ok {
		return nil, nil
	}
	t, err := st.Query(ctx, `SELECT from_system, from_code, to_system, to_code, weight, weight_type, partial,
		valid_from, valid_to, sample_size, dataset, source FROM crosswalk_edges ORDER BY dataset, from_system, to_system, from_code, to_code`)
	if err != nil {
		return nil, fmt.Errorf("read stored crosswalks: %w", err)
	}
	out := make([]storedEdge, 0, len(t.Rows))
	for _, r := range t.Rows {
		e := storedEdge{dataset: cellString(r[10])}
		e.FromSystem, e.From, e.ToSystem, e.To = cellString(r[0]), cellString(r[1]), cellString(r[2]), cellString(r[3])
		e.Weight = toFloat(r[4])
		e.WeightType = cellString(r[5])
		e.Partial = r[6] == true
		e.ValidFrom, e.ValidTo = cellString(r[7]), cellString(r[8])
		e.SampleSize = int(toFloat(r[9]))
		e.Source = cellString(r[11])
		out = append(out, e)
	}
	return out, nil
}

// addStoredEdges registers stored crosswalks: systems the registry does not know
// (the label vocabularies of learned crosswalks) are registered flat with the codes
// the edges name; each edge's source names its dataset.
func addStoredEdges(reg *taxonomy.Registry, edges []storedEdge) error {
	unknown := map[string][]string{}
	seen := map[[2]string]bool{}
	var order []string
	for _, e := range edges {
		for _, sc := range [][2]string{{e.FromSystem, e.From}, {e.ToSystem, e.To}} {
			if _, ok := reg.System(sc[0]); ok || seen[sc] {
				continue
			}
			if _, ok := unknown[sc[0]]; !ok {
				order = append(order, sc[0])
			}
			seen[sc] = true
			unknown[sc[0]] = append(unknown[sc[0]], sc[1])
		}
	}
	for _, sys := range order {
		codes := make([]cipmap.Code, 0, len(unknown[sys]))
		sort.Strings(unknown[sys])
		for _, c := range unknown[sys] {
			codes = append(codes, cipmap.Code{Code: c, Level: 1, Name: cipmap.Label{ZH: c}})
		}
		info := cipmap.CodeSystem{ID: sys, Name: cipmap.Label{EN: sys}, Source: "stored crosswalks", Licence: "as their datasets", Levels: []string{"label"}}
		if err := reg.AddSystem(info, codes); err != nil {
			return err
		}
	}
	list := make([]cipmap.CrosswalkEdge, len(edges))
	for i, e := range edges {
		list[i] = e.CrosswalkEdge
		list[i].Source = "dataset " + e.dataset
	}
	if err := reg.AddCrosswalk(list); err != nil {
		return cipmap.WrapError(cipmap.ErrorCode(err), err, "stored crosswalks")
	}
	return nil
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case float32:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case int:
		return float64(x)
	case string:
		f, _ := strconv.ParseFloat(x, 64)
		return f
	}
	return 0
}
