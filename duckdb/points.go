package duckdb

import (
	"encoding/binary"
	"slices"
	"sync"
	"time"
	"unsafe"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/idtab"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// A point copy holds in memory what pages read of one entity by its id: every
// statement of it, the edges at each of its ends (the from and to rows of by_id)
// and its fact rows (facts_by_id). A server on a read-only file builds one in the
// background (BuildPointCopy); from then on Statements of given entities and
// Lookup answer from it with no query. At a million firms a firm page no one had
// asked for made five keyed queries of 1 to 15 ms each, and under 50 connections
// two cores served about 300 of them a second, with a 99th percentile near a
// second.
//
// It holds no pointers for the garbage collector to follow, apart from its small
// dictionary: entities are records of bytes in one slice, found through an
// open-addressing table of their numbers; edges and fact rows are structs of
// numbers, their strings numbers in the dictionary or spans of the bytes.
//
// An entity's record is its id, the sources its statements name, and its
// statements in the order Statements returns them (property, value, dataset,
// source), each as varints (schema, property, meta, lang, source in numbers) and
// its value and original value with their lengths.
type pointCopy struct {
	text  arena    // entity records and the edges' strings
	recs  []uint64 // entity number → where its record starts in text
	ids   *idtab.Table
	dict  []string // small strings by number; 0 is NULL
	metas []pointMeta
	edges []pointEdge
	facts []pointFact
	// at[i] lists the edges (number<<1 | side, 0 from, 1 to) and fact rows of
	// entity i: atList[atStart[i]:atStart[i+1]], edges first.
	atStart []uint32
	atList  []uint32
	nEdgeAt []uint32 // how many of entity i's items are edges
}

// pointMeta is what the statements of one dataset version share.
type pointMeta struct {
	dataset     string
	first, last time.Time
}

// arena holds bytes in chunks of up to 64 MB (more for a longer record), so that
// gigabytes of them are not copied as they grow, as one slice's would be: the
// copy of a million firms peaked at 18 GB so. An offset is chunk << 32 | position.
type arena struct{ chunks [][]byte }

const arenaChunk = 64 << 20

// add appends b to the arena and returns its offset.
func (a *arena) add(b []byte) uint64 {
	k := len(a.chunks) - 1
	if k < 0 || cap(a.chunks[k])-len(a.chunks[k]) < len(b) {
		// From 1 MB, doubling to 64 MB, so that a small file's copy is small.
		size := arenaChunk
		if k < 6 {
			size = 1 << (20 + k + 1)
		}
		a.chunks = append(a.chunks, make([]byte, 0, max(size, len(b))))
		k++
	}
	off := uint64(k)<<32 | uint64(len(a.chunks[k]))
	a.chunks[k] = append(a.chunks[k], b...)
	return off
}

// at returns the bytes from off to the end of its chunk.
func (a *arena) at(off uint64) []byte { return a.chunks[off>>32][uint32(off):] }

// pspan is a string of the arena: offset << 24 | length, where an offset's chunk
// fits in 8 bits (16 GB); noSpan is NULL.
type pspan uint64

const noSpan = ^pspan(0)

// noEntity is the number of no entity (a NULL end).
const noEntity = ^uint32(0)

// pointEdge is a row of the edges table. Entities are numbers of the copy,
// small strings numbers in its dictionary (0 for NULL), the rest spans.
type pointEdge struct {
	id, from, to                                     uint32
	schema, role, target, channel, currency, dataset uint32
	date, endDate, percentage, source                pspan
	amount                                           float64
	year                                             int32
	flags                                            uint8 // hasYear, hasAmount, flow stated, flow
}

const (
	edgeYear uint8 = 1 << iota
	edgeAmount
	edgeFlowStated
	edgeFlow
)

// pointFact is a row of facts_by_id, less its key and end.
type pointFact struct {
	patent               uint32 // an entity number, or noEntity
	system, tag, dataset uint32
	weight               float64
	applicants           int32
	side                 uint8 // an index of factSides
	flags                uint8 // hasApplicants, hasWeight
}

var factSides = []string{"applicant", "patent", "entity"}

const (
	factApplicants uint8 = 1 << iota
	factWeight
)

// pointsState is the point copy of a DB, when built.
type pointsState struct {
	pointsMu sync.RWMutex
	pointCp  *pointCopy
}

func (db *DB) points() *pointCopy {
	db.pointsMu.RLock()
	defer db.pointsMu.RUnlock()
	return db.pointCp
}

// id returns the id of entity i.
func (pc *pointCopy) id(i int32) string {
	t := pc.text.at(pc.recs[i])
	n, k := binary.Uvarint(t)
	return text(t[k:], n)
}

// text returns the first n bytes of t as a string, which shares the copy's
// memory (never written after the build).
func text(t []byte, n uint64) string {
	if n == 0 {
		return ""
	}
	return unsafe.String(&t[0], int(n))
}

func (pc *pointCopy) str(sp pspan) string {
	return text(pc.text.at(uint64(sp>>24)), uint64(sp&(1<<24-1)))
}

// find returns the number of the entity id.
func (pc *pointCopy) find(id string) (int32, bool) { return pc.ids.Find(id, pc.id) }

// answersStatements says whether the copy answers f: statements of given entities.
func (pc *pointCopy) answersStatements(f cipmap.StatementFilter) bool {
	return pc != nil && (f.EntityID != "" || len(f.EntityIDs) > 0)
}

// statements calls fn with the statements of f's entities, in order of entity,
// property, value, dataset and source.
func (pc *pointCopy) statements(f cipmap.StatementFilter, fn func(*cipmap.Statement) error) error {
	ids := f.EntityIDs
	if f.EntityID != "" {
		if len(ids) > 0 && !slices.Contains(ids, f.EntityID) {
			return nil
		}
		ids = []string{f.EntityID}
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	var st cipmap.Statement
	var srcs []string
	for _, id := range ids {
		i, ok := pc.find(id)
		if !ok {
			continue
		}
		t := pc.text.at(pc.recs[i])
		read := func() uint64 {
			v, k := binary.Uvarint(t)
			t = t[k:]
			return v
		}
		str := func() string {
			n := read()
			s := text(t, n)
			t = t[n:]
			return s
		}
		str() // the id
		srcs = srcs[:0]
		for range read() {
			srcs = append(srcs, str())
		}
		for range read() {
			schema, prop, meta, lang, src := read(), read(), read(), read(), read()
			value, orig := str(), str()
			m := &pc.metas[meta]
			if f.Dataset != "" && m.dataset != f.Dataset ||
				len(f.Schemas) > 0 && !slices.Contains(f.Schemas, pc.dict[schema]) ||
				len(f.Properties) > 0 && !slices.Contains(f.Properties, pc.dict[prop]) {
				continue
			}
			st = cipmap.Statement{EntityID: id, Schema: pc.dict[schema], Property: pc.dict[prop], Value: value, Original: orig,
				Lang: pc.dict[lang], Dataset: m.dataset, Source: srcs[src], FirstSeen: m.first, LastSeen: m.last}
			st.ID = cipmap.StatementID(st.Dataset, st.EntityID, st.Property, st.Value)
			if err := fn(&st); err != nil {
				return err
			}
		}
	}
	return nil
}

// answersLookup says whether the copy answers q: any of facts_by_id, and the edges
// of by_id; neither's key, which is DuckDB's hash.
func (pc *pointCopy) answersLookup(q cipmap.LookupQuery) bool {
	if pc == nil || slices.Contains(q.Columns, "key") || len(q.Columns) == 0 {
		return false
	}
	switch sqlview.LookupTable(q) {
	case "by_id":
		return len(q.Sides) > 0 && !slices.Contains(q.Sides, "node")
	case "facts_by_id":
		return true
	}
	return false
}

// lookup answers q, which answersLookup accepted and sqlview.LookupColumns
// checked: for each id, its rows of each side asked for, as the store's query
// returns them (strings, int32, float64, bool or nil).
func (pc *pointCopy) lookup(q cipmap.LookupQuery) *cipmap.Table {
	t := &cipmap.Table{Columns: slices.Clone(q.Columns)}
	byID := sqlview.LookupTable(q) == "by_id"
	for _, id := range slices.Compact(slices.Sorted(slices.Values(q.IDs))) {
		i, ok := pc.find(id)
		if !ok {
			continue
		}
		items := pc.atList[pc.atStart[i]:pc.atStart[i+1]]
		if byID {
			for _, it := range items[:pc.nEdgeAt[i]] {
				side := [2]string{"from", "to"}[it&1]
				if slices.Contains(q.Sides, side) {
					t.Rows = append(t.Rows, pc.edgeRow(&pc.edges[it>>1], id, side, q.Columns))
				}
			}
			continue
		}
		for _, it := range items[pc.nEdgeAt[i]:] {
			fr := &pc.facts[it]
			if side := factSides[fr.side]; len(q.Sides) == 0 || slices.Contains(q.Sides, side) {
				t.Rows = append(t.Rows, pc.factRow(fr, id, side, q.Columns))
			}
		}
	}
	return t
}

func (pc *pointCopy) small(k uint32) any {
	if k == 0 {
		return nil
	}
	return pc.dict[k]
}

func (pc *pointCopy) long(sp pspan) any {
	if sp == noSpan {
		return nil
	}
	return pc.str(sp)
}

func (pc *pointCopy) entityID(i uint32) any {
	if i == noEntity {
		return nil
	}
	return pc.id(int32(i))
}

func (pc *pointCopy) edgeRow(e *pointEdge, end, side string, cols []string) []any {
	row := make([]any, len(cols))
	for k, c := range cols {
		switch c {
		case "end_id":
			row[k] = end
		case "side":
			row[k] = side
		case "id":
			row[k] = pc.id(int32(e.id))
		case "schema":
			row[k] = pc.small(e.schema)
		case "role":
			row[k] = pc.small(e.role)
		case "target":
			row[k] = pc.small(e.target)
		case "channel":
			row[k] = pc.small(e.channel)
		case "from_id":
			row[k] = pc.entityID(e.from)
		case "to_id":
			row[k] = pc.entityID(e.to)
		case "date":
			row[k] = pc.long(e.date)
		case "end_date":
			row[k] = pc.long(e.endDate)
		case "year":
			if e.flags&edgeYear != 0 {
				row[k] = e.year
			}
		case "amount":
			if e.flags&edgeAmount != 0 {
				row[k] = e.amount
			}
		case "currency":
			row[k] = pc.small(e.currency)
		case "percentage":
			row[k] = pc.long(e.percentage)
		case "flow":
			if e.flags&edgeFlowStated != 0 {
				row[k] = e.flags&edgeFlow != 0
			}
		case "dataset":
			row[k] = pc.small(e.dataset)
		case "source":
			row[k] = pc.long(e.source)
		} // caption, name_en: NULL in an edge's rows
	}
	return row
}

func (pc *pointCopy) factRow(fr *pointFact, end, side string, cols []string) []any {
	row := make([]any, len(cols))
	for k, c := range cols {
		switch c {
		case "end_id":
			row[k] = end
		case "side":
			row[k] = side
		case "patent_id":
			row[k] = pc.entityID(fr.patent)
		case "applicants":
			if fr.flags&factApplicants != 0 {
				row[k] = fr.applicants
			}
		case "system":
			row[k] = pc.small(fr.system)
		case "tag":
			row[k] = pc.small(fr.tag)
		case "weight":
			if fr.flags&factWeight != 0 {
				row[k] = fr.weight
			}
		case "dataset":
			row[k] = pc.small(fr.dataset)
		}
	}
	return row
}
