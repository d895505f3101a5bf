package resolve

import (
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/cipmap/cipmap"
)

// Options tune Resolve. The zero value is usable.
type Options struct {
	// Threshold links pairs whose match probability is at least this; default 0.5:
	// a pair is linked when it is more likely the same firm than not, the decision
	// that makes the fewest expected errors. Studies that need precision first
	// raise it (0.9 trades about two points of recall for half a point of
	// precision on generated data; see the README).
	Threshold float64
	// ReviewFrom sends pairs with a probability in [ReviewFrom, Threshold) to the
	// review queue; default 0.1.
	ReviewFrom float64
	// RandomPairs is the number of random pairs that estimate u; default 300,000.
	RandomPairs int
	// MaxBlock is the largest block whose records are all compared with each other;
	// a larger block (a common trade name) compares each record with its Window
	// neighbours in name order. Defaults 50 and 20.
	MaxBlock, Window int
	// Seed seeds the random pairs.
	Seed uint64
	// Judgements are reviewers' decisions: "same" pairs are always linked,
	// "different" pairs never end in one cluster.
	Judgements []cipmap.Judgement
	// Previous maps record ids to the cluster ids of an earlier run, so that clusters
	// keep their ids.
	Previous map[string]string
	// MaxReview bounds the review queue (the most probable pairs are kept);
	// default 10,000.
	MaxReview int
	// Workers compare pairs in parallel; default GOMAXPROCS.
	Workers int
	// Progress, if set, is told of each stage as it starts.
	Progress func(stage string)
	// Incremental, with the model and the member rows of an earlier run (Model,
	// Members), puts only the records that run did not see through blocking and
	// scoring: the earlier clusters stand as they were (their rows are kept), new
	// records join them or one another, and m and u are not estimated again. A
	// new record can join two earlier clusters into one. Judgements that would
	// split an earlier cluster need a full run (Resolve says so).
	Incremental bool
	Model       *Model
	Members     map[string]cipmap.ClusterMember
}

func (o *Options) defaults() {
	if o.Threshold == 0 {
		o.Threshold = 0.5
	}
	if o.ReviewFrom == 0 {
		o.ReviewFrom = 0.1
	}
	if o.RandomPairs == 0 {
		o.RandomPairs = 300_000
	}
	if o.MaxBlock == 0 {
		o.MaxBlock = 50
	}
	if o.Window == 0 {
		o.Window = 20
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.MaxReview == 0 {
		o.MaxReview = 10_000
	}
}

// Pair is a scored pair of records.
type Pair struct {
	Left        string  `json:"left_id"`
	Right       string  `json:"right_id"`
	Probability float64 `json:"probability"`
	Weight      float64 `json:"weight"`
	Explanation string  `json:"explanation"`
}

// Stats count what Resolve did.
type Stats struct {
	Records         int                `json:"records"`
	NewRecords      int                `json:"new_records,omitempty"` // in an incremental run: records the earlier run did not see
	Names           int                `json:"names"`
	Blocks          int                `json:"blocks"`
	LargeBlocks     int                `json:"large_blocks"` // compared by sorted neighbourhood
	CandidatePairs  int                `json:"candidate_pairs"`
	IdentifierLinks int                `json:"identifier_links"`
	ScoredLinks     int                `json:"scored_links"`
	JudgedSame      int                `json:"judged_same"`
	JudgedDifferent int                `json:"judged_different"`
	RefusedMerges   int                `json:"refused_merges"` // links refused by a judgement or by conflicting credit codes
	Clusters        int                `json:"clusters"`
	KeptIDs         int                `json:"kept_ids"` // clusters that kept an earlier run's id
	Seconds         map[string]float64 `json:"seconds"`
}

// Result is the outcome of Resolve.
type Result struct {
	// Members has one row per record, sorted by cluster id and record id.
	Members []cipmap.ClusterMember
	Model   *Model
	// Review lists the pairs in the uncertain band that ended in different clusters,
	// most probable first, for cipmap review.
	Review []Pair
	Stats  Stats
}

// link is an accepted edge between two records.
type link struct {
	a, b   int32
	p, w   float64
	pat    pattern
	nameW  float64 // the name's weight after the term-frequency adjustment
	places int32   // where the name is found, if adjusted
	method string
	why    string
}

// Resolve clusters firm records into firms: identifiers first (the same valid
// unified social credit code, LEI or organisation code), then Fellegi-Sunter
// scoring of the pairs that blocking proposes, with m and u estimated from the data,
// honouring judgements. Every record's row says which link put it in its cluster
// and why.
func Resolve(recs []Record, opts Options) (*Result, error) {
	opts.defaults()
	st := Stats{Records: len(recs), Seconds: map[string]float64{}}
	stage := func(name string, start time.Time) {
		st.Seconds[name] += time.Since(start).Seconds()
	}
	progress := func(s string) {
		if opts.Progress != nil {
			opts.Progress(s)
		}
	}
	if len(recs) > 1<<31-1 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "resolve: %d records is more than 2^31", len(recs))
	}
	index := make(map[string]int32, len(recs))
	for i := range recs {
		if _, dup := index[recs[i].ID]; dup {
			return nil, cipmap.Errorf(cipmap.EINVALID, "resolve: record %q given twice", recs[i].ID)
		}
		index[recs[i].ID] = int32(i)
	}

	progress("preparing names")
	t := time.Now()
	preps := prepareAll(recs, opts.Workers)
	for i := range preps {
		st.Names += len(preps[i].names)
	}
	stage("prepare", t)

	// Incremental: which records are new.
	var isNew []bool
	if opts.Incremental {
		if opts.Model == nil || len(opts.Members) == 0 {
			return nil, cipmap.Errorf(cipmap.EINVALID, "resolve: an incremental run needs the model and clusters of an earlier run; run a full resolve first")
		}
		isNew = make([]bool, len(recs))
		for i := range recs {
			if _, ok := opts.Members[recs[i].ID]; !ok {
				isNew[i] = true
				st.NewRecords++
			}
		}
		for _, j := range opts.Judgements {
			l, okL := opts.Members[j.Left]
			r, okR := opts.Members[j.Right]
			if j.Decision == "different" && okL && okR && l.ClusterID == r.ClusterID {
				return nil, cipmap.Errorf(cipmap.EINVALID, "resolve: %s and %s were judged different but share cluster %s of the earlier run; run a full resolve to split it", j.Left, j.Right, l.ClusterID)
			}
		}
	}

	progress("blocking")
	t = time.Now()
	pairs, blocks, large := candidatePairs(preps, opts.MaxBlock, opts.Window, opts.Workers, isNew)
	if isNew != nil {
		// Only pairs with a new record: the others were decided before.
		kept := pairs[:0]
		for _, pr := range pairs {
			if isNew[int32(pr>>32)] || isNew[int32(pr)] {
				kept = append(kept, pr)
			}
		}
		pairs = slices.Clip(kept)
	}
	st.Blocks, st.LargeBlocks, st.CandidatePairs = blocks, large, len(pairs)
	stage("block", t)

	progress("comparing pairs")
	t = time.Now()
	pats := comparePairs(preps, pairs, opts.Workers)
	stage("compare", t)

	progress("estimating m and u")
	t = time.Now()
	idLinks := identifierLinks(recs, preps)
	var model *Model
	if opts.Incremental {
		model = opts.Model
		model.finish()
		kept := idLinks[:0]
		for _, l := range idLinks {
			if isNew[l.a] || isNew[l.b] {
				kept = append(kept, l)
			}
		}
		idLinks = kept
	} else {
		var err error
		if model, err = estimate(preps, pairs, pats, idLinks, opts); err != nil {
			return nil, err
		}
	}
	stage("estimate", t)

	progress("clustering")
	t = time.Now()
	res := &Result{Model: model}
	// Judgements.
	same := map[[2]int32]bool{}
	diff := map[[2]int32]bool{}
	var links []link
	for _, j := range opts.Judgements {
		a, okA := index[j.Left]
		b, okB := index[j.Right]
		if !okA || !okB || a == b {
			continue
		}
		k := orderPair(a, b)
		switch j.Decision {
		case "same":
			same[k] = true
			st.JudgedSame++
			links = append(links, link{a: k[0], b: k[1], p: 1, w: 99, method: "judgement",
				why: fmt.Sprintf("judged same by %s on %s %s", orUnknown(j.Reviewer), j.DecidedAt, j.Note)})
		case "different":
			diff[k] = true
			st.JudgedDifferent++
		}
	}
	// Identifiers.
	links = append(links, idLinks...)
	st.IdentifierLinks = len(links) - st.JudgedSame
	// Scored pairs.
	sc := &scorer{m: model, tf: newTermFreq(preps)}
	// Pairs above the threshold are kept as pair numbers and weights only (8
	// bytes, not a link's 72: at a million records there are over ten million of
	// them, most inside clusters that are already joined); a link is made when a
	// pair joins two clusters. The review band is kept the same way (it can hold
	// millions of pairs); the most probable are made into links at the end.
	type pending struct {
		i int32
		w float32
	}
	var scored, band []pending
	for i, pr := range pairs {
		a, b := int32(pr>>32), int32(pr)
		w, _, _ := sc.score(&preps[a], &preps[b], pats[i])
		p := probOf(w)
		if p >= opts.Threshold {
			scored = append(scored, pending{int32(i), float32(w)})
		} else if p >= opts.ReviewFrom {
			band = append(band, pending{int32(i), float32(w)})
		}
	}
	// Strongest first; equal weights in pair order.
	byWeight := func(x, y pending) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		return cmp.Compare(x.i, y.i)
	}
	slices.SortFunc(scored, byWeight)
	slices.SortFunc(band, byWeight)
	if len(band) > 4*opts.MaxReview {
		band = band[:4*opts.MaxReview] // some will be in one cluster after all
	}
	scoredLink := func(x pending) link {
		pr := pairs[x.i]
		a, b := int32(pr>>32), int32(pr)
		w, nameW, places := sc.score(&preps[a], &preps[b], pats[x.i])
		return link{a: a, b: b, p: probOf(w), w: w, pat: pats[x.i], nameW: nameW, places: places, method: "score"}
	}
	review := make([]link, 0, len(band))
	for _, x := range band {
		review = append(review, scoredLink(x))
	}
	band = nil
	// Judgements and identifiers first, then the scored pairs.
	slices.SortFunc(links, func(x, y link) int {
		if c := cmp.Compare(y.w, x.w); c != 0 {
			return c
		}
		if c := cmp.Compare(x.a, y.a); c != 0 {
			return c
		}
		return cmp.Compare(x.b, y.b)
	})
	nfixed := len(links)
	uf := newUnionFind(len(recs))
	// Per root: its valid credit codes (at most one is allowed) and the records it
	// must not join.
	code := make([]string, len(recs))
	for i := range preps {
		code[i] = preps[i].uscc
	}
	cannot := map[int32][]int32{} // root → records judged different from a member
	for k := range diff {
		cannot[k[0]] = append(cannot[k[0]], k[1])
		cannot[k[1]] = append(cannot[k[1]], k[0])
	}
	if opts.Incremental {
		// The earlier clusters stand: their records are joined first.
		first := map[string]int32{}
		for i := range recs {
			m, ok := opts.Members[recs[i].ID]
			if !ok {
				continue
			}
			if j, ok := first[m.ClusterID]; ok {
				ra, rb := uf.find(j), uf.find(int32(i))
				if ra != rb {
					r := uf.union(ra, rb)
					other := ra
					if r == ra {
						other = rb
					}
					if code[r] == "" {
						code[r] = code[other]
					}
				}
			} else {
				first[m.ClusterID] = int32(i)
			}
		}
	}
	joinedBy := make([]int32, len(recs)) // index into links+1 of the link that first joined a record; 0 = none
	var accepted []link
	for k := 0; k < nfixed+len(scored); k++ {
		var l link
		if k < nfixed {
			l = links[k]
		} else {
			// Most scored pairs are inside a cluster by now: skip them before
			// making their link.
			x := scored[k-nfixed]
			if uf.find(int32(pairs[x.i]>>32)) == uf.find(int32(pairs[x.i])) {
				continue
			}
			l = scoredLink(x)
		}
		ra, rb := uf.find(l.a), uf.find(l.b)
		if ra == rb {
			continue
		}
		if code[ra] != "" && code[rb] != "" && code[ra] != code[rb] && l.method != "judgement" {
			st.RefusedMerges++
			continue
		}
		if conflicts(uf, cannot[ra], rb) || conflicts(uf, cannot[rb], ra) {
			st.RefusedMerges++
			continue
		}
		r := uf.union(ra, rb)
		other := ra
		if r == ra {
			other = rb
		}
		if code[r] == "" {
			code[r] = code[other]
		}
		if len(cannot[other]) > 0 {
			cannot[r] = append(cannot[r], cannot[other]...)
			delete(cannot, other)
		}
		accepted = append(accepted, l)
		n := int32(len(accepted))
		if joinedBy[l.a] == 0 {
			joinedBy[l.a] = n
		}
		if joinedBy[l.b] == 0 {
			joinedBy[l.b] = n
		}
		if l.method == "score" {
			st.ScoredLinks++
		}
	}
	// Cluster ids: an earlier run's id where the cluster holds its records (the id
	// most of them had; ties to the smallest), else a hash of the smallest record id.
	members := map[int32][]int32{}
	for i := range recs {
		r := uf.find(int32(i))
		members[r] = append(members[r], int32(i))
	}
	roots := make([]int32, 0, len(members))
	for r := range members {
		roots = append(roots, r)
	}
	// Larger clusters claim earlier ids first; then by smallest record id.
	minID := func(r int32) string { return recs[members[r][0]].ID }
	for _, ms := range members {
		slices.SortFunc(ms, func(x, y int32) int { return strings.Compare(recs[x].ID, recs[y].ID) })
	}
	sort.Slice(roots, func(i, j int) bool {
		if len(members[roots[i]]) != len(members[roots[j]]) {
			return len(members[roots[i]]) > len(members[roots[j]])
		}
		return minID(roots[i]) < minID(roots[j])
	})
	taken := map[string]bool{}
	clusterID := make(map[int32]string, len(roots))
	for _, r := range roots {
		votes := map[string]int{}
		for _, m := range members[r] {
			if id := opts.Previous[recs[m].ID]; id != "" && !taken[id] {
				votes[id]++
			}
		}
		best, bv := "", 0
		for id, v := range votes {
			if v > bv || (v == bv && id < best) {
				best, bv = id, v
			}
		}
		if best != "" {
			st.KeptIDs++
		} else {
			best = newClusterID(minID(r))
			for taken[best] {
				best = newClusterID(best)
			}
		}
		taken[best] = true
		clusterID[r] = best
	}
	st.Clusters = len(roots)
	// Explanations depend on the pattern and the places of the name only: a
	// million linked records share a few thousand of them.
	type why struct {
		pat    pattern
		places int32
	}
	explained := map[why]string{}
	explain := func(l *link) string {
		k := why{l.pat, l.places}
		e, ok := explained[k]
		if !ok {
			e = sc.explain(l.pat, l.nameW, l.places)
			explained[k] = e
		}
		return e
	}
	res.Members = make([]cipmap.ClusterMember, 0, len(recs))
	for _, r := range roots {
		for _, m := range members[r] {
			cm := cipmap.ClusterMember{EntityID: recs[m].ID, ClusterID: clusterID[r], Method: "single", Probability: 1,
				Source: recs[m].Dataset}
			if prev, ok := opts.Members[recs[m].ID]; ok && opts.Incremental && (joinedBy[m] == 0 || prev.Method != "single") {
				// An earlier cluster's record keeps its row (and its link),
				// unless it stood alone and a new record has joined it.
				prev.ClusterID = clusterID[r]
				res.Members = append(res.Members, prev)
				continue
			}
			if n := joinedBy[m]; n > 0 {
				l := accepted[n-1]
				other := l.a
				if other == m {
					other = l.b
				}
				cm.LinkedTo, cm.Probability, cm.Method = recs[other].ID, l.p, l.method
				cm.Explanation = l.why
				if l.method == "score" {
					cm.Explanation = explain(&l)
				}
			}
			res.Members = append(res.Members, cm)
		}
	}
	slices.SortFunc(res.Members, func(x, y cipmap.ClusterMember) int {
		if c := strings.Compare(x.ClusterID, y.ClusterID); c != 0 {
			return c
		}
		return strings.Compare(x.EntityID, y.EntityID)
	})
	// The review queue: uncertain pairs left in different clusters, not judged.
	slices.SortFunc(review, func(x, y link) int { return cmp.Compare(y.p, x.p) })
	for _, l := range review {
		if uf.find(l.a) == uf.find(l.b) || diff[orderPair(l.a, l.b)] || same[orderPair(l.a, l.b)] {
			continue
		}
		if len(res.Review) == opts.MaxReview {
			break
		}
		left, right := recs[l.a].ID, recs[l.b].ID
		if left > right {
			left, right = right, left
		}
		res.Review = append(res.Review, Pair{Left: left, Right: right, Probability: l.p, Weight: l.w, Explanation: explain(&l)})
	}
	stage("cluster", t)
	res.Stats = st
	return res, nil
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

func orderPair(a, b int32) [2]int32 {
	if a > b {
		a, b = b, a
	}
	return [2]int32{a, b}
}

// conflicts reports whether any of the records in others is in the set rooted at
// root.
func conflicts(uf *unionFind, others []int32, root int32) bool {
	for _, o := range others {
		if uf.find(o) == root {
			return true
		}
	}
	return false
}

// newClusterID derives a cluster id from a record id: "firm-" and 16 hex digits.
func newClusterID(seed string) string {
	h := sha1.Sum([]byte(seed))
	return "firm-" + hex.EncodeToString(h[:8])
}

// identifierLinks links records that share a valid identifier: credit code, LEI,
// organisation code (also read from characters 9-17 of a credit code) or stock code.
func identifierLinks(recs []Record, preps []prep) []link {
	first := map[string]int32{}
	seen := map[[2]int32]bool{} // one link a pair, by its strongest identifier
	var out []link
	for i := range recs {
		for _, k := range recs[i].idKeys() {
			j, ok := first[k]
			if !ok {
				first[k] = int32(i)
				continue
			}
			if seen[[2]int32{j, int32(i)}] {
				continue
			}
			seen[[2]int32{j, int32(i)}] = true
			out = append(out, link{a: j, b: int32(i), p: 1, w: 100, method: "identifier",
				why: "the same " + idKind(k) + " " + k[strings.IndexByte(k, ':')+1:]})
		}
	}
	return out
}

func idKind(k string) string {
	switch k[:strings.IndexByte(k, ':')] {
	case "uscc":
		return "unified social credit code"
	case "org":
		return "organisation code"
	case "lei":
		return "LEI"
	case "stock":
		return "stock code"
	}
	return "identifier"
}

// comparePairs computes the pattern of every pair, in parallel.
func comparePairs(preps []prep, pairs []uint64, workers int) []pattern {
	pats := make([]pattern, len(pairs))
	inParallel(len(pairs), workers, func(_, lo, hi int) {
		var scratch []bool
		for i := lo; i < hi; i++ {
			pats[i], scratch = compare(&preps[int32(pairs[i]>>32)], &preps[int32(pairs[i])], scratch)
		}
	})
	return pats
}

// inParallel splits [0, n) into one range for each of workers goroutines and runs
// fn on each (w numbers the range), returning when all are done.
func inParallel(n, workers int, fn func(w, lo, hi int)) {
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, n)
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			fn(w, lo, hi)
		}()
	}
	wg.Wait()
}

// candidatePairs proposes the pairs to compare: records sharing a blocking key,
// all pairs in a block of at most maxBlock records and, in a larger block, each
// record with its window neighbours in name order. Pairs are i<<32 | j with i < j,
// sorted and distinct.
//
// Blocks are found by sorting (key hash, record) entries rather than in a map of
// key strings: at a million records that is 100 MB instead of over a gigabyte. Two
// keys with the same 64-bit hash would share a block, which costs a few more
// comparisons and decides nothing.
//
// With only (an incremental run), blocks are those of the keys of the records it
// marks, and pairs are those with at least one of them.
func candidatePairs(preps []prep, maxBlock, window, workers int, only []bool) (pairs []uint64, blocks, large int) {
	type entry struct {
		h uint64
		i int32
	}
	var want map[uint64]bool
	if only != nil {
		want = map[uint64]bool{}
		for i := range preps {
			if only[i] {
				for _, k := range blockKeys(preps[i].names, preps[i].province) {
					want[keyHash(k)] = true
				}
			}
		}
	}
	parts := make([][]entry, workers)
	inParallel(len(preps), workers, func(w, lo, hi int) {
		var es []entry
		for i := lo; i < hi; i++ {
			for _, k := range blockKeys(preps[i].names, preps[i].province) {
				h := keyHash(k)
				if want != nil && !want[h] {
					continue
				}
				es = append(es, entry{h, int32(i)})
			}
		}
		slices.SortFunc(es, func(a, b entry) int {
			if c := cmp.Compare(a.h, b.h); c != 0 {
				return c
			}
			return cmp.Compare(a.i, b.i)
		})
		parts[w] = es
	})
	// Merge the sorted parts, two at a time.
	for len(parts) > 1 {
		var next [][]entry
		for k := 0; k < len(parts); k += 2 {
			if k+1 == len(parts) {
				next = append(next, parts[k])
				continue
			}
			a, b := parts[k], parts[k+1]
			m := make([]entry, 0, len(a)+len(b))
			for len(a) > 0 && len(b) > 0 {
				if b[0].h < a[0].h || b[0].h == a[0].h && b[0].i < a[0].i {
					m, b = append(m, b[0]), b[1:]
				} else {
					m, a = append(m, a[0]), a[1:]
				}
			}
			next = append(next, append(append(m, a...), b...))
		}
		parts = next
	}
	var es []entry
	if len(parts) == 1 {
		es = parts[0]
	}
	parts = nil
	ms := make([]int32, 0, 64)
	for lo := 0; lo < len(es); {
		hi := lo + 1
		for hi < len(es) && es[hi].h == es[lo].h {
			hi++
		}
		ms = ms[:0]
		for _, e := range es[lo:hi] {
			if n := len(ms); n == 0 || ms[n-1] != e.i {
				ms = append(ms, e.i)
			}
		}
		lo = hi
		if len(ms) < 2 {
			continue
		}
		blocks++
		if len(ms) <= maxBlock {
			for x := 0; x < len(ms); x++ {
				for y := x + 1; y < len(ms); y++ {
					pairs = append(pairs, pairKey(ms[x], ms[y]))
				}
			}
			continue
		}
		large++
		for _, order := range [...]func(a, b *prep) int{byPlace, byName} {
			slices.SortStableFunc(ms, func(a, b int32) int { return order(&preps[a], &preps[b]) })
			for x := 0; x < len(ms); x++ {
				for y := x + 1; y < len(ms) && y <= x+window; y++ {
					pairs = append(pairs, pairKey(ms[x], ms[y]))
				}
			}
		}
	}
	es = nil
	slices.Sort(pairs)
	return slices.Compact(pairs), blocks, large
}

// keyHash is the 64-bit FNV-1a hash of a blocking key: the same in every run.
func keyHash(k string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(k); i++ {
		h ^= uint64(k[i])
		h *= 1099511628211
	}
	return h
}

func pairKey(a, b int32) uint64 {
	if a > b {
		a, b = b, a
	}
	return uint64(a)<<32 | uint64(uint32(b))
}

// minSessionPairs is the fewest pairs an EM session runs on; with fewer, the
// comparisons keep their starting m.
const minSessionPairs = 100

// minLabelledPairs is the fewest pairs sharing an identifier that m is estimated
// from; with fewer, m comes from EM. maxLabelledPairs bounds the pairs compared.
const (
	minLabelledPairs = 1000
	maxLabelledPairs = 500_000
)

// estimate fits the model as Splink does: u from random pairs; m by EM in two
// sessions, one on the candidate pairs whose names agree (name held fixed: it
// estimates m of the other comparisons) and one on pairs of records founded on the
// same date or, where dates are scarce, with the same legal representative in the
// same province (those comparisons held fixed: it estimates m of the name); Lambda,
// the chance that two random records match, from the first session's expected
// matches, scaled up by the share of matches whose names agree.
func estimate(preps []prep, pairs []uint64, pats []pattern, ids []link, opts Options) (*Model, error) {
	model := newModel()
	var scratch []bool
	cmpFn := func(i, j int32) pattern {
		var p pattern
		p, scratch = compare(&preps[i], &preps[j], scratch)
		return p
	}
	model.estimateU(opts.RandomPairs, len(preps), cmpFn, opts.Seed+1)

	// Session 1: names agree.
	nameAgree := map[pattern]int64{}
	var n1 int64
	for _, p := range pats {
		if l := p.level(cName); l >= 1 && l <= 3 {
			nameAgree[p]++
			n1++
		}
	}
	var lam1 float64
	// With enough pairs that share a valid identifier, m comes from them: they
	// are matches whatever their names say, so they show how matching records
	// differ. EM has no such anchor: on firm data its "match" class drifts to
	// whatever sets pairs apart most (both records from a registry, say) and it
	// can put most matches at "different names". Lambda is then fitted by EM on
	// the name-agreeing pairs with m and u held.
	labelled := map[pattern]int64{}
	var nl int64
	for _, l := range ids {
		if nl == maxLabelledPairs {
			break
		}
		labelled[cmpFn(l.a, l.b)]++
		nl++
	}
	if nl >= minLabelledPairs && n1 >= minSessionPairs {
		// Not region: records linked by a credit code both take their region
		// from it, so they always agree; region's m comes from EM below.
		model.mFromLabels(labelled, cRegion)
		model.Sessions = append(model.Sessions, Session{Rule: "pairs that share a valid identifier (m from labels, region excepted)",
			Pairs: int(nl), Lambda: 1, Converged: true})
		lam, it, conv := model.session(nameAgree, []int{cName}, []int{cFounded, cRep, cAddress}, 200)
		lam1 = lam
		model.Sessions = append(model.Sessions, Session{Rule: "the same name, name without region and legal form, or trade name (m of region)",
			Pairs: int(n1), Fixed: []string{"name"}, Lambda: lam, Iterations: it, Converged: conv})
	} else if n1 >= minSessionPairs {
		var it int
		var conv bool
		lam1, it, conv = model.session(nameAgree, []int{cName}, nil, 200)
		model.Sessions = append(model.Sessions, Session{Rule: "the same name, name without region and legal form, or trade name",
			Pairs: int(n1), Fixed: []string{"name"}, Lambda: lam1, Iterations: it, Converged: conv})
	}

	// Session 2: founded the same day, else the same legal representative and
	// province.
	rules := []struct {
		name  string
		key   func(p *prep) string
		fixed []int
	}{
		{"founded on the same date in the same province", func(p *prep) string {
			if len(p.founded) == 10 && p.province != "" {
				return p.founded + "\x00" + p.province
			}
			return ""
		}, []int{cFounded, cRegion}},
		{"the same legal representative in the same province", func(p *prep) string {
			if p.rep != "" && p.province != "" {
				return p.rep + "\x00" + p.province
			}
			return ""
		}, []int{cRep, cRegion}},
	}
	for _, r := range rules {
		if nl >= minLabelledPairs {
			break
		}
		byKey := map[string][]int32{}
		for i := range preps {
			if k := r.key(&preps[i]); k != "" {
				byKey[k] = append(byKey[k], int32(i))
			}
		}
		counts := map[pattern]int64{}
		var n int64
		for _, ms := range byKey {
			for x := 0; x < len(ms); x++ {
				for y := x + 1; y < len(ms) && y <= x+opts.Window; y++ {
					counts[cmpFn(ms[x], ms[y])]++
					n++
				}
			}
		}
		if n < minSessionPairs {
			continue
		}
		fixed := make([]string, len(r.fixed))
		for i, k := range r.fixed {
			fixed[i] = comparisons[k].Name
		}
		lam, it, conv := model.session(counts, r.fixed, nil, 200)
		model.Sessions = append(model.Sessions, Session{Rule: r.name, Pairs: int(n), Fixed: fixed, Lambda: lam, Iterations: it, Converged: conv})
		break
	}
	// Lambda over all pairs.
	agree := 0.0
	for l := 1; l <= 3; l++ {
		agree += model.M[cName][l]
	}
	total := float64(len(preps)) * float64(len(preps)-1) / 2
	if total > 0 && agree > 0 {
		model.Lambda = clamp(lam1 * float64(n1) / agree / total)
	}
	// Too few pairs to say: assume that one record in ten has a duplicate.
	if n := float64(len(preps)); n > 1 && model.Lambda < 0.1/(n-1) && n1 < minSessionPairs {
		model.Lambda = clamp(0.1 / (n - 1))
		model.Defaults = true
	}
	model.refineU(10)
	return model, nil
}
