package postgres

import (
	"fmt"
	"testing"

	"github.com/cipmap/cipmap"
)

// TestCopyColumnsMatchFactTables checks that Load stages and replaces every table of
// cipmap.FactTables, copying the table's columns, then dataset and source.
func TestCopyColumnsMatchFactTables(t *testing.T) {
	columns := map[string][]string{
		"financials":      financialColumns,
		"trade_flows":     tradeFlowColumns,
		"tags":            tagColumns,
		"crosswalk_edges": edgeColumns,
		"clusters":        clusterColumns,
		"judgements":      judgementColumns,
		"patent_facts":    patentColumns,
		"patent_tags":     patentTagColumns,
	}
	if len(factTables) != len(cipmap.FactTables) {
		t.Errorf("fact tables %v, want %d", factTables, len(cipmap.FactTables))
	}
	for _, table := range factTables {
		want, ok := cipmap.FactTables[table]
		if !ok {
			t.Errorf("%s is not in cipmap.FactTables", table)
			continue
		}
		want = append(append([]string{}, want...), "dataset", "source")
		if got := columns[table]; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s copy columns = %v, want %v", table, got, want)
		}
	}
}
