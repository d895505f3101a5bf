package duckdb

import (
	"fmt"
	"testing"

	"github.com/cipmap/cipmap"
)

// TestFactStagesMatchFactTables checks that Load writes every table of
// cipmap.FactTables, from a staging file whose columns are the table's, then source.
func TestFactStagesMatchFactTables(t *testing.T) {
	if len(factStages) != len(cipmap.FactTables) {
		t.Errorf("fact stages %v, want one for each of %v", factTables, cipmap.FactTables)
	}
	for _, f := range factStages {
		var got []string
		for _, c := range f.cols {
			got = append(got, c[0])
		}
		want := append(append([]string{}, cipmap.FactTables[f.table]...), "source")
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s staging columns = %v, want %v", f.table, got, want)
		}
	}
}
