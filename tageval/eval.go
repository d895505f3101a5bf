package tageval

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strconv"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// DefaultMinWeight is the share of a text's tag weight that a code needs to count
// as predicted, besides the code with the largest weight (see the package
// documentation).
const DefaultMinWeight = 0.2

// None stands for "no code" in the confusion table: a negative case's expected
// domain, or the prediction of a case that got no code.
const None = "none"

// Options configure Evaluate.
type Options struct {
	// System is the code system scored; "sei2018" if empty. Expected codes of other
	// systems are converted to it, and so are the predicted CTT tags.
	System string
	// MinWeight is the weight a code needs to count as predicted besides the top
	// code; DefaultMinWeight if 0.
	MinWeight float64
	// Workers tag the texts in parallel; GOMAXPROCS if 0.
	Workers int
}

// Report is the result of an evaluation.
type Report struct {
	System    string  `json:"system"`
	MinWeight float64 `json:"min_weight"`
	Summary
	// Groups scores each group of cases (the group column) on its own, in the order
	// the groups first appear; empty when no case has a group.
	Groups []GroupSummary `json:"groups,omitempty"`
	// Domains lists the level-1 codes of the system with their names, in code order.
	Domains []cipmap.Code `json:"domains"`
	// Confusion counts cases by expected domain (rows) and predicted top domain
	// (columns); None for no domain. See the package documentation.
	Confusion []ConfusionCell `json:"confusion"`
	// Worst are the off-diagonal cells of Confusion between two domains (not None),
	// most cases first.
	Worst []ConfusionCell `json:"worst"`
	// Results are the cases with what was expected and predicted, in the order
	// given.
	Results []CaseResult `json:"results"`
}

// Summary holds the figures of a set of cases.
type Summary struct {
	Cases    int `json:"cases"`
	Positive int `json:"positive"` // cases that expect a code
	Negative int `json:"negative"` // cases that expect none
	// Levels holds precision, recall and F1 at each level of the system.
	Levels []LevelScore `json:"levels"`
	// DomainAccuracy is the share of the positive cases whose top predicted domain
	// is one of their expected domains.
	DomainAccuracy Share `json:"domain_accuracy"`
	// NegativeAccuracy is the share of the negative cases that got no code.
	NegativeAccuracy Share `json:"negative_accuracy"`
	// Coverage is the share of cases that got any CTT tag.
	Coverage Share `json:"coverage"`
}

// GroupSummary is the Summary of the cases of one group.
type GroupSummary struct {
	Group string `json:"group"`
	Summary
}

// LevelScore is the set-based, micro-averaged score at one level of the system.
type LevelScore struct {
	Level int    `json:"level"`
	Name  string `json:"name"` // "domain", "category", ...
	// Cases are the cases scored at this level: the negative ones and those with an
	// expected code at this level or below.
	Cases int `json:"cases"`
	TP    int `json:"tp"`
	FP    int `json:"fp"`
	FN    int `json:"fn"`
	// Precision is NaN (null in JSON) when nothing was predicted at this level, and
	// Recall when nothing was expected.
	Precision Share `json:"precision"`
	Recall    Share `json:"recall"`
	F1        Share `json:"f1"`
}

// ConfusionCell is one cell of the confusion table.
type ConfusionCell struct {
	Expected  string `json:"expected"`  // a domain code or None
	Predicted string `json:"predicted"` // a domain code or None
	Cases     int    `json:"cases"`
}

// CaseResult is one case as evaluated.
type CaseResult struct {
	Case
	// Want are the codes of the scored system the case expects: its expected codes,
	// converted where they are of another system.
	Want []string `json:"want"`
	// Tags are the CTT tags the text got, with their evidence.
	Tags []tagger.Weighted `json:"tags"`
	// Predicted are the codes of the scored system the tags convert to, largest
	// weight first; Unmapped is the tag weight that reached no code.
	Predicted []Prediction `json:"predicted"`
	Unmapped  float64      `json:"unmapped"`
	// Levels holds, for each level of the system, the expected and predicted codes
	// there, each sorted.
	Levels []CaseLevel `json:"levels"`
	// WantDomain is the case's row in the confusion table and TopDomain its column;
	// Correct says whether TopDomain is one of the expected domains (false for a
	// negative case).
	WantDomain string `json:"want_domain"`
	TopDomain  string `json:"top_domain"`
	Correct    bool   `json:"correct"`
}

// Prediction is a code of the scored system with its weight.
type Prediction struct {
	Code   string  `json:"code"`
	Weight float64 `json:"weight"`
}

// CaseLevel is what a case expects and gets at one level.
type CaseLevel struct {
	Level     int      `json:"level"`
	Scored    bool     `json:"scored"` // false when the case expects codes, none at this level
	Expected  []string `json:"expected"`
	Predicted []string `json:"predicted"`
}

// Evaluate tags the text of each case with tg and scores the tags against the
// expected codes in the system of opts (SEI 2018 by default), converting with reg;
// see the package documentation for the rules. An expected code that does not
// convert, or a system without levels, is an error.
func Evaluate(cases []Case, tg *tagger.Tagger, reg *taxonomy.Registry, opts Options) (*Report, error) {
	if opts.System == "" {
		opts.System = taxonomy.SEI2018
	}
	if opts.MinWeight == 0 {
		opts.MinWeight = DefaultMinWeight
	}
	if opts.MinWeight < 0 || opts.MinWeight > 1 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "minimum weight %g: expected a share between 0 and 1", opts.MinWeight)
	}
	info, ok := reg.System(opts.System)
	if !ok {
		_, err := reg.Codes(opts.System) // the registry's error, naming the systems
		return nil, err
	}
	e := &evaluator{reg: reg, sys: opts.System, minW: opts.MinWeight, codes: map[string]cipmap.Code{},
		conv: map[Code]*taxonomy.Result{}}
	roots, err := reg.Children(opts.System, "")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(roots, func(a, b cipmap.Code) int { return compareCodes(a.Code, b.Code) })
	rep := &Report{System: opts.System, MinWeight: opts.MinWeight, Domains: roots}
	levels := info.Levels
	if len(levels) == 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "code system %s names no levels to score", opts.System)
	}

	texts := make([]string, len(cases))
	for i, c := range cases {
		texts[i] = c.Text
	}
	tagged := tg.TagMany(texts, opts.Workers)
	rep.Results = make([]CaseResult, len(cases))
	for i, c := range cases {
		r := CaseResult{Case: c, Tags: tagged[i].Tags}
		if r.Want, err = e.want(c); err != nil {
			return nil, err
		}
		if r.Predicted, r.Unmapped, err = e.predict(r.Tags); err != nil {
			return nil, err
		}
		for l := 1; l <= len(levels); l++ {
			r.Levels = append(r.Levels, e.level(r.Want, r.Predicted, l))
		}
		e.domains(&r)
		rep.Results[i] = r
	}
	if e.err != nil {
		return nil, e.err
	}

	rep.Summary = summarise(rep.Results, levels)
	var groups []string
	for _, r := range rep.Results {
		if r.Group != "" && !slices.Contains(groups, r.Group) {
			groups = append(groups, r.Group)
		}
	}
	for _, g := range groups {
		var in []CaseResult
		for _, r := range rep.Results {
			if r.Group == g {
				in = append(in, r)
			}
		}
		rep.Groups = append(rep.Groups, GroupSummary{Group: g, Summary: summarise(in, levels)})
	}
	rep.Confusion, rep.Worst = confusion(rep.Results, roots)
	return rep, nil
}

// evaluator holds the caches of one evaluation.
type evaluator struct {
	reg   *taxonomy.Registry
	sys   string
	minW  float64
	codes map[string]cipmap.Code    // code of sys → its entry
	conv  map[Code]*taxonomy.Result // code → its conversion to sys
	err   error                     // the first lookup that failed
}

// lookup returns a code of the scored system from the registry, once.
func (e *evaluator) lookup(code string) (cipmap.Code, error) {
	if c, ok := e.codes[code]; ok {
		return c, nil
	}
	c, err := e.reg.Lookup(e.sys, code)
	if err != nil {
		return c, err
	}
	e.codes[code] = c
	return c, nil
}

// at returns the ancestor-or-self of code at level l, or "" when code is above l or
// its chain skips l (SEI's d.0.n sit under their domain directly). The codes come
// from the registry, so a failed lookup is a bug; it is kept for Evaluate to return.
func (e *evaluator) at(code string, l int) string {
	c, err := e.lookup(code)
	for err == nil && c.Level > l && c.Parent != "" {
		c, err = e.lookup(c.Parent)
	}
	if err != nil {
		if e.err == nil {
			e.err = cipmap.WrapError(cipmap.EINTERNAL, err, "the ancestors of %s code %s", e.sys, code)
		}
		return ""
	}
	if c.Level != l {
		return ""
	}
	return c.Code
}

// convert converts a code to the scored system, once.
func (e *evaluator) convert(c Code) (*taxonomy.Result, error) {
	if r, ok := e.conv[c]; ok {
		return r, nil
	}
	r, err := e.reg.Convert(c.System, c.Code, e.sys)
	if err != nil {
		return nil, err
	}
	e.conv[c] = r
	return r, nil
}

// want returns the codes of the scored system a case expects: its codes of that
// system, and every code that its codes of other systems convert to.
func (e *evaluator) want(c Case) ([]string, error) {
	var out []string
	for _, x := range c.Expected {
		if x.System == e.sys {
			out = append(out, x.Code)
			continue
		}
		res, err := e.convert(x)
		if err != nil {
			return nil, cipmap.WrapError(cipmap.EINVALID, err, "case %s (line %d): expected %s", c.ID, c.Line, x)
		}
		for _, t := range res.Distribution {
			if t.Weight > 0 {
				out = append(out, t.Code)
			}
		}
	}
	slices.SortFunc(out, compareCodes)
	return slices.Compact(out), nil
}

// predict converts weighted CTT tags to weighted codes of the scored system: each
// tag's weight is spread over its conversion; what reaches no code is unmapped.
func (e *evaluator) predict(tags []tagger.Weighted) ([]Prediction, float64, error) {
	w := map[string]float64{}
	var unmapped float64
	for _, t := range tags {
		if e.sys == taxonomy.CTT {
			w[t.Tag] += t.Weight
			continue
		}
		res, err := e.convert(Code{System: taxonomy.CTT, Code: t.Tag})
		if err != nil {
			return nil, 0, err
		}
		unmapped += t.Weight * res.Unmapped
		for _, d := range res.Distribution {
			w[d.Code] += t.Weight * d.Weight
		}
	}
	return sorted(w), unmapped, nil
}

// sorted returns weighted codes, largest weight first, then in code order.
func sorted(w map[string]float64) []Prediction {
	out := make([]Prediction, 0, len(w))
	for c, x := range w {
		out = append(out, Prediction{Code: c, Weight: x})
	}
	slices.SortFunc(out, func(a, b Prediction) int {
		if a.Weight != b.Weight {
			return cmp.Compare(b.Weight, a.Weight)
		}
		return compareCodes(a.Code, b.Code)
	})
	return out
}

// level returns what a case expects and gets at level l: the codes cut to l, the
// predicted ones those whose summed weight is at least the minimum weight, and the
// code with the largest weight.
func (e *evaluator) level(want []string, pred []Prediction, l int) CaseLevel {
	cl := CaseLevel{Level: l, Expected: []string{}, Predicted: []string{}}
	for _, c := range want {
		if a := e.at(c, l); a != "" && !slices.Contains(cl.Expected, a) {
			cl.Expected = append(cl.Expected, a)
		}
	}
	slices.SortFunc(cl.Expected, compareCodes)
	cl.Scored = len(want) == 0 || len(cl.Expected) > 0
	w := map[string]float64{}
	for _, p := range pred {
		if a := e.at(p.Code, l); a != "" {
			w[a] += p.Weight
		}
	}
	for i, p := range sorted(w) {
		if i == 0 || p.Weight >= e.minW-1e-9 {
			cl.Predicted = append(cl.Predicted, p.Code)
		}
	}
	slices.SortFunc(cl.Predicted, compareCodes)
	return cl
}

// domains sets the case's top domain, its row in the confusion table and whether
// it is correct. The top domain is the level-1 code with the largest weight. The
// row is None for a negative case, the top domain when it is expected, and else
// the expected domain that most expected codes are in (the first in code order on
// a tie).
func (e *evaluator) domains(r *CaseResult) {
	r.TopDomain, r.WantDomain = None, None
	w := map[string]float64{}
	for _, p := range r.Predicted {
		if a := e.at(p.Code, 1); a != "" {
			w[a] += p.Weight
		}
	}
	if s := sorted(w); len(s) > 0 {
		r.TopDomain = s[0].Code
	}
	n := map[string]int{}
	for _, c := range r.Want {
		if a := e.at(c, 1); a != "" {
			n[a]++
		}
	}
	if len(n) == 0 {
		return
	}
	if n[r.TopDomain] > 0 {
		r.WantDomain, r.Correct = r.TopDomain, true
		return
	}
	best := -1
	for _, d := range slices.SortedFunc(maps.Keys(n), compareCodes) {
		if n[d] > best {
			r.WantDomain, best = d, n[d]
		}
	}
}

// summarise scores a set of evaluated cases.
func summarise(rs []CaseResult, levels []string) Summary {
	s := Summary{Cases: len(rs)}
	var correct, emptyNeg, covered int
	for _, r := range rs {
		if len(r.Tags) > 0 {
			covered++
		}
		if len(r.Want) == 0 {
			s.Negative++
			if len(r.Predicted) == 0 {
				emptyNeg++
			}
			continue
		}
		s.Positive++
		if r.Correct {
			correct++
		}
	}
	s.DomainAccuracy = ratio(correct, s.Positive)
	s.NegativeAccuracy = ratio(emptyNeg, s.Negative)
	s.Coverage = ratio(covered, s.Cases)
	for l, name := range levels {
		ls := LevelScore{Level: l + 1, Name: name}
		for _, r := range rs {
			cl := r.Levels[l]
			if !cl.Scored {
				continue
			}
			ls.Cases++
			for _, p := range cl.Predicted {
				if slices.Contains(cl.Expected, p) {
					ls.TP++
				} else {
					ls.FP++
				}
			}
			for _, x := range cl.Expected {
				if !slices.Contains(cl.Predicted, x) {
					ls.FN++
				}
			}
		}
		ls.Precision = ratio(ls.TP, ls.TP+ls.FP)
		ls.Recall = ratio(ls.TP, ls.TP+ls.FN)
		ls.F1 = ratio(2*ls.TP, 2*ls.TP+ls.FP+ls.FN)
		s.Levels = append(s.Levels, ls)
	}
	return s
}

// ratio is a/b, NaN when b is 0.
func ratio(a, b int) Share {
	if b == 0 {
		return Share(math.NaN())
	}
	return Share(float64(a) / float64(b))
}

// Share is a proportion, NaN where it is undefined (a precision with nothing
// predicted); JSON has it as null.
type Share float64

// MarshalJSON writes NaN as null.
func (s Share) MarshalJSON() ([]byte, error) {
	if math.IsNaN(float64(s)) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, float64(s), 'f', -1, 64), nil
}

// String has three decimals, and "-" for NaN.
func (s Share) String() string {
	if math.IsNaN(float64(s)) {
		return "-"
	}
	return fmt.Sprintf("%.3f", float64(s))
}

// confusion counts the cases by row and column and lists the worst off-diagonal
// cells between domains.
func confusion(rs []CaseResult, domains []cipmap.Code) (cells, worst []ConfusionCell) {
	n := map[[2]string]int{}
	for _, r := range rs {
		n[[2]string{r.WantDomain, r.TopDomain}]++
	}
	order := map[string]int{None: len(domains)}
	for i, d := range domains {
		order[d.Code] = i
	}
	for k, v := range n {
		cells = append(cells, ConfusionCell{Expected: k[0], Predicted: k[1], Cases: v})
	}
	sort.Slice(cells, func(i, j int) bool {
		a, b := cells[i], cells[j]
		if a.Expected != b.Expected {
			return order[a.Expected] < order[b.Expected]
		}
		return order[a.Predicted] < order[b.Predicted]
	})
	for _, c := range cells {
		if c.Expected != c.Predicted && c.Expected != None && c.Predicted != None {
			worst = append(worst, c)
		}
	}
	sort.SliceStable(worst, func(i, j int) bool { return worst[i].Cases > worst[j].Cases })
	return cells, worst
}

// compareCodes orders codes as people read them: "2" < "10", "1.2" < "1.10".
func compareCodes(a, b string) int {
	for a != "" && b != "" {
		na, ra := leadingNumber(a)
		nb, rb := leadingNumber(b)
		if na >= 0 && nb >= 0 {
			if na != nb {
				return cmp.Compare(na, nb)
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return cmp.Compare(a[0], b[0])
		}
		a, b = a[1:], b[1:]
	}
	return cmp.Compare(len(a), len(b))
}

// leadingNumber returns the decimal number at the start of s and the rest, or -1.
func leadingNumber(s string) (int, string) {
	i, n := 0, 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' && i < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	if i == 0 {
		return -1, s
	}
	return n, s[i:]
}
