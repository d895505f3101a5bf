package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// labelSystem is the id of the code system that a learned crosswalk gives the
// labels of a dataset's property: "labels:DATASET.PROPERTY".
func labelSystem(dataset, property string) string {
	return "labels:" + dataset + "." + property
}

var unsafeName = regexp.MustCompile(`[^a-z0-9._-]+`)

// tagsDataset names the dataset of tags of a dataset's property.
func tagsDataset(dataset, property string) string {
	return "tags." + dataset + "." + strings.Trim(unsafeName.ReplaceAllString(strings.ToLower(property), "-"), "-")
}

// tagDataset tags every value of a property of a stored dataset and stores the tags
// as a dataset of the tags fact table.
func (c *TagCommand) tagDataset(ctx context.Context, f readFlags, dataset, prop, system string) error {
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	src, err := st.Dataset(ctx, dataset)
	if err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	learned := ""
	if ls := labelSystem(dataset, prop); system == "" {
		if _, ok := reg.System(ls); ok {
			learned = ls
		}
	}
	tl, err := newTagLabeler(reg, system, learned)
	if err != nil {
		return err
	}
	var stmts []cipmap.Statement
	err = st.Statements(ctx, cipmap.StatementFilter{Dataset: dataset}, func(s *cipmap.Statement) error {
		if s.Property == prop {
			stmts = append(stmts, *s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(stmts) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has no statements of property %q", dataset, prop)
	}
	// Tag each distinct value once.
	index := map[string]int{}
	var values []string
	for _, s := range stmts {
		if _, ok := index[s.Value]; !ok {
			index[s.Value] = len(values)
			values = append(values, s.Value)
		}
	}
	results, err := tl.tagAll(values)
	if err != nil {
		return err
	}
	name := tagsDataset(dataset, prop)
	h := sha256.New()
	fmt.Fprintf(h, "tags v1\x00%s\x00%s\x00%s\x00%s\x00%s", src.Name, src.Version, prop, system, learned)
	if learned != "" {
		// The learned crosswalk's edges are part of what the tags depend on.
		for _, v := range values {
			if res, err := reg.Convert(learned, v, taxonomy.CTT); err == nil {
				for _, d := range res.Distribution {
					fmt.Fprintf(h, "\x00%s\x00%s\x00%g", v, d.Code, d.Weight)
				}
			}
		}
	}
	ds := &cipmap.Dataset{
		Name:    name,
		Title:   fmt.Sprintf("CTT tags of %s, property %s", dataset, prop),
		Version: hex.EncodeToString(h.Sum(nil))[:16],
		Source:  "cipmap tag --dataset " + dataset + " --column " + prop,
		Licence: src.Licence,
	}
	methods := map[string]int{}
	var tagged int
	var facts []cipmap.TagFact
	for i := range stmts {
		s := &stmts[i]
		r := results[index[s.Value]]
		methods[r.Method]++
		if len(r.Tags) > 0 {
			tagged++
		}
		for _, t := range r.Tags {
			facts = append(facts, cipmap.TagFact{
				EntityID: s.EntityID, Property: prop, Value: s.Value, System: taxonomy.CTT, Tag: t.Tag,
				Weight: t.Weight, Method: r.Method, Evidence: evidence(s.Value, t.Evidence), Confidence: r.Confidence,
				StatementID: cipmap.StatementID(s.Dataset, s.EntityID, s.Property, s.Value),
				Source:      s.Dataset + " " + s.Source,
			})
		}
	}
	rows := len(facts)
	res, err := st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(len(stmts))
		for i := range facts {
			if err := w.Tag(&facts[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	state := loadState(res)
	var perText []tagger.Result
	for i := range stmts {
		perText = append(perText, results[index[stmts[i].Value]])
	}
	counts := tagger.Aggregate(perText, func(tag string) []string {
		var out []string
		for _, t := range tl.std.Path(tag) {
			out = append(out, t.ID)
		}
		return out
	})
	var ms []string
	for _, m := range []string{tagger.MethodRule, methodCode, methodLearned} {
		if methods[m] > 0 {
			ms = append(ms, fmt.Sprintf("%s %d", m, methods[m]))
		}
	}
	fmt.Fprintf(c.m.Stderr, "%s: %s; %d statements of %s.%s (%d distinct values), %d tagged (%.1f%%), %d tag rows; methods: %s\n",
		name, state, len(stmts), dataset, prop, len(values), tagged, 100*float64(tagged)/float64(len(stmts)), rows, strings.Join(ms, ", "))
	if f.format == "json" {
		return writeJSON(c.m.Stdout, map[string]any{"dataset": name, "state": state, "statements": len(stmts),
			"tagged": tagged, "tag_rows": rows, "methods": methods, "counts": counts})
	}
	cols := []string{"tag", "name", "count", "lower", "upper"}
	var out [][]string
	for i, cn := range counts {
		if i == 30 && f.format == "table" {
			break
		}
		out = append(out, []string{cn.Tag, tl.name(taxonomy.CTT, cn.Tag), strconv.FormatFloat(cn.Count, 'f', 2, 64),
			strconv.FormatFloat(cn.Lower, 'f', 0, 64), strconv.FormatFloat(cn.Upper, 'f', 0, 64)})
	}
	return writeRows(c.m.Stdout, f.format, cols, out)
}

// loadState says what Store.Load did: "loaded", or "unchanged" when the version was
// there already.
func loadState(res *cipmap.LoadResult) string {
	if res.Unchanged {
		return "unchanged"
	}
	return "loaded"
}
