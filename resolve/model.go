package resolve

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
)

// A comparison compares one aspect of two records and gives a level: 0 when either
// record lacks what is compared (null: the comparison says nothing), else 1 for the
// strongest agreement up to the last level, which is disagreement.
type comparison struct {
	Name   string   `json:"name"`
	Levels []string `json:"levels"` // names of levels 1..n
}

// comparisons are the comparisons of the model, in the order of a pattern's fields.
var comparisons = []comparison{
	{"name", []string{"same full name", "same name but region and legal form", "same trade name", "same sound (pinyin)", "one character apart", "similar", "somewhat similar", "different"}},
	{"region", []string{"same city", "same province", "different"}},
	{"founded", []string{"same date", "same year", "different"}},
	{"legal_rep", []string{"same", "different"}},
	{"address", []string{"similar", "somewhat similar", "different"}},
}

const (
	cName = iota
	cRegion
	cFounded
	cRep
	cAddress
	nComparisons
)

// pattern packs the levels of a pair's comparisons, 4 bits each.
type pattern uint32

func (p pattern) level(k int) int { return int(p>>(4*k)) & 15 }

func (p *pattern) set(k, level int) { *p |= pattern(level) << (4 * k) }

// Session is one EM training session: the pairs that a blocking rule chose, the
// comparisons it held fixed, and what EM found.
type Session struct {
	Rule       string   `json:"rule"`
	Pairs      int      `json:"pairs"`
	Fixed      []string `json:"fixed"`
	Lambda     float64  `json:"lambda"` // the share of matches among the pairs
	Iterations int      `json:"iterations"`
	Converged  bool     `json:"converged"`
}

// Model is a Fellegi-Sunter model: for each comparison and level, m (the share of
// matching pairs at that level) and u (of non-matching pairs), and Lambda, the prior
// probability that two records drawn at random match. A pair's match weight is
// log2(Lambda/(1-Lambda)) plus, for each non-null comparison, log2(m/u).
type Model struct {
	Lambda float64     `json:"lambda"`
	M      [][]float64 `json:"m"` // [comparison][level]; level 0 unused
	U      [][]float64 `json:"u"`
	// W is the weight of each level in bits: log2(m/u), made monotone so that a
	// level never weighs less than a weaker one (levels are ordered from the
	// strongest agreement to disagreement). EM can estimate a strong level below a
	// weaker one when the data hold few pairs at it; the order is known, so it is
	// imposed.
	W [][]float64 `json:"w"`
	// random holds the random pairs' patterns, for refineU.
	random map[pattern]int64
	// How they were estimated: u from RandomPairs random pairs; m by EM in
	// sessions, each on the pairs of one blocking rule (see Session).
	RandomPairs int `json:"random_pairs"`
	// Defaults is set when the data held too few pairs to estimate Lambda (and the
	// m of the comparisons no session estimated): Lambda then assumes that one
	// record in ten has a duplicate, and m keeps its starting values.
	Defaults bool      `json:"defaults,omitempty"`
	Sessions []Session `json:"sessions"`
}

func newModel() *Model {
	m := &Model{Lambda: 1e-6}
	// Starting values of m: agreement likely among matches.
	start := [][]float64{
		{0, 0.3, 0.3, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05},
		{0, 0.7, 0.2, 0.1},
		{0, 0.6, 0.2, 0.2},
		{0, 0.8, 0.2},
		{0, 0.6, 0.2, 0.2},
	}
	for k := range comparisons {
		m.M = append(m.M, append([]float64(nil), start[k]...))
		m.U = append(m.U, make([]float64, len(comparisons[k].Levels)+1))
	}
	return m
}

// estimateU sets u from n random pairs of records (nearly all of which are
// non-matches), with add-one smoothing so that no level has u = 0.
func (m *Model) estimateU(n int, nrec int, compare func(i, j int32) pattern, seed uint64) {
	counts := make([][]float64, nComparisons)
	for k := range counts {
		counts[k] = make([]float64, len(comparisons[k].Levels)+1)
	}
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	randomPats := map[pattern]int64{}
	done := 0
	for done < n && nrec > 1 {
		i, j := int32(rng.IntN(nrec)), int32(rng.IntN(nrec))
		if i == j {
			continue
		}
		p := compare(i, j)
		for k := 0; k < nComparisons; k++ {
			counts[k][p.level(k)]++
		}
		randomPats[p]++
		done++
	}
	m.RandomPairs = done
	m.random = randomPats
	for k := range counts {
		var tot float64
		for l := 1; l < len(counts[k]); l++ {
			tot += counts[k][l] + 1
		}
		for l := 1; l < len(counts[k]); l++ {
			m.U[k][l] = (counts[k][l] + 1) / tot
		}
	}
}

// refineU re-estimates u from the random pairs, each weighted by the chance that it
// is not a match under the current model. In a large dataset nearly every random
// pair is a non-match and this changes little; in a small one, random pairs hold
// enough matches (two records of the same firm often share a name) to make u of
// the strongest levels too high, and their weights too low.
func (m *Model) refineU(rounds int) {
	for r := 0; r < rounds; r++ {
		m.finish()
		num := make([][]float64, nComparisons)
		den := make([]float64, nComparisons)
		for k := range num {
			num[k] = make([]float64, len(m.U[k]))
		}
		for p, c := range m.random {
			w := float64(c) * (1 - m.probability(p))
			for k := 0; k < nComparisons; k++ {
				if l := p.level(k); l > 0 {
					num[k][l] += w
					den[k] += w
				}
			}
		}
		for k := range num {
			nl := float64(len(num[k]) - 1)
			for l := 1; l < len(num[k]); l++ {
				m.U[k][l] = (num[k][l] + 1) / (den[k] + nl)
			}
		}
	}
	m.finish()
}

// session runs EM, as Splink does, on the patterns of pairs that a blocking rule
// chose (with their counts): u stays as estimated from random pairs; m is
// estimated for the comparisons not in fixed (the comparisons the rule blocked on,
// which say nothing inside its blocks) nor in frozen (comparisons whose m is known,
// which count but are not re-estimated); lam is the share of matches among these
// pairs. It returns lam and the number of iterations, and whether EM converged.
func (m *Model) session(patterns map[pattern]int64, fixed, frozen []int, maxIter int) (lam float64, iters int, converged bool) {
	var total float64
	type pc struct {
		p pattern
		c float64
	}
	ps := make([]pc, 0, len(patterns))
	for p, c := range patterns {
		ps = append(ps, pc{p, float64(c)})
		total += float64(c)
	}
	if total == 0 {
		return 0, 0, false
	}
	isFixed := make([]bool, nComparisons)
	for _, k := range fixed {
		isFixed[k] = true
	}
	isFrozen := make([]bool, nComparisons)
	for _, k := range frozen {
		isFrozen[k] = true
	}
	lam = 0.1
	for it := 1; it <= maxIter; it++ {
		iters = it
		m.rawWeights()
		prior := math.Log2(lam / (1 - lam))
		num := make([][]float64, nComparisons)
		den := make([]float64, nComparisons)
		for k := range num {
			num[k] = make([]float64, len(m.M[k]))
		}
		var sum float64
		for _, x := range ps {
			w := prior
			for k := 0; k < nComparisons; k++ {
				if l := x.p.level(k); l > 0 && !isFixed[k] {
					w += m.W[k][l]
				}
			}
			prob := probOf(w) * x.c
			sum += prob
			for k := 0; k < nComparisons; k++ {
				if l := x.p.level(k); l > 0 {
					num[k][l] += prob
					den[k] += prob
				}
			}
		}
		change := math.Abs(sum/total - lam)
		lam = clamp(sum / total)
		for k := range num {
			if isFixed[k] || isFrozen[k] || den[k] == 0 {
				continue
			}
			// Add-half smoothing keeps a level never seen among the matches from a
			// weight of minus infinity.
			nl := float64(len(num[k]) - 1)
			for l := 1; l < len(num[k]); l++ {
				v := clamp((num[k][l] + 0.5) / (den[k] + 0.5*nl))
				change = math.Max(change, math.Abs(v-m.M[k][l]))
				m.M[k][l] = v
			}
		}
		if change < 1e-5 {
			converged = true
			break
		}
	}
	m.finish()
	return lam, iters, converged
}

// mFromLabels sets m of every comparison from the patterns of pairs known to match
// (with their counts): the share of those pairs at each level, among the pairs
// where the comparison has data, with add-half smoothing. It is Splink's
// estimate_m_from_label_column, the labels being pairs that share a valid
// identifier.
func (m *Model) mFromLabels(patterns map[pattern]int64, except ...int) {
	for k := 0; k < nComparisons; k++ {
		if slices.Contains(except, k) {
			continue
		}
		counts := make([]float64, len(m.M[k]))
		var n float64
		for p, c := range patterns {
			if l := p.level(k); l > 0 {
				counts[l] += float64(c)
				n += float64(c)
			}
		}
		if n == 0 {
			continue
		}
		nl := float64(len(counts) - 1)
		for l := 1; l < len(counts); l++ {
			m.M[k][l] = clamp((counts[l] + 0.5) / (n + 0.5*nl))
		}
	}
	m.finish()
}

func clamp(x float64) float64 { return math.Min(math.Max(x, 1e-9), 1-1e-9) }

// rawWeights sets W to log2(m/u) as estimated, for EM's expectation step.
func (m *Model) rawWeights() {
	m.W = make([][]float64, len(m.M))
	for k := range m.M {
		m.W[k] = make([]float64, len(m.M[k]))
		for l := 1; l < len(m.M[k]); l++ {
			m.W[k][l] = math.Log2(m.M[k][l] / m.U[k][l])
		}
	}
}

// finish computes W from M and U.
func (m *Model) finish() {
	m.W = make([][]float64, len(m.M))
	for k := range m.M {
		w := make([]float64, len(m.M[k]))
		for l := len(w) - 1; l >= 1; l-- {
			w[l] = math.Log2(m.M[k][l] / m.U[k][l])
			if l < len(w)-1 && w[l] < w[l+1] {
				w[l] = w[l+1]
			}
		}
		m.W[k] = w
	}
}

// weight is the match weight of a pattern, in bits.
func (m *Model) weight(p pattern) float64 {
	if m.W == nil {
		m.finish()
	}
	w := math.Log2(m.Lambda / (1 - m.Lambda))
	for k := 0; k < nComparisons; k++ {
		if l := p.level(k); l > 0 {
			w += m.W[k][l]
		}
	}
	return w
}

// probability is the posterior probability that a pair with this pattern matches.
func (m *Model) probability(p pattern) float64 {
	return probOf(m.weight(p))
}

func probOf(w float64) float64 {
	if w > 60 {
		return 1
	}
	x := math.Exp2(w)
	return x / (1 + x)
}

// explain says why a pair got its weight: each comparison with its level and its
// weight in bits, the prior, and the probability. nameW, if not nil, replaces the
// name's weight (a term-frequency adjustment, described by note).
func (m *Model) explain(p pattern, nameW *float64, note string) string {
	var b strings.Builder
	if m.W == nil {
		m.finish()
	}
	w := math.Log2(m.Lambda / (1 - m.Lambda))
	fmt.Fprintf(&b, "prior %+.2f", w)
	for k := 0; k < nComparisons; k++ {
		l := p.level(k)
		if l == 0 {
			fmt.Fprintf(&b, "; %s: no data", comparisons[k].Name)
			continue
		}
		d := m.W[k][l]
		extra := ""
		if k == cName && nameW != nil {
			d, extra = *nameW, note
		}
		w += d
		fmt.Fprintf(&b, "; %s: %s %+.2f%s", comparisons[k].Name, comparisons[k].Levels[l-1], d, extra)
	}
	fmt.Fprintf(&b, "; weight %.2f, probability %.4f", w, probOf(w))
	return b.String()
}
