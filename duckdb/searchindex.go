package duckdb

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// A search index holds in memory the name and title statements that Search looks
// in, with an index of the pairs of characters of each lowercased value, so Search
// answers from the candidates of the query's rarest pair instead of scanning every
// statement (2 to 3 s at a million firms, 75 million statements). It reflects the
// file when it was built: a server on a read-only file builds it once, at start
// (BuildSearchIndex); stores that write never use one.
type searchIndex struct {
	entities []searchEntity // by entity number
	rows     []searchRow
	pairs    map[uint64][]uint32 // pair of runes -> rows whose lowered value holds it
}

type searchEntity struct{ id, caption string }

type searchRow struct {
	entity                  uint32
	schema, property, value string
	lower                   string // strings.ToLower(value)
	dataset                 string
	runes                   int // utf8.RuneCountInString(value)
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
	ix := &searchIndex{pairs: map[uint64][]uint32{}}
	intern := map[string]string{}
	in := func(s string) string {
		if v, ok := intern[s]; ok {
			return v
		}
		intern[s] = s
		return s
	}
	var id, schema, prop, value, dataset, caption string
	for rows.Next() {
		if err := rows.Scan(&id, &schema, &prop, &value, &dataset, &caption); err != nil {
			return 0, err
		}
		if n := len(ix.entities); n == 0 || ix.entities[n-1].id != id {
			ix.entities = append(ix.entities, searchEntity{id: id, caption: caption})
		}
		r := searchRow{entity: uint32(len(ix.entities) - 1), schema: in(schema), property: in(prop), value: value,
			lower: strings.ToLower(value), dataset: in(dataset), runes: utf8.RuneCountInString(value)}
		if r.lower == r.value {
			r.lower = r.value
		}
		k := uint32(len(ix.rows))
		ix.rows = append(ix.rows, r)
		forPairs(r.lower, func(p uint64) {
			// A pair repeated in one value is listed once.
			if l := ix.pairs[p]; len(l) == 0 || l[len(l)-1] != k {
				ix.pairs[p] = append(l, k)
			}
		})
	}
	if err := rows.Err(); err != nil {
		return 0, err
	}
	db.searchMu.Lock()
	db.search = ix
	db.searchMu.Unlock()
	return time.Since(t0), nil
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
	forPairs(lt, func(p uint64) {
		l := ix.pairs[p]
		if all || len(l) < len(cand) {
			cand, all = l, false
		}
	})
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
		if !strings.Contains(r.lower, lt) || schemas != nil && !schemas[r.schema] {
			return
		}
		var score float64
		switch {
		case r.lower == lt:
			score = 1
		case strings.HasPrefix(r.lower, lt):
			score = 0.8
		default:
			score = float64(6*tr) / 10 / float64(max(r.runes, 1))
		}
		b := found[r.entity]
		if b == nil {
			e := ix.entities[r.entity]
			b = &best{hit: cipmap.SearchHit{EntityID: e.id, Schema: r.schema, Caption: e.caption, Property: r.property, Value: r.value, Score: score}}
			found[r.entity] = b
		} else {
			b.hit.Schema = min(b.hit.Schema, r.schema)
			if score > b.hit.Score || score == b.hit.Score && (r.property < b.hit.Property || r.property == b.hit.Property && r.value < b.hit.Value) {
				b.hit.Score, b.hit.Property, b.hit.Value = score, r.property, r.value
			}
		}
		if !slices.Contains(b.datasets, r.dataset) {
			b.datasets = append(b.datasets, r.dataset)
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
