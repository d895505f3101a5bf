package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

const learnHelp = `Usage: cipmap crosswalk learn --labels DATASET:PROPERTY --codes DATASET:PROPERTY --system SYSTEM [flags]

Learns what a coarse label means in technology tags from the firms that have both a
label in one dataset (an investment database's sector "新能源", "先进制造", "TMT") and
fine codes in another (patents' IPC codes, registry industries): P(tag | label) is
the mean, over the firms with the label, of each firm's CTT distribution (its codes
converted to CTT, each code counting equally). Firms are matched by the folded
value of --labels-key and --codes-key (a name, a credit code), or by entity id.

A share of the firms (--holdout) is kept out of the estimate; on them the learned
crosswalk's prediction is compared with the firm's own codes (agreement of the top
CTT domain and field, and the overlap of the distributions), next to the rule
tagger's reading of the label text as a baseline.

The result is stored as dataset learned.DATASET.PROPERTY: crosswalk edges from
system labels:DATASET.PROPERTY to ctt, weight type learned, with each label's
sample size. 'cipmap crosswalk --from labels:DATASET.PROPERTY --to ctt LABEL' and
'cipmap tag --dataset DATASET --column PROPERTY' (method learned) then use it.
用同时出现在粗标签数据集和细代码数据集中的企业估计 P(标签|粗标签)，存为 learned 对照表，并报告留出样本上的一致率。

Example:
  cipmap crosswalk learn --labels investments:sector --labels-key name \
      --codes patents:ipc --codes-key applicant --system ipc`

// learnFirm is one firm of the overlap.
type learnFirm struct {
	key     string
	labels  []string
	dist    map[string]float64 // its codes' CTT distribution, summing to 1
	holdout bool
}

func (c *CrosswalkCommand) learn(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("crosswalk learn", learnHelp)
	var f readFlags
	labels := fs.String("labels", "", "DATASET:PROPERTY holding the coarse labels")
	codes := fs.String("codes", "", "DATASET:PROPERTY holding the fine codes")
	system := fs.String("system", "", "the code system of --codes (ipc, gbt4754-2017, hs2022, ...)")
	labelsKey := fs.String("labels-key", "", "the property identifying a firm in the labels dataset (default: entity id)")
	codesKey := fs.String("codes-key", "", "the property identifying a firm in the codes dataset (default: entity id)")
	holdout := fs.Float64("holdout", 0.2, "the share of firms kept out to measure agreement")
	seed := fs.Int("seed", 1, "the seed of the holdout split")
	minFirms := fs.Int("min-firms", 3, "store labels with at least this many training firms")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	lds, lprop, ok1 := strings.Cut(*labels, ":")
	cds, cprop, ok2 := strings.Cut(*codes, ":")
	if !ok1 || !ok2 || lds == "" || lprop == "" || cds == "" || cprop == "" || *system == "" {
		fs.Usage()
		return errUsage
	}
	if *holdout < 0 || *holdout >= 1 {
		return cipmap.Errorf(cipmap.EINVALID, "--holdout %v: expected a share in [0, 1)", *holdout)
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	lset, err := st.Dataset(ctx, lds)
	if err != nil {
		return err
	}
	cset, err := st.Dataset(ctx, cds)
	if err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	if _, err := reg.Path(*system, taxonomy.CTT); err != nil {
		return err
	}
	byLabel, err := keyedValues(ctx, st, lds, lprop, *labelsKey)
	if err != nil {
		return err
	}
	byCodes, err := keyedValues(ctx, st, cds, cprop, *codesKey)
	if err != nil {
		return err
	}
	// The firms in both, in key order.
	var keys []string
	var allCodes []string
	for k := range byLabel {
		if cs, ok := byCodes[k]; ok {
			keys = append(keys, k)
			allCodes = append(allCodes, cs...)
		}
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no firm is in both %s (key %s) and %s (key %s)", lds, keyName(*labelsKey), cds, keyName(*codesKey))
	}
	results, err := reg.ConvertMany(*system, taxonomy.CTT, allCodes)
	if err != nil {
		return err
	}
	conv := map[string]*taxonomy.Result{}
	for i, code := range allCodes {
		conv[code] = results[i]
	}
	var firms []*learnFirm
	var invalid, unmapped int
	for _, k := range keys {
		fm := &learnFirm{key: k, labels: byLabel[k], dist: map[string]float64{}}
		var n float64
		for _, code := range byCodes[k] {
			res := conv[code]
			if res.Err != nil {
				invalid++
				continue
			}
			if res.Unmapped >= 1 {
				unmapped++
				continue
			}
			for _, t := range res.Distribution {
				fm.dist[t.Code] += t.Weight / (1 - res.Unmapped)
			}
			n++
		}
		if n == 0 {
			continue
		}
		for t := range fm.dist {
			fm.dist[t] /= n
		}
		h := fnv.New64a()
		fmt.Fprintf(h, "%d\x00%s", *seed, k)
		fm.holdout = float64(h.Sum64()%1_000_000)/1_000_000 < *holdout
		firms = append(firms, fm)
	}
	if len(firms) == 0 {
		return cipmap.Errorf(cipmap.EINVALID, "none of the %d firms in both datasets has a code that converts from %s to ctt (%d invalid codes, %d unmapped)", len(keys), *system, invalid, unmapped)
	}

	// Estimate on the training firms.
	type estimate struct {
		n    int
		dist map[string]float64
	}
	est := map[string]*estimate{}
	for _, fm := range firms {
		if fm.holdout {
			continue
		}
		for _, l := range fm.labels {
			e := est[l]
			if e == nil {
				e = &estimate{dist: map[string]float64{}}
				est[l] = e
			}
			e.n++
			for t, w := range fm.dist {
				e.dist[t] += w
			}
		}
	}
	var learnedLabels []string
	for l, e := range est {
		for t := range e.dist {
			e.dist[t] /= float64(e.n)
		}
		if e.n >= *minFirms {
			learnedLabels = append(learnedLabels, l)
		}
	}
	sort.Strings(learnedLabels)
	if len(learnedLabels) == 0 {
		return cipmap.Errorf(cipmap.EINVALID, "no label has %d training firms (--min-firms); %d firms in both datasets", *minFirms, len(firms))
	}

	// Agreement on the held-out firms: learned and the rule baseline.
	tl, err := newTagLabeler(reg, "", "")
	if err != nil {
		return err
	}
	level := func(tag string, n int) string {
		p := tl.std.Path(tag)
		if len(p) < n {
			return ""
		}
		return p[n-1].ID
	}
	top := func(d map[string]float64, n int) string {
		up := map[string]float64{}
		for t, w := range d {
			if a := level(t, n); a != "" {
				up[a] += w
			}
		}
		best, bw := "", 0.0
		for t, w := range up {
			if w > bw || (w == bw && t < best) {
				best, bw = t, w
			}
		}
		return best
	}
	overlap := func(a, b map[string]float64) float64 {
		s := 0.0
		for t, w := range a {
			s += min(w, b[t])
		}
		return s
	}
	type score struct{ n, domain, field int }
	var learnedScore, ruleScore score
	var learnedOverlap float64
	held := 0
	for _, fm := range firms {
		if !fm.holdout {
			continue
		}
		held++
		pred := map[string]float64{}
		rule := map[string]float64{}
		var k float64
		for _, l := range fm.labels {
			for _, tw := range tl.tg.Tag(l).Tags {
				rule[tw.Tag] += tw.Weight / float64(len(fm.labels))
			}
			e := est[l]
			if e == nil || e.n < *minFirms {
				continue
			}
			k++
			for t, w := range e.dist {
				pred[t] += w
			}
		}
		for _, sc := range []struct {
			s *score
			d map[string]float64
		}{{&learnedScore, pred}, {&ruleScore, rule}} {
			sc.s.n++
			if d := top(fm.dist, 1); d != "" && top(sc.d, 1) == d {
				sc.s.domain++
			}
			if fd := top(fm.dist, 2); fd != "" && top(sc.d, 2) == fd {
				sc.s.field++
			}
		}
		if k > 0 {
			for t := range pred {
				pred[t] /= k
			}
			learnedOverlap += overlap(pred, fm.dist)
		}
	}

	// Store the learned crosswalk.
	from := labelSystem(lds, lprop)
	name := "learned." + lds + "." + strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(lprop), "-"), "-")
	h := sha256.New()
	fmt.Fprintf(h, "learn v1\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%v\x00%d\x00%d", lset.Version, cset.Version, lprop, cprop,
		*system, *labelsKey, *codesKey, *holdout, *seed, *minFirms)
	ds := &cipmap.Dataset{
		Name:    name,
		Title:   fmt.Sprintf("P(CTT tag | %s.%s) learned from firms with %s codes in %s", lds, lprop, *system, cds),
		Version: hex.EncodeToString(h.Sum(nil))[:16],
		Source:  fmt.Sprintf("cipmap crosswalk learn --labels %s --codes %s --system %s", *labels, *codes, *system),
		Licence: "derived from " + lds + " and " + cds,
	}
	src := fmt.Sprintf("learned from the firms in both %s and %s", lds, cds)
	res, err := st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(len(firms))
		for _, l := range learnedLabels {
			e := est[l]
			tags := make([]string, 0, len(e.dist))
			for t := range e.dist {
				tags = append(tags, t)
			}
			sort.Strings(tags)
			for _, t := range tags {
				err := w.CrosswalkEdge(&cipmap.CrosswalkEdge{FromSystem: from, From: l, ToSystem: taxonomy.CTT, To: t,
					Weight: e.dist[t], WeightType: cipmap.WeightLearned, SampleSize: e.n, Source: src})
				if err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	state := loadState(res)
	share := func(k, n int) string {
		if n == 0 {
			return "-"
		}
		return strconv.FormatFloat(float64(k)/float64(n), 'f', 3, 64)
	}
	meanOverlap := "-"
	if held > 0 {
		meanOverlap = strconv.FormatFloat(learnedOverlap/float64(held), 'f', 3, 64)
	}
	fmt.Fprintf(c.m.Stderr, "%s: %s; %d firms in both (%d train, %d held out), %d labels learned (≥ %d firms), %d invalid and %d unmapped codes\n"+
		"held-out agreement, learned vs rule tagger on the label text: domain %s vs %s, field %s vs %s; mean overlap of distributions %s\n",
		name, state, len(firms), len(firms)-held, held, len(learnedLabels), *minFirms, invalid, unmapped,
		share(learnedScore.domain, learnedScore.n), share(ruleScore.domain, ruleScore.n),
		share(learnedScore.field, learnedScore.n), share(ruleScore.field, ruleScore.n), meanOverlap)
	if f.format == "json" {
		type jl struct {
			Label string             `json:"label"`
			Firms int                `json:"firms"`
			Tags  map[string]float64 `json:"tags"`
		}
		var ls []jl
		for _, l := range learnedLabels {
			ls = append(ls, jl{l, est[l].n, est[l].dist})
		}
		return writeJSON(c.m.Stdout, map[string]any{
			"dataset": name, "state": state, "system": from, "firms": len(firms), "held_out": held,
			"agreement": map[string]any{
				"learned": map[string]any{"firms": learnedScore.n, "domain": learnedScore.domain, "field": learnedScore.field},
				"rule":    map[string]any{"firms": ruleScore.n, "domain": ruleScore.domain, "field": ruleScore.field},
			},
			"labels": ls,
		})
	}
	var rows [][]string
	for _, l := range learnedLabels {
		e := est[l]
		var tw []tagger.Weighted
		for t, w := range e.dist {
			tw = append(tw, tagger.Weighted{Tag: t, Weight: w})
		}
		sort.Slice(tw, func(i, j int) bool {
			if tw[i].Weight != tw[j].Weight {
				return tw[i].Weight > tw[j].Weight
			}
			return tw[i].Tag < tw[j].Tag
		})
		var parts []string
		for i, t := range tw {
			if i == 4 {
				break
			}
			parts = append(parts, t.Tag+" "+fmtWeight(t.Weight))
		}
		rows = append(rows, []string{l, strconv.Itoa(e.n), strings.Join(parts, "; ")})
	}
	return writeRows(c.m.Stdout, f.format, []string{"label", "firms", "top tags"}, rows)
}

func keyName(k string) string {
	if k == "" {
		return "entity id"
	}
	return k
}

// keyedValues reads the values of prop in a dataset, grouped by firm key: the folded
// value of keyProp of the same entity, or the entity id.
func keyedValues(ctx context.Context, st cipmap.Store, dataset, prop, keyProp string) (map[string][]string, error) {
	vals := map[string][]string{} // entity → values
	keys := map[string][]string{} // entity → keys
	found := false
	err := st.Statements(ctx, cipmap.StatementFilter{Dataset: dataset}, func(s *cipmap.Statement) error {
		switch {
		case s.Property == prop:
			found = true
			vals[s.EntityID] = appendNew(vals[s.EntityID], strings.TrimSpace(s.Value))
		case keyProp != "" && s.Property == keyProp:
			if k := parse.Fold(s.Value); k != "" {
				keys[s.EntityID] = appendNew(keys[s.EntityID], k)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has no statements of property %q", dataset, prop)
	}
	out := map[string][]string{}
	for e, vs := range vals {
		ks := []string{e}
		if keyProp != "" {
			ks = keys[e]
		}
		for _, k := range ks {
			for _, v := range vs {
				if v != "" {
					out[k] = appendNew(out[k], v)
				}
			}
		}
	}
	return out, nil
}

func appendNew(xs []string, x string) []string {
	for _, y := range xs {
		if y == x {
			return xs
		}
	}
	return append(xs, x)
}
