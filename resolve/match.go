package resolve

import (
	"cmp"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Index answers one-record queries against a set of firm records: cipmap match,
// and the reconciliation service of the HTTP layer. It is safe for concurrent use.
type Index struct {
	recs    []Record
	preps   []prep
	blocks  map[uint64][]int32 // by keyHash of a blocking key
	ids     map[string][]int32
	model   *Model
	sc      *scorer
	cluster []string // by record: its cluster id, or "" before any resolve
	scratch sync.Pool
}

// maxCandidates bounds the records a query is compared with.
const maxCandidates = 5000

// NewIndex indexes records for Match. model is the model of the last resolve run;
// nil estimates u from random pairs of the records and keeps m at its starting
// values. clusterOf maps record ids to cluster ids (nil: none yet).
func NewIndex(recs []Record, model *Model, clusterOf map[string]string, seed uint64) *Index {
	ix := &Index{recs: recs, blocks: map[uint64][]int32{}, ids: map[string][]int32{}, model: model}
	ix.preps = prepareAll(recs, runtime.GOMAXPROCS(0))
	for i := range ix.preps {
		for _, k := range blockKeys(ix.preps[i].names, ix.preps[i].province) {
			h := keyHash(k)
			if b := ix.blocks[h]; len(b) == 0 || b[len(b)-1] != int32(i) {
				ix.blocks[h] = append(b, int32(i))
			}
		}
		for _, k := range recs[i].idKeys() {
			ix.ids[k] = append(ix.ids[k], int32(i))
		}
	}
	if ix.model == nil {
		ix.model = newModel()
		var scratch []bool
		ix.model.estimateU(100_000, len(ix.preps), func(i, j int32) pattern {
			var p pattern
			p, scratch = compare(&ix.preps[i], &ix.preps[j], scratch)
			return p
		}, seed)
		ix.model.Lambda = 0.01
	}
	ix.sc = &scorer{m: ix.model, tf: newTermFreq(ix.preps)}
	ix.cluster = make([]string, len(recs))
	for i := range recs {
		ix.cluster[i] = clusterOf[recs[i].ID]
	}
	ix.scratch.New = func() any { return new([]bool) }
	return ix
}

// ClusterOf returns the cluster id of record i of the records indexed, "" if none.
func (ix *Index) ClusterOf(i int) string { return ix.cluster[i] }

// Len is the number of records indexed.
func (ix *Index) Len() int { return len(ix.recs) }

// Candidate is a record found by Match, with its score and why.
type Candidate struct {
	ID          string   `json:"id"`
	ClusterID   string   `json:"cluster_id,omitempty"`
	Dataset     string   `json:"dataset"`
	Names       []string `json:"names"`
	Probability float64  `json:"probability"`
	Weight      float64  `json:"weight"`
	Method      string   `json:"method"` // "identifier" or "score"
	Explanation string   `json:"explanation"`
}

// Match finds the records most likely to be the query's firm: those sharing a
// valid identifier first, then those its blocking keys reach, scored by the model;
// one candidate per cluster (its best record), at most limit, most probable first.
func (ix *Index) Match(q Record, limit int) []Candidate {
	p := prepare(&q)
	seen := map[int32]bool{}
	var out []Candidate
	for _, k := range q.idKeys() {
		for _, i := range ix.ids[k] {
			if !seen[i] {
				seen[i] = true
				out = append(out, ix.candidate(i, 1, 100, "identifier", "the same "+idKind(k)+" "+k[strings.IndexByte(k, ':')+1:]))
			}
		}
	}
	sp := ix.scratch.Get().(*[]bool)
	defer ix.scratch.Put(sp)
	n := 0
	for _, k := range blockKeys(p.names, p.province) {
		for _, i := range ix.blocks[keyHash(k)] {
			if seen[i] || n >= maxCandidates {
				continue
			}
			seen[i] = true
			n++
			var pat pattern
			pat, *sp = compare(&p, &ix.preps[i], *sp)
			w, nameW, places := ix.sc.score(&p, &ix.preps[i], pat)
			out = append(out, ix.candidate(i, probOf(w), w, "score", ix.sc.explain(pat, nameW, places)))
		}
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if c := cmp.Compare(b.Weight, a.Weight); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// One per cluster.
	kept := out[:0]
	clusters := map[string]bool{}
	for _, c := range out {
		if c.ClusterID != "" {
			if clusters[c.ClusterID] {
				continue
			}
			clusters[c.ClusterID] = true
		}
		kept = append(kept, c)
		if limit > 0 && len(kept) == limit {
			break
		}
	}
	return kept
}

func (ix *Index) candidate(i int32, p, w float64, method, why string) Candidate {
	r := &ix.recs[i]
	return Candidate{ID: r.ID, ClusterID: ix.cluster[i], Dataset: r.Dataset, Names: r.Names, Probability: p, Weight: w,
		Method: method, Explanation: why}
}
