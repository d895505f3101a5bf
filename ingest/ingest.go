// Package ingest turns source files into statements and fact rows through a mapping
// file (YAML), and loads them into a store as one new dataset version.
//
// Every value is parsed by type (dates, money in 元/万元/亿元, percentages, identifiers
// with their check characters); a value that does not parse is an error naming file,
// line, column, the value and what was expected. With OnError "fail" (the default) any
// error leaves the store as it was; with "skip" the row is rejected whole and written
// to a rejects file. Rows that are entirely blank are counted and reported, never
// dropped silently.
package ingest

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
	"github.com/cipmap/cipmap/source"
)

// FormatVersion is part of every dataset version hash: when the way cipmap parses
// values changes, it changes, and the next ingest writes the dataset anew.
const FormatVersion = "ingest/1"

// Options control a Run.
type Options struct {
	// OnError is "fail" (default: any bad row fails the ingest, nothing is written) or
	// "skip" (bad rows are rejected whole, written to Rejects, and the rest is loaded).
	OnError string
	// Rejects receives the rejected rows as CSV (file, line, column, column_name,
	// value, reason). Required with OnError "skip".
	Rejects io.Writer
	// MaxErrors bounds how many errors the summary keeps; 0 means 100.
	MaxErrors int
	// Progress, if set, is called now and then with the work done.
	Progress func(Progress)
	// Now is the clock; nil means time.Now.
	Now cipmap.Clock
	// Force writes a new version even when the content is unchanged.
	Force bool
	// Confine keeps the ingest inside the mapping's folder: every source path must
	// be relative, without "..", and every file it matches must lie in that folder.
	// cipmap serve sets it for uploaded mappings, so an upload reads nothing else
	// on the server's disk.
	Confine bool
}

// Progress reports how far an ingest is.
type Progress struct {
	File       string // the file being read
	Rows       int64  // rows read so far
	TotalBytes int64  // size of all files
	DoneBytes  int64  // size of the files finished
}

// RowError is one bad value in one row.
type RowError struct {
	File   string `json:"file"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	Name   string `json:"column_name"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

func (e RowError) String() string {
	pos := e.File + ":" + strconv.Itoa(e.Line)
	if e.Column > 0 {
		pos += ":" + strconv.Itoa(e.Column)
	}
	if e.Name == "" {
		return pos + ": " + e.Reason
	}
	v := e.Value
	if len([]rune(v)) > 80 {
		v = string([]rune(v)[:80]) + "…"
	}
	return fmt.Sprintf("%s: column %q, value %q: %s", pos, e.Name, v, e.Reason)
}

// Summary reports what an ingest did.
type Summary struct {
	Dataset    string     `json:"dataset"`
	Version    string     `json:"version"`
	Previous   string     `json:"previous_version,omitempty"`
	Unchanged  bool       `json:"unchanged"`
	Files      []string   `json:"files"`
	Rows       int64      `json:"rows"`
	EmptyRows  int64      `json:"empty_rows"`
	Entities   int64      `json:"entities"`
	Statements int64      `json:"statements"`
	Facts      int64      `json:"facts"`
	Rejects    int64      `json:"rejects"`
	Added      int64      `json:"statements_added"`
	Removed    int64      `json:"statements_removed"`
	Seconds    float64    `json:"seconds"`
	RowsPerSec float64    `json:"rows_per_second"`
	Errors     []RowError `json:"errors,omitempty"`
	ErrorCount int64      `json:"error_count"`
	// Dropped counts the values dropped under `invalid: drop` (their rows were
	// kept); DroppedValues lists the first of them.
	Dropped       int64      `json:"dropped_values"`
	DroppedValues []RowError `json:"dropped,omitempty"`
	// NoKey counts, per entity key, the rows whose id columns were all empty, so that
	// entity was not made from them.
	NoKey map[string]int64 `json:"rows_without_key,omitempty"`
}

// Run ingests the mapping's source into store as a new version of its dataset.
func Run(ctx context.Context, store cipmap.Store, m *Mapping, opts Options) (*Summary, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.MaxErrors <= 0 {
		opts.MaxErrors = 100
	}
	switch opts.OnError {
	case "":
		opts.OnError = "fail"
	case "fail", "skip":
	default:
		return nil, cipmap.Errorf(cipmap.EINVALID, "--on-error %q: expected fail or skip", opts.OnError)
	}
	if opts.OnError == "skip" && opts.Rejects == nil {
		return nil, cipmap.Errorf(cipmap.EINVALID, "--on-error skip needs a rejects file")
	}
	start := time.Now()
	partFiles := make([][]string, len(m.Parts))
	var files []string
	for i := range m.Parts {
		if opts.Confine {
			if err := m.confinedPath(&m.Parts[i]); err != nil {
				return nil, err
			}
		}
		fs, err := m.Files(&m.Parts[i])
		if err == nil && opts.Confine {
			err = m.confinedFiles(fs)
		}
		if err != nil {
			return nil, err
		}
		partFiles[i] = fs
		files = append(files, fs...)
	}
	version, total, err := m.version(files)
	if err != nil {
		return nil, err
	}
	sum := &Summary{Dataset: m.Dataset.Name, Version: version, NoKey: map[string]int64{}}
	for _, f := range files {
		sum.Files = append(sum.Files, m.rel(f))
	}
	if opts.Force {
		version += "+" + strconv.FormatInt(opts.Now().UnixNano(), 36)
		sum.Version = version
	}
	ds := &cipmap.Dataset{Name: m.Dataset.Name, Title: m.Dataset.Title, Version: version,
		Source: m.Dataset.Source, Licence: m.Dataset.Licence, Files: sum.Files}
	r := &runner{m: m, opts: opts, sum: sum, dates: m.dateOptions(opts.Now()), total: total}
	if opts.OnError == "skip" {
		r.rejects = csv.NewWriter(opts.Rejects)
		r.rejects.Write([]string{"file", "line", "column", "column_name", "value", "reason"})
	}
	var loadErr error
	res, err := store.Load(ctx, ds, func(w cipmap.Writer) error {
		loadErr = r.run(ctx, w, partFiles)
		if loadErr != nil {
			return loadErr
		}
		if sum.ErrorCount > 0 && opts.OnError == "fail" {
			return errFailed
		}
		ds.Rows, ds.Rejects = sum.Rows, sum.Rejects
		return nil
	})
	if r.rejects != nil {
		r.rejects.Flush()
	}
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.RowsPerSec = float64(sum.Rows) / sum.Seconds
	}
	if errors.Is(err, errFailed) {
		return sum, cipmap.Errorf(cipmap.EINVALID, "%d bad value(s) in %s; nothing was written (use --on-error skip to load the good rows and write the bad ones to a rejects file)",
			sum.ErrorCount, strings.Join(sum.Files, ", "))
	}
	if err != nil {
		return sum, err
	}
	sum.Unchanged = res.Unchanged
	sum.Previous = res.Previous
	sum.Added, sum.Removed = res.Added, res.Removed
	if res.Unchanged {
		sum.Rows, sum.Rejects = res.Dataset.Rows, res.Dataset.Rejects
	}
	sum.Entities = res.Dataset.Entities
	sum.Statements = res.Dataset.Statements
	sum.Facts = res.Dataset.Facts
	return sum, nil
}

var errFailed = errors.New("ingest failed")

// version hashes the mapping and every source file.
func (m *Mapping) version(files []string) (string, int64, error) {
	h := sha256.New()
	io.WriteString(h, FormatVersion+"\x00")
	h.Write(m.raw)
	var total int64
	for _, f := range files {
		io.WriteString(h, "\x00"+m.rel(f)+"\x00")
		fh, err := os.Open(f)
		if err != nil {
			return "", 0, cipmap.WrapError(cipmap.ENOTFOUND, err, "source file")
		}
		n, err := io.Copy(h, fh)
		fh.Close()
		if err != nil {
			return "", 0, fmt.Errorf("read %s: %w", f, err)
		}
		total += n
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))[:24], total, nil
}

// rel names a source file relative to the mapping's folder, for provenance.
func (m *Mapping) rel(f string) string {
	if r, err := filepath.Rel(filepath.Dir(m.Path), f); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return filepath.Base(f)
}

func (m *Mapping) dateOptions(now time.Time) parse.DateOptions {
	d := parse.DateOptions{MinYear: m.Dates.MinYear, MaxYear: m.Dates.MaxYear, ExcelSerial: m.Dates.ExcelSerial}
	if d.MinYear == 0 {
		d.MinYear = 1800
	}
	if d.MaxYear == 0 {
		d.MaxYear = now.Year() + 10
	}
	return d
}

// runner reads rows and writes what they make. Rows are read by one goroutine,
// turned into statements and fact rows by one worker per processor, in batches, and
// written in file order by the goroutine that called Run.
type runner struct {
	m       *Mapping
	opts    Options
	sum     *Summary
	dates   parse.DateOptions
	rejects *csv.Writer
	total   int64
	done    int64
}

// batchSize is how many records a worker takes at a time.
const batchSize = 512

// batch is a run of records of one file and what a worker made of them.
type batch struct {
	part  *Part
	file  string
	recs  []*source.Record
	empty int64

	stmts   []cipmap.Statement
	fins    []cipmap.Financial
	flows   []cipmap.TradeFlow
	pats    []cipmap.Patent
	rejects [][]RowError // the errors of each rejected row
	noKey   map[string]int64
	drops   []RowError
	ready   chan struct{}
}

func (r *runner) run(ctx context.Context, w cipmap.Writer, partFiles [][]string) error {
	for i, files := range partFiles {
		for _, f := range files {
			if err := r.file(ctx, w, &r.m.Parts[i], f); err != nil {
				return err
			}
			if st, err := os.Stat(f); err == nil {
				r.done += st.Size()
			}
		}
	}
	r.progress("")
	return nil
}

func (r *runner) progress(file string) {
	if r.opts.Progress != nil {
		r.opts.Progress(Progress{File: file, Rows: r.sum.Rows, TotalBytes: r.total, DoneBytes: r.done})
	}
}

func (r *runner) file(ctx context.Context, w cipmap.Writer, part *Part, path string) error {
	var delim rune
	if d := part.Source.Delimiter; d != "" {
		delim = []rune(d)[0]
		if d == `\t` {
			delim = '\t'
		}
	}
	rd, err := source.Open(path, source.Options{
		Format:    source.Format(part.Source.Format),
		Encoding:  part.Source.Encoding,
		Delimiter: delim,
		Sheet:     part.Source.Sheet,
		HeaderRow: part.Source.Header,
	})
	if err != nil {
		return err
	}
	defer rd.Close()
	name := r.m.rel(path)
	if cols := rd.Columns(); cols != nil {
		if err := checkColumns(path, part, cols); err != nil {
			return err
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *batch, 2*workers)
	order := make(chan *batch, 2*workers)
	var readErr error
	go func() { // the reader
		defer close(work)
		defer close(order)
		b := &batch{part: part, file: name, ready: make(chan struct{})}
		send := func() bool {
			select {
			case work <- b:
			case <-ctx.Done():
				return false
			}
			order <- b
			b = &batch{part: part, file: name, ready: make(chan struct{})}
			return true
		}
		for {
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				readErr = err
				break
			}
			if rec.Empty() {
				b.empty++
				continue
			}
			b.recs = append(b.recs, rec.Clone())
			if len(b.recs) == batchSize && !send() {
				return
			}
		}
		if bc, ok := rd.(interface{ Blank() int }); ok {
			b.empty += int64(bc.Blank())
		}
		send()
	}()
	for i := 0; i < workers; i++ {
		go func() {
			wk := newWorker(r.m, r.dates)
			for b := range work {
				wk.batch(b)
				close(b.ready)
			}
		}()
	}
	var werr error
	for b := range order {
		<-b.ready
		if werr == nil {
			werr = r.collect(w, b)
			if werr == nil {
				werr = ctx.Err()
			}
			if werr != nil {
				cancel()
			}
		}
	}
	if werr != nil {
		return werr
	}
	return readErr
}

// collect counts a worker's batch and writes what it made.
func (r *runner) collect(w cipmap.Writer, b *batch) error {
	r.sum.Rows += int64(len(b.recs))
	r.sum.EmptyRows += b.empty
	for k, n := range b.noKey {
		r.sum.NoKey[k] += n
	}
	r.sum.Dropped += int64(len(b.drops))
	for _, d := range b.drops {
		if len(r.sum.DroppedValues) < r.opts.MaxErrors {
			r.sum.DroppedValues = append(r.sum.DroppedValues, d)
		}
	}
	for _, errs := range b.rejects {
		if err := r.reject(errs); err != nil {
			return err
		}
	}
	r.progress(b.file)
	if r.sum.ErrorCount > 0 && r.opts.OnError == "fail" {
		return nil // the load will fail; keep reading to report every error
	}
	for i := range b.stmts {
		if err := w.Statement(&b.stmts[i]); err != nil {
			return err
		}
	}
	for i := range b.fins {
		if err := w.Financial(&b.fins[i]); err != nil {
			return err
		}
	}
	for i := range b.flows {
		if err := w.TradeFlow(&b.flows[i]); err != nil {
			return err
		}
	}
	for i := range b.pats {
		if err := w.Patent(&b.pats[i]); err != nil {
			return err
		}
	}
	return nil
}

// reject records one row's errors: in the summary, and in skip mode in the rejects
// file.
func (r *runner) reject(errs []RowError) error {
	r.sum.ErrorCount += int64(len(errs))
	for _, e := range errs {
		if len(r.sum.Errors) < r.opts.MaxErrors {
			r.sum.Errors = append(r.sum.Errors, e)
		}
	}
	if r.opts.OnError == "skip" {
		r.sum.Rejects++
		for _, e := range errs {
			if err := r.rejects.Write([]string{e.File, strconv.Itoa(e.Line), strconv.Itoa(e.Column), e.Name, e.Value, e.Reason}); err != nil {
				return fmt.Errorf("write rejects: %w", err)
			}
		}
	}
	return nil
}

// worker turns records into statements and fact rows; each goroutine has its own.
type worker struct {
	m     *Mapping
	dates parse.DateOptions
	ids   map[string][]string
	split map[string][]string
	vbuf  []value
	errs  []RowError
	drops []RowError // values dropped under `invalid: drop`, of the current row
	// the current row's output, moved to the batch when the row has no errors
	stmts []cipmap.Statement
	fins  []cipmap.Financial
	flows []cipmap.TradeFlow
	pats  []cipmap.Patent
}

func newWorker(m *Mapping, dates parse.DateOptions) *worker {
	return &worker{m: m, dates: dates, ids: map[string][]string{}, split: map[string][]string{}}
}

func (wk *worker) batch(b *batch) {
	b.noKey = map[string]int64{}
	for _, rec := range b.recs {
		wk.row(b, rec)
		if len(wk.errs) > 0 {
			b.rejects = append(b.rejects, append([]RowError(nil), wk.errs...))
			continue
		}
		b.drops = append(b.drops, wk.drops...)
		b.stmts = append(b.stmts, wk.stmts...)
		b.fins = append(b.fins, wk.fins...)
		b.flows = append(b.flows, wk.flows...)
		b.pats = append(b.pats, wk.pats...)
	}
}

// checkColumns makes sure every column a part names exists in the header.
func checkColumns(path string, part *Part, cols []string) error {
	have := map[string]bool{}
	for _, c := range cols {
		have[c] = true
	}
	var missing []string
	for _, c := range part.columns() {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return cipmap.Errorf(cipmap.EINVALID, "%s: the mapping names column(s) %s that the file does not have; its columns are: %s",
			path, quoteAll(missing), quoteAll(cols))
	}
	return nil
}

func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// columns lists every column a part reads.
func (m *Part) columns() []string {
	seen := map[string]bool{}
	add := func(v ValueSpec) {
		if v.Column != "" {
			seen[v.Column] = true
		}
		for _, c := range v.Columns {
			seen[c] = true
		}
		for _, p := range parseTemplate(v.Template) {
			if p.column {
				seen[p.text] = true
			}
		}
	}
	for _, e := range m.Entities {
		for _, c := range e.ID.Columns {
			seen[c] = true
		}
		if e.When != nil {
			seen[e.When.Column] = true
		}
		for _, p := range e.Properties {
			add(p)
		}
	}
	for _, f := range m.Facts {
		for _, c := range f.Columns {
			add(c)
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// cell returns a column's value and its position in the record.
func cell(rec *source.Record, name string) (string, int, int) {
	if i := rec.Index(name); i >= 0 {
		line, col := rec.Pos(i)
		return rec.Values[i], line, col
	}
	return "", rec.Line, 0
}

// row turns one record into the worker's row output, or into errors.
func (wk *worker) row(b *batch, rec *source.Record) {
	wk.stmts, wk.fins, wk.flows, wk.errs, wk.drops = wk.stmts[:0], wk.fins[:0], wk.flows[:0], wk.errs[:0], wk.drops[:0]
	wk.pats = wk.pats[:0]
	clear(wk.ids)
	clear(wk.split)
	part, file := b.part, b.file
	src := file + ":" + strconv.Itoa(rec.Line)
	// Ids first, so relations can point at the row's other entities.
	for i := range part.Entities {
		e := &part.Entities[i]
		if e.When != nil && !e.When.holds(rec) {
			continue
		}
		if e.ID.Split == "" {
			if id := entityID(e, rec, ""); id != "" {
				wk.ids[e.Key] = append(wk.ids[e.Key][:0], id)
			} else {
				b.noKey[e.Key]++
			}
			continue
		}
		raw, _, _ := cell(rec, e.ID.Columns[0])
		parts := splitValues(raw, e.ID.Split)
		wk.split[e.Key] = parts
		for _, p := range parts {
			wk.ids[e.Key] = append(wk.ids[e.Key], entityID(e, rec, p))
		}
		if len(parts) == 0 {
			b.noKey[e.Key]++
		}
	}
	for i := range part.Entities {
		e := &part.Entities[i]
		_, explicitCurrency := e.Properties["currency"]
		for k, id := range wk.ids[e.Key] {
			for j := range e.props {
				p := &e.props[j]
				var vals []value
				if e.ID.Split != "" && p.spec.Column == e.ID.Columns[0] {
					// A property read from the split column takes this entity's part.
					_, line, col := cell(rec, p.spec.Column)
					vals = wk.convertCell(file, p.spec.Column, line, col, p, wk.split[e.Key][k], wk.vbuf[:0])
				} else {
					vals = wk.values(file, rec, p)
				}
				for _, v := range vals {
					wk.stmts = append(wk.stmts, cipmap.Statement{EntityID: id, Schema: e.schema.Name, Property: p.prop.Name,
						Value: v.norm, Original: originalIfDifferent(v), Lang: p.spec.Lang, Source: src})
					if v.currency != "" && !explicitCurrency && e.schema.Property("currency") != nil && p.typ == cipmap.TypeAmount {
						wk.stmts = append(wk.stmts, cipmap.Statement{EntityID: id, Schema: e.schema.Name, Property: "currency",
							Value: v.currency, Original: v.original, Source: src})
					}
				}
			}
		}
	}
	for i := range part.Facts {
		wk.fact(file, rec, &part.Facts[i], src)
	}
}

// holds reports whether a record meets the condition.
func (c *Condition) holds(rec *source.Record) bool {
	v, _, _ := cell(rec, c.Column)
	v = parse.Fold(v)
	if len(c.Equals) > 0 && !contains(c.Equals, v) {
		return false
	}
	return !contains(c.Not, v)
}

// splitValues splits raw at any of the separator characters, dropping empty parts.
func splitValues(raw, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if !parse.IsEmpty(p) {
			out = append(out, strings.TrimSpace(p))
		}
	}
	return out
}

func originalIfDifferent(v value) string {
	if v.original == v.norm {
		return ""
	}
	return v.original
}

// values reads and parses the values of one property in a record; errors are added
// to r.errs.
func (r *worker) values(file string, rec *source.Record, p *propPlan) []value {
	switch {
	case p.spec.Entity != "":
		out := r.vbuf[:0]
		for _, id := range r.ids[p.spec.Entity] {
			out = append(out, value{norm: id})
		}
		r.vbuf = out
		return out
	case p.spec.Value != "":
		vals, err := convert(p, p.spec.Value, r.dates, r.vbuf[:0])
		if err != nil {
			r.bad(p, RowError{File: file, Line: rec.Line, Name: "(constant)", Value: p.spec.Value, Reason: cipmap.ErrorMessage(err)})
		}
		return vals
	case p.spec.Template != "":
		var b strings.Builder
		any := false
		for _, part := range p.tmpl {
			if !part.column {
				b.WriteString(part.text)
				continue
			}
			v, _, _ := cell(rec, part.text)
			if !parse.IsEmpty(v) {
				any = true
				b.WriteString(strings.TrimSpace(v))
			}
		}
		if !any {
			return nil
		}
		vals, err := convert(p, b.String(), r.dates, r.vbuf[:0])
		if err != nil {
			r.bad(p, RowError{File: file, Line: rec.Line, Name: p.spec.Template, Value: b.String(), Reason: cipmap.ErrorMessage(err)})
		}
		return vals
	}
	cols := p.spec.Columns
	if p.spec.Column != "" {
		cols = []string{p.spec.Column}
	}
	out := r.vbuf[:0]
	for _, c := range cols {
		raw, line, col := cell(rec, c)
		out = r.convertCell(file, c, line, col, p, raw, out)
	}
	r.vbuf = out
	return out
}

// convertCell parses one cell's raw value, recording an error at its position.
// The values are appended to out.
func (r *worker) convertCell(file, name string, line, col int, p *propPlan, raw string, out []value) []value {
	vals, err := convert(p, raw, r.dates, out)
	if err != nil {
		r.bad(p, RowError{File: file, Line: line, Column: col, Name: name, Value: raw, Reason: cipmap.ErrorMessage(err)})
		return out
	}
	return vals
}

// bad records a value that does not parse: an error of its row, or under
// `invalid: drop` a dropped value.
func (r *worker) bad(p *propPlan, e RowError) {
	if p.spec.Invalid == "drop" {
		r.drops = append(r.drops, e)
		return
	}
	r.errs = append(r.errs, e)
}

// fact makes one fact-table row from a record.
func (r *worker) fact(file string, rec *source.Record, f *FactSpec, src string) {
	nerr := len(r.errs)
	var vals [16]value
	var have [16]bool
	var multi map[string][]string // patent_facts: every value of its list columns
	for i := range f.plans {
		p := &f.plans[i]
		if p == nil || p.typ == "" {
			continue
		}
		if vs := r.values(file, rec, p); len(vs) > 0 {
			vals[i], have[i] = vs[0], true
			if f.Table == "patent_facts" {
				switch c := f.cols[i]; c {
				case "applicant_id", "applicant_name", "ipc":
					if multi == nil {
						multi = map[string][]string{}
					}
					for _, v := range vs {
						multi[c] = append(multi[c], v.norm)
					}
				}
			}
		}
	}
	idx := func(col string) int {
		for i, c := range f.cols {
			if c == col {
				return i
			}
		}
		return -1
	}
	num := func(col string) *float64 {
		if i := idx(col); i >= 0 && have[i] {
			x := vals[i].num
			return &x
		}
		return nil
	}
	str := func(col string) string {
		if i := idx(col); i >= 0 && have[i] {
			return vals[i].norm
		}
		return ""
	}
	// currency returns the currency stated by the first of cols that has one.
	currency := func(cols ...string) string {
		for _, c := range cols {
			if i := idx(c); i >= 0 && have[i] && vals[i].currency != "" {
				return vals[i].currency
			}
		}
		return ""
	}
	year := 0
	if y := num("year"); y != nil {
		year = int(*y)
	}
	switch f.Table {
	case "financials":
		fin := cipmap.Financial{EntityID: str("entity_id"), Year: year, Currency: str("currency"), Source: src,
			Revenue: num("revenue"), ExportRevenue: num("export_revenue"), Loans: num("loans"), Subsidies: num("subsidies")}
		if e := num("employees"); e != nil {
			n := int64(*e)
			fin.Employees = &n
		}
		if fin.Currency == "" {
			fin.Currency = currency("revenue", "export_revenue", "loans", "subsidies")
		}
		if len(r.errs) == nerr && (fin.EntityID == "" || year == 0) {
			r.errs = append(r.errs, RowError{File: file, Line: rec.Line, Reason: "a financials row needs an entity and a year"})
		}
		r.fins = append(r.fins, fin)
	case "trade_flows":
		tf := cipmap.TradeFlow{Year: year, Reporter: str("reporter"), Partner: str("partner"), HS6: str("hs6"),
			Flow: str("flow"), Value: num("value"), Currency: str("currency"), Quantity: num("quantity"),
			QuantityUnit: str("quantity_unit"), Source: src}
		if tf.Currency == "" {
			tf.Currency = currency("value")
		}
		if len(r.errs) == nerr && (year == 0 || tf.Reporter == "" || tf.Partner == "" || tf.HS6 == "") {
			r.errs = append(r.errs, RowError{File: file, Line: rec.Line, Reason: "a trade_flows row needs year, reporter, partner and hs6"})
		}
		r.flows = append(r.flows, tf)
	case "patent_facts":
		r.patents(file, rec, src, nerr, str, num, multi)
	}
}

// patents makes the patent_facts rows of a record: one per applicant.
func (r *worker) patents(file string, rec *source.Record, src string, nerr int, str func(string) string,
	num func(string) *float64, multi map[string][]string) {
	p := cipmap.Patent{PatentID: str("patent_id"), Office: str("office"), Kind: str("kind"),
		ApplicationNumber: str("application_number"), Title: str("title"), IPC: strings.Join(multi["ipc"], ";"),
		IPCMain: str("ipc_main"), ApplicationDate: str("application_date"), PublicationDate: str("publication_date"),
		GrantDate: str("grant_date"), Status: str("status"), Region: str("region"), Source: src}
	if y := num("year"); y != nil {
		p.Year = int(*y)
	} else if len(p.ApplicationDate) >= 4 {
		p.Year, _ = strconv.Atoi(p.ApplicationDate[:4])
	}
	if len(r.errs) == nerr && p.PatentID == "" {
		r.errs = append(r.errs, RowError{File: file, Line: rec.Line, Reason: "a patent_facts row needs a patent_id"})
	}
	ids, names := multi["applicant_id"], multi["applicant_name"]
	n := max(len(ids), len(names), 1)
	if a := num("applicants"); a != nil && int(*a) > n {
		n = int(*a) // applicants the source counts but does not list
	}
	p.Applicants = n
	for i := 0; i < max(len(ids), len(names), 1); i++ {
		q := p
		if i < len(ids) {
			q.ApplicantID = ids[i]
		}
		if i < len(names) {
			q.ApplicantName = names[i]
		}
		r.pats = append(r.pats, q)
	}
}

// entityID makes the id of entity e from a record: its prefix and a hash of the folded
// key values; "" when every key value is empty.
func entityID(e *EntitySpec, rec *source.Record, first string) string {
	h := sha1.New()
	any := false
	for i, c := range e.ID.Columns {
		v, _, _ := cell(rec, c)
		if i == 0 && first != "" {
			v = first
		}
		if !parse.IsEmpty(v) {
			any = true
			io.WriteString(h, parse.Fold(v))
		}
		h.Write([]byte{0x1f})
	}
	if !any {
		return ""
	}
	return e.ID.Prefix + "-" + hex.EncodeToString(h.Sum(nil))[:16]
}
