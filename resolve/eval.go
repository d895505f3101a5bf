package resolve

import "sort"

// Scores compares a clustering with the truth: pairwise precision, recall and F1
// (over the pairs of records put in one cluster), and B-cubed precision, recall and
// F1 (per record, the overlap of its cluster and its true cluster, averaged).
type Scores struct {
	Records int `json:"records"` // records in both the clustering and the truth
	// Pairs: predicted pairs, true pairs and pairs that are both.
	PredictedPairs int64   `json:"predicted_pairs"`
	TruePairs      int64   `json:"true_pairs"`
	CorrectPairs   int64   `json:"correct_pairs"`
	Precision      float64 `json:"precision"`
	Recall         float64 `json:"recall"`
	F1             float64 `json:"f1"`
	BCubedP        float64 `json:"bcubed_precision"`
	BCubedR        float64 `json:"bcubed_recall"`
	BCubedF1       float64 `json:"bcubed_f1"`
	// Clusters and TrueClusters count the clusters over the scored records.
	Clusters     int `json:"clusters"`
	TrueClusters int `json:"true_clusters"`
}

// Evaluate scores predicted (record → cluster id) against truth (record → true
// entity id) over the records both name. Pair counts come from the contingency
// table, so no pair is enumerated: it takes linear time.
func Evaluate(predicted, truth map[string]string) Scores {
	type cell struct{ p, t string }
	joint := map[cell]int64{}
	pc := map[string]int64{}
	tc := map[string]int64{}
	var s Scores
	ids := make([]string, 0, len(truth))
	for id := range truth {
		if _, ok := predicted[id]; ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		p, t := predicted[id], truth[id]
		joint[cell{p, t}]++
		pc[p]++
		tc[t]++
	}
	s.Records = len(ids)
	s.Clusters, s.TrueClusters = len(pc), len(tc)
	pairs := func(n int64) int64 { return n * (n - 1) / 2 }
	for _, n := range pc {
		s.PredictedPairs += pairs(n)
	}
	for _, n := range tc {
		s.TruePairs += pairs(n)
	}
	var bp, br float64
	for c, n := range joint {
		s.CorrectPairs += pairs(n)
		// Each of the n records of this cell has n records in common between its
		// cluster and its true cluster.
		bp += float64(n) * float64(n) / float64(pc[c.p])
		br += float64(n) * float64(n) / float64(tc[c.t])
	}
	s.Precision = ratio(s.CorrectPairs, s.PredictedPairs)
	s.Recall = ratio(s.CorrectPairs, s.TruePairs)
	s.F1 = f1(s.Precision, s.Recall)
	if s.Records > 0 {
		s.BCubedP, s.BCubedR = bp/float64(s.Records), br/float64(s.Records)
		s.BCubedF1 = f1(s.BCubedP, s.BCubedR)
	}
	return s
}

// ratio is a/b, and 1 when b is 0 (no pairs predicted: no wrong ones).
func ratio(a, b int64) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func f1(p, r float64) float64 {
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
