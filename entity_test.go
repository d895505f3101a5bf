package cipmap

import (
	"fmt"
	"testing"
)

func TestSortStatementsNaturally(t *testing.T) {
	ss := []Statement{
		{Property: "name", Value: "a", Source: "x.csv:317"},
		{Property: "name", Value: "a", Source: "x.csv:49"},
		{Property: "alias", Value: "b", Source: "x.csv:2"},
		{Property: "name", Value: "a", Source: "x.csv:1000"},
	}
	SortStatements(ss)
	var got []string
	for _, s := range ss {
		got = append(got, s.Property+"@"+s.Source)
	}
	want := "[alias@x.csv:2 name@x.csv:49 name@x.csv:317 name@x.csv:1000]"
	if g := fmt.Sprint(got); g != want {
		t.Errorf("order = %s, want %s", g, want)
	}
}

func TestStatementIDIsStable(t *testing.T) {
	// The id is part of exports and of the statements view: changing it is a breaking change.
	if got := StatementID("pla", "firm-1", "name", "华为"); got != "42807a80f35aadfd1dcba5aa975ed91ff959802b" {
		t.Errorf("StatementID = %s", got)
	}
	if StatementID("a", "b", "c", "d") == StatementID("a", "bc", "", "d") {
		t.Error("separators do not keep fields apart")
	}
}
