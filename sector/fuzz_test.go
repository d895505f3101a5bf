package sector

import (
	"sort"
	"strconv"
	"strings"
	"testing"
)

// FuzzAppendYearValues: the text of a firm's sums by year ("2021:1.5;:2") parses
// without a panic into rows that print back to the same sums, or fails with an
// error.
func FuzzAppendYearValues(f *testing.F) {
	for _, s := range []string{"", "2021:1.5", "2021:1.5;:2;2019:0.3333333333333333", ":", "2021", "x:1", "2021:1e308;2022:-0", ";;"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		rows, err := appendYearValues(nil, s)
		if err != nil || s == "" {
			return
		}
		if len(rows) != strings.Count(s, ";")+1 {
			t.Fatalf("%q: %d rows", s, len(rows))
		}
		for i := 1; i < len(rows); i++ {
			if rows[i].year < rows[i-1].year {
				t.Fatalf("%q: rows out of order: %v", s, rows)
			}
		}
		// Each part is one row, the rows sorted by year (a stable order of the
		// parts' years).
		var years []int32
		for _, part := range strings.Split(s, ";") {
			y, _, _ := strings.Cut(part, ":")
			n, _ := strconv.Atoi(y)
			years = append(years, int32(n))
		}
		sort.Slice(years, func(i, j int) bool { return years[i] < years[j] })
		for i, r := range rows {
			if r.year != years[i] {
				t.Fatalf("%q: row %d has year %d, want %d", s, i, r.year, years[i])
			}
		}
	})
}

// FuzzParseFlowGroup: a group of flows parses without a panic, or fails with an
// error; a parsed group keeps its counts.
func FuzzParseFlowGroup(f *testing.F) {
	for _, s := range []string{"Grant:2021:0:1:709000.0:1:0", "Loan::::1:0", "Investment:2020::0::0:1", "a:b:c:d:e:f:g", "::::::", "Grant:2021:0:1:7:1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g, err := parseFlowGroup(s, map[string]int32{})
		if err != nil {
			return
		}
		p := strings.Split(s, ":")
		if n, _ := strconv.Atoi(p[5]); int(g.n) != n {
			t.Fatalf("%q: n %d, want %d", s, g.n, n)
		}
		if p[2] == "" && g.giver != -1 {
			t.Fatalf("%q: giver %d, want none", s, g.giver)
		}
	})
}
