package duckdb

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/cipmap/cipmap"
)

// A search index holds in memory the name and title statements that Search looks
// in, with an index of the pairs of characters of each lowercased value, so Search
// answers from the candidates of the query's rarest pair instead of scanning every
// statement (2 to 3 s at a million firms, 75 million statements). It reflects the
// file when it was built: a server on a read-only file builds it once, at start
// (BuildSearchIndex); stores that write never use one.
//
// It holds no pointers the garbage collector must follow: its strings are spans of
// one byte slice, and the pairs' lists of rows are spans of one slice of row
// numbers, found by binary search in the sorted pairs. Held as Go strings, maps
// and slices, the index (gigabytes at a million firms) was marked at every
// collection, and the collections under load put the 99th percentile of search
// at 185 ms.
type searchIndex struct {
	text     []byte         // every string, back to back
	entities []searchEntity // by entity number
	rows     []searchRow
	names    []string // schemas, properties and datasets, by number
	pairs    []uint64 // the distinct pairs of runes, sorted
	starts   []uint32 // pairs[i]'s rows are post[starts[i]:starts[i+1]]
	post     []uint32 // row numbers
}

// span is a string of searchIndex.text.
type span struct {
	off uint64
	n   uint32
}

type searchEntity struct{ id, caption span }

type searchRow struct {
	entity                    uint32
	schema, property, dataset uint16 // in names
	value, lower              span   // lower is strings.ToLower(value)
	runes                     uint32 // utf8.RuneCountInString(value)
}

// str returns the string of sp, which shares the index's memory (never written
// after the build).
func (ix *searchIndex) str(sp span) string {
	if sp.n == 0 {
		return ""
	}
	return unsafe.String(&ix.text[sp.off], int(sp.n))
}

// indexedEntity returns the schema and caption of the entity id, as Entity reads them
// (the least of each over its datasets), if the index holds it: one without names
// (a relation) it does not.
func (db *DB) indexedEntity(id string) (schema, caption string, ok bool) {
	c, ok := db.Captions([]string{id})[id]
	return c.Schema, c.Caption, ok
}

// Captions names the ids the search index holds, when a server built one
// (cipmap.Captioner): the schema and caption as entity gives them, and the least
// value of name_en.
func (db *DB) Captions(ids []string) map[string]cipmap.Caption {
	ix := db.searchIndex()
	if ix == nil {
		return nil
	}
	nameEn := slices.Index(ix.names, "name_en")
	out := make(map[string]cipmap.Caption, len(ids))
	for _, id := range ids {
		i, found := slices.BinarySearchFunc(ix.entities, id, func(e searchEntity, id string) int { return strings.Compare(ix.str(e.id), id) })
		if !found {
			continue
		}
		c := cipmap.Caption{Caption: ix.str(ix.entities[i].caption)}
		for k, r := range ix.rowsOf(uint32(i)) {
			if sc := ix.names[r.schema]; k == 0 || sc < c.Schema {
				c.Schema = sc
			}
			if v := ix.str(r.value); int(r.property) == nameEn && (c.NameEn == "" || v < c.NameEn) {
				c.NameEn = v
			}
		}
		out[id] = c
	}
	return out
}

// rowsOf returns the rows of entity number e, which are together and in order.
func (ix *searchIndex) rowsOf(e uint32) []searchRow {
	lo, _ := slices.BinarySearchFunc(ix.rows, e, func(r searchRow, e uint32) int { return cmp.Compare(r.entity, e) })
	hi, _ := slices.BinarySearchFunc(ix.rows, e+1, func(r searchRow, e uint32) int { return cmp.Compare(r.entity, e) })
	return ix.rows[lo:hi]
}

// rowsWith returns the rows whose lowered value holds the pair p.
func (ix *searchIndex) rowsWith(p uint64) []uint32 {
	i, ok := slices.BinarySearch(ix.pairs, p)
	if !ok {
		return nil
	}
	return ix.post[ix.starts[i]:ix.starts[i+1]]
}

// BuildSearchIndex reads the statements Search looks in into memory, so later
// searches need no scan. Call it only on a store no one writes while it is used
// (cipmap serve on a read-only file); it returns how long the build took.
func (db *DB) BuildSearchIndex(ctx context.Context) (time.Duration, error) {
	t0 := time.Now()
	props := nameProperties(db.schemas)
	args := make([]any, len(props))
	for i, p := range props {
		args[i] = p
	}
	rows, err := db.sql.QueryContext(ctx, `WITH s AS (SELECT entity_id, schema, property, value, dataset FROM statement
			WHERE property IN (`+placeholders(len(props))+`)),
		c AS (SELECT id, min(caption) AS caption FROM entity WHERE id IN (SELECT entity_id FROM s) GROUP BY id)
		SELECT s.entity_id, s.schema, s.property, s.value, s.dataset, coalesce(c.caption, '')
		FROM s LEFT JOIN c ON c.id = s.entity_id ORDER BY s.entity_id`, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	ix := &searchIndex{}
	number := map[string]uint16{}
	name := func(s string) uint16 {
		if k, ok := number[s]; ok {
			return k
		}
		k := uint16(len(ix.names))
		number[s] = k
		ix.names = append(ix.names, s)
		return k
	}
	add := func(s string) span {
		sp := span{uint64(len(ix.text)), uint32(len(s))}
		ix.text = append(ix.text, s...)
		return sp
	}
	var id, schema, prop, value, dataset, caption string
	var lastID string
	for rows.Next() {
		if err := rows.Scan(&id, &schema, &prop, &value, &dataset, &caption); err != nil {
			return 0, err
		}
		if len(ix.entities) == 0 || id != lastID {
			ix.entities = append(ix.entities, searchEntity{id: add(id), caption: add(caption)})
			lastID = id
		}
		if len(ix.names) > 60000 {
			return 0, fmt.Errorf("search index: more than 60,000 schemas, properties and datasets")
		}
		r := searchRow{entity: uint32(len(ix.entities) - 1), schema: name(schema), property: name(prop), dataset: name(dataset),
			value: add(value), runes: uint32(utf8.RuneCountInString(value))}
		r.lower = r.value
		if lower := strings.ToLower(value); lower != value {
			r.lower = add(lower)
		}
		ix.rows = append(ix.rows, r)
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(ix.rows) >= math.MaxUint32 {
		return 0, fmt.Errorf("search index: %d rows, more than it can number", len(ix.rows))
	}
	// The pairs' lists in two passes: count each pair's rows, then place them. A
	// pair repeated in one value is listed once.
	var buf []uint64
	pairsOf := func(k int) []uint64 {
		buf = buf[:0]
		forPairs(ix.str(ix.rows[k].lower), func(p uint64) { buf = append(buf, p) })
		slices.Sort(buf)
		return slices.Compact(buf)
	}
	count := map[uint64]uint32{}
	for k := range ix.rows {
		for _, p := range pairsOf(k) {
			count[p]++
		}
	}
	ix.pairs = slices.Sorted(maps.Keys(count))
	ix.starts = make([]uint32, len(ix.pairs)+1)
	next := make(map[uint64]uint32, len(ix.pairs)) // where the pair's next row goes
	var total uint64
	for i, p := range ix.pairs {
		if total >= math.MaxUint32 {
			return 0, fmt.Errorf("search index: more pairs of characters than it can number")
		}
		ix.starts[i] = uint32(total)
		next[p] = uint32(total)
		total += uint64(count[p])
	}
	if total >= math.MaxUint32 {
		return 0, fmt.Errorf("search index: %d pairs of characters, more than it can number", total)
	}
	ix.starts[len(ix.pairs)] = uint32(total)
	count = nil
	ix.post = make([]uint32, total)
	for k := range ix.rows {
		for _, p := range pairsOf(k) {
			ix.post[next[p]] = uint32(k)
			next[p]++
		}
	}
	db.searchMu.Lock()
	db.search = ix
	db.searchMu.Unlock()
	return time.Since(t0), nil
}

// intersect returns the numbers in both a and b, which are sorted, a the shorter:
// by a merge when the two are of like length, else by galloping through b: from
// where the last number of a was found, steps of 1, 2, 4, ... to pass the next,
// then a binary search in the last step. A Latin name's rarest pairs have lists of
// thousands of rows against hundreds of thousands ("Changhong Battery": 6,691 and
// 117,378); a binary search of all b for each took 2 ms a query, and the 1 % of
// such queries made the 99th percentile of search under load.
func intersect(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a))
	if len(b) < 4*len(a) {
		i, j := 0, 0
		for i < len(a) && j < len(b) {
			switch {
			case a[i] < b[j]:
				i++
			case a[i] > b[j]:
				j++
			default:
				out = append(out, a[i])
				i++
				j++
			}
		}
		return out
	}
	j := 0 // b[:j] < every number of a still to find
	for _, x := range a {
		if j >= len(b) {
			break
		}
		if b[j] < x {
			lo, step := j, 1 // b[lo] < x
			hi := lo + step
			for hi < len(b) && b[hi] < x {
				lo = hi
				step <<= 1
				hi = lo + step
			}
			k, _ := slices.BinarySearch(b[lo+1:min(hi, len(b))], x)
			j = lo + 1 + k
			if j >= len(b) {
				break
			}
		}
		if b[j] == x {
			out = append(out, x)
			j++
		}
	}
	return out
}

// forPairs calls fn with each pair of adjacent runes of s.
func forPairs(s string, fn func(uint64)) {
	var prev rune = -1
	for _, r := range s {
		if prev >= 0 {
			fn(uint64(prev)<<32 | uint64(uint32(r)))
		}
		prev = r
	}
}

// searchState is the search index of a DB, when built.
type searchState struct {
	searchMu sync.RWMutex
	search   *searchIndex
}

func (db *DB) searchIndex() *searchIndex {
	db.searchMu.RLock()
	defer db.searchMu.RUnlock()
	return db.search
}

// find answers a search as the SQL of Search does: the rows whose lowered value
// contains the lowered text, scored, best per entity, ordered by score and id.
func (ix *searchIndex) find(q cipmap.SearchQuery, text string, limit int) []cipmap.SearchHit {
	lt := strings.ToLower(text)
	var cand []uint32
	all := true
	// The rows holding every pair of the text: the rarest pair's rows, narrowed
	// by the next rarest while many are left. Latin names have no rare pair
	// ("Taijia Tongxin"), and checking every row of the rarest took 14 ms.
	var lists [][]uint32
	var pairs []uint64
	forPairs(lt, func(p uint64) { pairs = append(pairs, p) })
	slices.Sort(pairs)
	for _, p := range slices.Compact(pairs) { // "changhong" has ng twice
		lists = append(lists, ix.rowsWith(p))
	}
	if len(lists) > 0 {
		all = false
		slices.SortFunc(lists, func(a, b []uint32) int { return len(a) - len(b) })
		cand = lists[0]
		for _, l := range lists[1:] {
			if len(cand) <= 64 {
				break
			}
			cand = intersect(cand, l)
		}
	}
	var schemas map[string]bool
	if len(q.Schemas) > 0 {
		schemas = map[string]bool{}
		for _, s := range q.Schemas {
			schemas[s] = true
		}
	}
	type best struct {
		hit      cipmap.SearchHit
		datasets []string
	}
	found := map[uint32]*best{}
	tr := float64(utf8.RuneCountInString(text))
	try := func(k uint32) {
		r := &ix.rows[k]
		lower := ix.str(r.lower)
		schema := ix.names[r.schema]
		if !strings.Contains(lower, lt) || schemas != nil && !schemas[schema] {
			return
		}
		var score float64
		switch {
		case lower == lt:
			score = 1
		case strings.HasPrefix(lower, lt):
			score = 0.8
		default:
			score = float64(6*tr) / 10 / float64(max(r.runes, 1))
		}
		// Strings returned are copies: the hits outlive the request, and the
		// index's memory is not theirs.
		property, value := ix.names[r.property], ix.str(r.value)
		b := found[r.entity]
		if b == nil {
			e := ix.entities[r.entity]
			b = &best{hit: cipmap.SearchHit{EntityID: strings.Clone(ix.str(e.id)), Schema: schema, Caption: strings.Clone(ix.str(e.caption)),
				Property: property, Value: strings.Clone(value), Score: score}}
			found[r.entity] = b
		} else {
			b.hit.Schema = min(b.hit.Schema, schema)
			if score > b.hit.Score || score == b.hit.Score && (property < b.hit.Property || property == b.hit.Property && value < b.hit.Value) {
				b.hit.Score, b.hit.Property, b.hit.Value = score, property, strings.Clone(value)
			}
		}
		if dataset := ix.names[r.dataset]; !slices.Contains(b.datasets, dataset) {
			b.datasets = append(b.datasets, dataset)
		}
	}
	if all {
		// A text of one character has no pair: look at every row.
		for k := range ix.rows {
			try(uint32(k))
		}
	} else {
		for _, k := range cand {
			try(k)
		}
	}
	out := make([]cipmap.SearchHit, 0, len(found))
	for _, b := range found {
		slices.Sort(b.datasets)
		b.hit.Datasets = strings.Join(b.datasets, ",")
		out = append(out, b.hit)
	}
	slices.SortFunc(out, func(a, b cipmap.SearchHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.EntityID, b.EntityID)
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}
