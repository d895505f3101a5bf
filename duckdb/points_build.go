package duckdb

import (
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unsafe"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/idtab"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// The making of a point copy (points.go): BuildPointCopy.

// PointCopyInfo says what BuildPointCopy copied.
type PointCopyInfo struct {
	Took                                  time.Duration
	Entities, Statements, Edges, FactRows int
	Bytes                                 int64 // held, about
	// Reread counts the entities read again because a value held U+001E or
	// U+001F.
	Reread int
}

func (i PointCopyInfo) String() string {
	return fmt.Sprintf("made in %.1f s: %d entities, %d statements, %d edges, %d fact rows, %.1f GB",
		i.Took.Seconds(), i.Entities, i.Statements, i.Edges, i.FactRows, float64(i.Bytes)/(1<<30))
}

// BuildPointCopy reads into memory every statement, edge and fact row that pages
// read of one entity, so that later reads need no query. Only a file opened
// read-only may have one: nothing then changes under it. At a million firms it
// takes a few minutes and holds about 5 GB.
func (db *DB) BuildPointCopy(ctx context.Context) (PointCopyInfo, error) {
	t0 := time.Now()
	if !db.readOnly {
		return PointCopyInfo{}, cipmap.Errorf(cipmap.EINVALID, "point copy: only a file opened read-only may be copied into memory")
	}
	b := &pointBuilder{pc: &pointCopy{dict: []string{""}}, dict: map[string]uint32{}, metas: map[metaKey]uint32{},
		srcNum: map[string]uint64{}}
	b.pc.ids = idtab.New(0, b.pc.id)
	if err := b.statements(ctx, db); err != nil {
		return PointCopyInfo{}, fmt.Errorf("point copy: statements: %w", err)
	}
	if err := b.edges(ctx, db); err != nil {
		return PointCopyInfo{}, fmt.Errorf("point copy: edges: %w", err)
	}
	if err := b.facts(ctx, db); err != nil {
		return PointCopyInfo{}, fmt.Errorf("point copy: facts: %w", err)
	}
	b.index()
	pc := b.pc
	info := PointCopyInfo{Entities: len(pc.recs), Statements: b.statementCount, Edges: len(pc.edges), FactRows: len(pc.facts), Reread: b.reread}
	for _, c := range pc.text.chunks {
		info.Bytes += int64(cap(c))
	}
	info.Bytes += int64(len(pc.recs))*8 + int64(len(pc.edges))*int64(unsafe.Sizeof(pointEdge{})) +
		int64(len(pc.facts))*int64(unsafe.Sizeof(pointFact{})) + int64(len(pc.atStart)+len(pc.atList)+len(pc.nEdgeAt))*4 + pc.ids.Bytes()
	db.pointsMu.Lock()
	db.pointCp = pc
	db.pointsMu.Unlock()
	info.Took = time.Since(t0)
	return info, nil
}

// pointBuilder builds a point copy.
type pointBuilder struct {
	pc    *pointCopy
	dict  map[string]uint32
	metas map[metaKey]uint32
	// the ends of the fact rows, by row
	factEnd        []uint32
	statementCount int
	reread         int
	// scratch of an entity's statements and record
	rec    []byte
	rows   []pointStatement
	srcs   []string
	srcNum map[string]uint64
}

type metaKey struct {
	dataset     string
	first, last int64
}

type pointStatement struct {
	schema, property, meta, lang uint32
	value, original, dataset     string
	source                       string
}

// intern returns the number of s in the dictionary.
func (b *pointBuilder) intern(s string) uint32 {
	if k, ok := b.dict[s]; ok {
		return k
	}
	k := uint32(len(b.pc.dict))
	s = strings.Clone(s) // not the row it came from
	b.dict[s] = k
	b.pc.dict = append(b.pc.dict, s)
	return k
}

// span adds s to the text.
func (b *pointBuilder) span(s string) (pspan, error) {
	if len(s) >= 1<<24 {
		return 0, fmt.Errorf("a value of %d bytes, more than a point copy holds", len(s))
	}
	off := b.pc.text.add(unsafe.Slice(unsafe.StringData(s), len(s)))
	if off>>32 >= 1<<8 {
		return 0, fmt.Errorf("more than 16 GB of strings, more than a point copy holds")
	}
	return pspan(off<<24 | uint64(len(s))), nil
}

// entity returns the number of the entity id, adding one with no statements.
func (b *pointBuilder) entity(id string) uint32 {
	pc := b.pc
	if i, ok := pc.find(id); ok {
		return uint32(i)
	}
	r := binary.AppendUvarint(b.rec[:0], uint64(len(id)))
	r = append(r, id...)
	r = binary.AppendUvarint(r, 0) // sources
	r = binary.AppendUvarint(r, 0) // statements
	b.rec = r
	pc.recs = append(pc.recs, pc.text.add(r))
	i, _ := pc.ids.Add(id, pc.id)
	return uint32(i)
}

// hashRanges returns ranges of hash values that split rows of about n in parts of
// about per rows each.
func hashRanges(n, per int64) [][2]string {
	parts := uint64(max(1, (n+per-1)/per))
	step := math.MaxUint64/parts + 1
	out := make([][2]string, parts)
	for k := range parts {
		hi := uint64(math.MaxUint64)
		if k < parts-1 {
			hi = (k+1)*step - 1
		}
		out[k] = [2]string{strconv.FormatUint(k*step, 10), strconv.FormatUint(hi, 10)}
	}
	return out
}

// prefixed is SQL of the text x as its length in bytes, a colon and x; '-' for
// NULL.
func prefixed(x string) string {
	return "coalesce(strlen(" + x + ") || ':' || " + x + ", '-')"
}

// fields reads the length-prefixed strings of prefixed from s: ok false for NULL.
type fields struct {
	s   string
	err error
}

func (f *fields) next() (v string, ok bool) {
	if f.err != nil {
		return "", false
	}
	if strings.HasPrefix(f.s, "-") {
		f.s = f.s[1:]
		return "", false
	}
	colon := strings.IndexByte(f.s, ':')
	if colon < 0 {
		f.err = fmt.Errorf("no length in %.40q", f.s)
		return "", false
	}
	n, err := strconv.Atoi(f.s[:colon])
	if err != nil || n < 0 || colon+1+n > len(f.s) {
		f.err = fmt.Errorf("bad length in %.40q", f.s)
		return "", false
	}
	v, f.s = f.s[colon+1:colon+1+n], f.s[colon+1+n:]
	return v, true
}

// number reads a decimal integer ended by a colon.
func (f *fields) number() int64 {
	if f.err != nil {
		return 0
	}
	colon := strings.IndexByte(f.s, ':')
	if colon < 0 {
		f.err = fmt.Errorf("no number in %.40q", f.s)
		return 0
	}
	n, err := strconv.ParseInt(f.s[:colon], 10, 64)
	if err != nil {
		f.err = fmt.Errorf("bad number in %.40q", f.s)
	}
	f.s = f.s[colon+1:]
	return n
}

// statements reads every entity's statements, an entity at a time: DuckDB joins
// each entity's statements into one text, in parts of about 1.3 million
// statements by the key the table is ordered by, so that each part reads its own
// blocks. The text separates fields by U+001F and statements by U+001E (three
// times faster for DuckDB to make than each string after its length); a value
// holding either shows, as a statement too many or a field too many, and that
// entity is read again with each string after its length, which no value can
// break.
func (b *pointBuilder) statements(ctx context.Context, db *DB) error {
	var n int64
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM statement").Scan(&n); err != nil {
		return err
	}
	key := "hash(entity_id)"
	if db.keyed {
		key = "ekey"
	}
	fields := []string{"schema", "property", "value", "coalesce(original, '')", "coalesce(lang, '')", "dataset", "coalesce(source, '')",
		"epoch_us(first_seen)", "epoch_us(last_seen)"}
	q := `SELECT entity_id, count(*), string_agg(concat_ws(chr(31), ` + strings.Join(fields, ", ") + `), chr(30))
		FROM statement WHERE ` + key + ` BETWEEN CAST(? AS UBIGINT) AND CAST(? AS UBIGINT) GROUP BY entity_id`
	for i, f := range fields[:7] {
		fields[i] = prefixed(f)
	}
	slow := `SELECT string_agg(` + strings.Join(fields[:7], " || ") + ` || epoch_us(first_seen) || ':' || epoch_us(last_seen) || ':', '')
		FROM statement WHERE entity_id = ?`
	if db.keyed {
		slow += " AND ekey = hash(?)"
	}
	type entityRow struct {
		id    string
		count int
		blob  string
	}
	return readParts(ctx, db, q, hashRanges(n, 1_300_000), func(rows *sql.Rows) (entityRow, error) {
		var r entityRow
		return r, rows.Scan(&r.id, &r.count, &r.blob)
	}, func(r entityRow) error {
		if !b.splitEntity(r.blob, r.count) {
			b.reread++
			args := []any{r.id}
			if db.keyed {
				args = append(args, r.id)
			}
			var blob string
			if err := db.sql.QueryRowContext(ctx, slow, args...).Scan(&blob); err != nil {
				return fmt.Errorf("entity %q: %w", r.id, err)
			}
			if err := b.prefixedEntity(blob); err != nil {
				return fmt.Errorf("entity %q: %w", r.id, err)
			}
		}
		return b.addEntity(r.id)
	})
}

// splitEntity reads the statements of an entity from its text of separated
// fields into b.rows, and says whether they were count statements of nine fields
// each.
func (b *pointBuilder) splitEntity(blob string, count int) bool {
	b.rows = b.rows[:0]
	var f [9]string
	for st := range strings.SplitSeq(blob, "\x1e") {
		k := 0
		for v := range strings.SplitSeq(st, "\x1f") {
			if k == len(f) {
				return false
			}
			f[k] = v
			k++
		}
		if k != len(f) {
			return false
		}
		first, err1 := strconv.ParseInt(f[7], 10, 64)
		last, err2 := strconv.ParseInt(f[8], 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		b.addRow(f[0], f[1], f[2], f[3], f[4], f[5], f[6], first, last)
	}
	return len(b.rows) == count
}

// prefixedEntity reads the statements of an entity from its text of
// length-prefixed strings into b.rows.
func (b *pointBuilder) prefixedEntity(blob string) error {
	b.rows = b.rows[:0]
	f := fields{s: blob}
	for f.s != "" && f.err == nil {
		schema, _ := f.next()
		prop, _ := f.next()
		value, _ := f.next()
		orig, _ := f.next()
		lang, _ := f.next()
		dataset, _ := f.next()
		source, _ := f.next()
		first, last := f.number(), f.number()
		if f.err == nil {
			b.addRow(schema, prop, value, orig, lang, dataset, source, first, last)
		}
	}
	return f.err
}

// addRow adds a statement to b.rows.
func (b *pointBuilder) addRow(schema, prop, value, orig, lang, dataset, source string, first, last int64) {
	pc := b.pc
	mk := metaKey{dataset, first, last}
	m, ok := b.metas[mk]
	if !ok {
		m = uint32(len(pc.metas))
		mk.dataset = strings.Clone(dataset)
		b.metas[mk] = m
		pc.metas = append(pc.metas, pointMeta{dataset: mk.dataset, first: time.UnixMicro(first).UTC(), last: time.UnixMicro(last).UTC()})
	}
	b.rows = append(b.rows, pointStatement{schema: b.intern(schema), property: b.intern(prop), meta: m, lang: b.intern(lang),
		value: value, original: orig, dataset: dataset, source: source})
}

// addEntity adds the record of the entity id from its statements in b.rows.
func (b *pointBuilder) addEntity(id string) error {
	pc := b.pc
	b.statementCount += len(b.rows)
	// In the order Statements gives: property, value, dataset, source.
	slices.SortStableFunc(b.rows, func(x, y pointStatement) int {
		if c := strings.Compare(pc.dict[x.property], pc.dict[y.property]); c != 0 {
			return c
		}
		if c := strings.Compare(x.value, y.value); c != 0 {
			return c
		}
		if c := strings.Compare(x.dataset, y.dataset); c != 0 {
			return c
		}
		return strings.Compare(x.source, y.source)
	})
	b.srcs = b.srcs[:0]
	clear(b.srcNum)
	for _, r := range b.rows {
		if _, ok := b.srcNum[r.source]; !ok {
			b.srcNum[r.source] = uint64(len(b.srcs))
			b.srcs = append(b.srcs, r.source)
		}
	}
	t := binary.AppendUvarint(b.rec[:0], uint64(len(id)))
	t = append(t, id...)
	t = binary.AppendUvarint(t, uint64(len(b.srcs)))
	for _, s := range b.srcs {
		t = binary.AppendUvarint(t, uint64(len(s)))
		t = append(t, s...)
	}
	t = binary.AppendUvarint(t, uint64(len(b.rows)))
	for _, r := range b.rows {
		t = binary.AppendUvarint(t, uint64(r.schema))
		t = binary.AppendUvarint(t, uint64(r.property))
		t = binary.AppendUvarint(t, uint64(r.meta))
		t = binary.AppendUvarint(t, uint64(r.lang))
		t = binary.AppendUvarint(t, b.srcNum[r.source])
		t = binary.AppendUvarint(t, uint64(len(r.value)))
		t = append(t, r.value...)
		t = binary.AppendUvarint(t, uint64(len(r.original)))
		t = append(t, r.original...)
	}
	b.rec = t
	pc.recs = append(pc.recs, pc.text.add(t))
	if _, added := pc.ids.Add(id, pc.id); !added {
		return fmt.Errorf("read twice")
	}
	return nil
}

// edges reads the edges table, whose rows by_id holds under each end.
func (b *pointBuilder) edges(ctx context.Context, db *DB) error {
	var n int64
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM edges").Scan(&n); err != nil {
		return err
	}
	var cols []string
	for _, c := range []string{"id", "schema", "role", "target", "channel", "from_id", "to_id", "date", "end_date", "currency", "percentage", "dataset", "source"} {
		cols = append(cols, prefixed(c))
	}
	q := `SELECT ` + strings.Join(cols, " || ") + `, year, amount, flow FROM edges
		WHERE hash(id) BETWEEN CAST(? AS UBIGINT) AND CAST(? AS UBIGINT)`
	type edgeRow struct {
		blob   string
		year   *int32
		amount *float64
		flow   *bool
	}
	return readParts(ctx, db, q, hashRanges(n, 2_000_000), func(rows *sql.Rows) (edgeRow, error) {
		var r edgeRow
		return r, rows.Scan(&r.blob, &r.year, &r.amount, &r.flow)
	}, func(r edgeRow) error { return b.addEdge(r.blob, r.year, r.amount, r.flow) })
}

func (b *pointBuilder) addEdge(blob string, year *int32, amount *float64, flow *bool) error {
	f := fields{s: blob}
	e := pointEdge{}
	id, _ := f.next()
	small := func() uint32 {
		if v, ok := f.next(); ok {
			return b.intern(v)
		}
		return 0
	}
	end := func() uint32 {
		if v, ok := f.next(); ok {
			return b.entity(v)
		}
		return noEntity
	}
	var err error
	long := func() pspan {
		v, ok := f.next()
		if !ok || err != nil {
			return noSpan
		}
		var sp pspan
		sp, err = b.span(v)
		return sp
	}
	e.id = b.entity(id)
	e.schema, e.role, e.target, e.channel = small(), small(), small(), small()
	e.from, e.to = end(), end()
	e.date, e.endDate = long(), long()
	e.currency = small()
	e.percentage = long()
	e.dataset = small()
	e.source = long()
	if f.err != nil || err != nil || f.s != "" {
		return fmt.Errorf("edge %q: bad row (%v, %v, %d bytes left)", id, f.err, err, len(f.s))
	}
	if year != nil {
		e.year, e.flags = *year, e.flags|edgeYear
	}
	if amount != nil {
		e.amount, e.flags = *amount, e.flags|edgeAmount
	}
	if flow != nil {
		e.flags |= edgeFlowStated
		if *flow {
			e.flags |= edgeFlow
		}
	}
	b.pc.edges = append(b.pc.edges, e)
	return nil
}

// facts reads the rows of facts_by_id from the tables it is derived from.
func (b *pointBuilder) facts(ctx context.Context, db *DB) error {
	from := "(" + sqlview.FactsByIDRows(db.schemas, sqlview.DuckDB, "true") + ")"
	var n int64
	if err := db.sql.QueryRowContext(ctx, "SELECT count(*) FROM "+from).Scan(&n); err != nil {
		return err
	}
	q := `SELECT ` + prefixed("end_id") + ` || ` + prefixed("side") + ` || ` + prefixed("patent_id") + ` || ` + prefixed("system") +
		` || ` + prefixed("tag") + ` || ` + prefixed("dataset") + `, applicants, weight FROM ` + from + `
		WHERE hash(end_id) BETWEEN CAST(? AS UBIGINT) AND CAST(? AS UBIGINT)`
	type factRow struct {
		blob       string
		applicants *int32
		weight     *float64
	}
	return readParts(ctx, db, q, hashRanges(n, 2_000_000), func(rows *sql.Rows) (factRow, error) {
		var r factRow
		return r, rows.Scan(&r.blob, &r.applicants, &r.weight)
	}, func(r factRow) error { return b.addFact(r.blob, r.applicants, r.weight) })
}

// addFact adds a row of facts_by_id.
func (b *pointBuilder) addFact(blob string, applicants *int32, weight *float64) error {
	f := fields{s: blob}
	end, _ := f.next()
	side, _ := f.next()
	fr := pointFact{patent: noEntity, side: uint8(slices.Index(factSides, side))}
	patent, hasPatent := f.next()
	if hasPatent {
		fr.patent = b.entity(patent)
	}
	if v, ok := f.next(); ok {
		fr.system = b.intern(v)
	}
	if v, ok := f.next(); ok {
		fr.tag = b.intern(v)
	}
	dataset, _ := f.next()
	fr.dataset = b.intern(dataset)
	if f.err != nil || f.s != "" || fr.side == 255 {
		return fmt.Errorf("fact of %q: bad row (%v, side %q)", end, f.err, side)
	}
	if applicants != nil {
		fr.applicants, fr.flags = *applicants, fr.flags|factApplicants
	}
	if weight != nil {
		fr.weight, fr.flags = *weight, fr.flags|factWeight
	}
	endNum := fr.patent
	if !hasPatent || patent != end { // a patent's tag rows are under its own id: found once
		endNum = b.entity(end)
	}
	b.factEnd = append(b.factEnd, endNum)
	b.pc.facts = append(b.pc.facts, fr)
	return nil
}

// readParts runs q once for each range of hash values (its two parameters) and
// calls add with each row scan reads, in order. The queries run and their rows
// are read in another goroutine, so that DuckDB reads the next rows while add
// takes the last: two cores then share the work.
func readParts[T any](ctx context.Context, db *DB, q string, ranges [][2]string, scan func(*sql.Rows) (T, error), add func(T) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan []T, 4)
	errc := make(chan error, 1)
	go func() {
		defer close(batches)
		errc <- func() error {
			for _, r := range ranges {
				rows, err := db.sql.QueryContext(ctx, q, r[0], r[1])
				if err != nil {
					return err
				}
				batch := make([]T, 0, 4096)
				for rows.Next() {
					v, err := scan(rows)
					if err != nil {
						rows.Close()
						return err
					}
					if batch = append(batch, v); len(batch) == cap(batch) {
						select {
						case batches <- batch:
						case <-ctx.Done():
							rows.Close()
							return ctx.Err()
						}
						batch = make([]T, 0, 4096)
					}
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
				select {
				case batches <- batch:
				case <-ctx.Done():
					return ctx.Err()
				}
			}
			return nil
		}()
	}()
	for batch := range batches {
		for _, v := range batch {
			if err := add(v); err != nil {
				cancel()
				for range batches { // let the reader stop
				}
				return err
			}
		}
	}
	return <-errc
}

// index lists each entity's edges and fact rows.
func (b *pointBuilder) index() {
	pc := b.pc
	n := len(pc.recs)
	count := make([]uint32, n+1)
	edges := make([]uint32, n)
	for _, e := range pc.edges {
		for _, end := range []uint32{e.from, e.to} {
			if end != noEntity {
				count[end]++
				edges[end]++
			}
		}
	}
	for _, end := range b.factEnd {
		count[end]++
	}
	pc.atStart = make([]uint32, n+1)
	for i := range n {
		pc.atStart[i+1] = pc.atStart[i] + count[i]
	}
	pc.atList = make([]uint32, pc.atStart[n])
	next := slices.Clone(pc.atStart[:n])
	for k, e := range pc.edges {
		for side, end := range []uint32{e.from, e.to} {
			if end != noEntity {
				pc.atList[next[end]] = uint32(k)<<1 | uint32(side)
				next[end]++
			}
		}
	}
	for k, end := range b.factEnd {
		pc.atList[next[end]] = uint32(k)
		next[end]++
	}
	pc.nEdgeAt = edges
	b.factEnd = nil
}
