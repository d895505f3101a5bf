package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
)

// testFactsLookup checks that Lookup in facts_by_id finds, for a few ids and for
// more than DuckDB reads by key, exactly the patents the ids applied for, the tags
// of patents and the tags of entities, as patent_facts, patent_tags and tags hold
// them, across two datasets, a new version and a delete.
func testFactsLookup(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	fill := func(n int) func(w cipmap.Writer) error {
		return func(w cipmap.Writer) error {
			for i := range n {
				firm := fmt.Sprint("firm-", i%3)
				if err := w.Patent(&cipmap.Patent{PatentID: fmt.Sprint("CN", i), ApplicantID: firm, Applicants: 1 + i%2,
					Year: 2015 + i, Source: fmt.Sprint("p.csv:", i+2)}); err != nil {
					return err
				}
				if i%2 == 0 { // a second applicant that is no entity
					if err := w.Patent(&cipmap.Patent{PatentID: fmt.Sprint("CN", i), ApplicantName: "某大学", Applicants: 2,
						Source: fmt.Sprint("p.csv:", i+2)}); err != nil {
						return err
					}
				}
				if err := w.Tag(&cipmap.TagFact{EntityID: firm, Property: "scope", Value: "集成电路设计", System: "ctt",
					Tag: fmt.Sprint("tag-", i%4), Weight: 0.5, Confidence: 1, Source: fmt.Sprint("p.csv:", i+2)}); err != nil {
					return err
				}
			}
			return nil
		}
	}
	tagsOf := func(n int) func(w cipmap.Writer) error {
		return func(w cipmap.Writer) error {
			for i := range n {
				for k, tag := range []string{"semiconductors", "ai"} {
					if err := w.PatentTag(&cipmap.PatentTag{PatentID: fmt.Sprint("CN", i), Year: 2015 + i, System: "ctt", Tag: tag,
						Weight: 0.25 * float64(k+1), Mass: 0.75, Source: fmt.Sprint("t.csv:", i+2)}); err != nil {
						return err
					}
				}
			}
			return nil
		}
	}
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "pat", Version: "1"}, fill(8)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "pat-tags", Version: "1"}, tagsOf(8)); err != nil {
		t.Fatal(err)
	}
	check := func(when string, wantRows bool) {
		t.Helper()
		ids := []string{"firm-0", "firm-1", "firm-2", "CN0", "CN3", "CN7", "nobody"}
		many := slices.Clone(ids)
		for i := range 400 {
			many = append(many, fmt.Sprint("absent-", i))
		}
		set := "('" + strings.Join(ids, "', '") + "')"
		parts := map[string]string{
			"applicant": "SELECT applicant_id, 'applicant', patent_id, applicants, NULL, NULL, NULL, dataset FROM patent_facts WHERE applicant_id IN " + set,
			"patent":    "SELECT patent_id, 'patent', patent_id, NULL, system, tag, weight, dataset FROM patent_tags WHERE patent_id IN " + set,
			"entity":    "SELECT entity_id, 'entity', NULL, NULL, system, tag, weight, dataset FROM tags WHERE entity_id IN " + set,
		}
		cols := []string{"end_id", "side", "patent_id", "applicants", "system", "tag", "weight", "dataset"}
		for _, sides := range [][]string{nil, {"applicant"}, {"patent", "entity"}} {
			all := sides
			if all == nil {
				all = []string{"applicant", "patent", "entity"}
			}
			var qs []string
			for _, side := range all {
				qs = append(qs, parts[side])
			}
			tab, err := s.Query(ctx, strings.Join(qs, " UNION ALL "))
			if err != nil {
				t.Fatal(err)
			}
			want := tableStrings(tab)
			if wantRows != (len(want) > 0) {
				t.Fatalf("%s: %d rows to look up", when, len(want))
			}
			for _, list := range [][]string{ids, many} {
				got, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{Table: "facts_by_id", IDs: list, Sides: sides, Columns: cols})
				if err != nil {
					t.Fatalf("%s: %v", when, err)
				}
				if g := tableStrings(got); !slices.Equal(g, want) {
					t.Errorf("%s: facts of %d ids, sides %v:\n%s\nwant:\n%s", when, len(list), sides, strings.Join(g, "\n"), strings.Join(want, "\n"))
				}
			}
		}
	}
	check("loaded", true)
	if _, err := s.Load(ctx, &cipmap.Dataset{Name: "pat", Version: "2"}, fill(5)); err != nil {
		t.Fatal(err)
	}
	check("after v2", true)
	for _, d := range []string{"pat", "pat-tags"} {
		if err := s.DeleteDataset(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	check("after delete", false)
}

// tableStrings returns the rows of tab as sorted strings, numbers as %g.
func tableStrings(tab *cipmap.Table) []string {
	var out []string
	for _, r := range tab.Rows {
		cells := make([]string, len(r))
		for i, v := range r {
			switch x := v.(type) {
			case nil:
				cells[i] = "NULL"
			case float64:
				cells[i] = fmt.Sprintf("%g", x)
			case int32, int64, int:
				cells[i] = fmt.Sprintf("%d", x)
			default:
				cells[i] = fmt.Sprint(x)
			}
		}
		out = append(out, strings.Join(cells, "|"))
	}
	slices.Sort(out)
	return out
}
