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

// fundFacts are a fund-of-funds world in small: a body sponsors a fund that holds
// 40% of another, which invests in a firm; a grant names its program; a listing has
// no exchange entity; an investment is stated by two records.
var fundFacts = []fact{
	{"gov", "GovBody", "name", "工业和信息化部", "f.csv:1"},
	{"fund-a", "Fund", "name", "国家集成电路产业投资基金", "f.csv:2"},
	{"fund-b", "Fund", "name", "某某子基金", "f.csv:3"},
	{"firm", "Firm", "name", "中芯国际集成电路制造有限公司", "f.csv:4"},
	{"prog", "Program", "name", "大基金一期", "f.csv:5"},
	{"prog", "Program", "policy", "pol", "f.csv:5"},
	{"own-1", "Ownership", "owner", "fund-a", "f.csv:6"},
	{"own-1", "Ownership", "asset", "fund-b", "f.csv:6"},
	{"own-1", "Ownership", "percentage", "40", "f.csv:6"},
	{"own-1", "Ownership", "start_date", "2015-03-01", "f.csv:6"},
	{"inv-1", "Investment", "investor", "fund-b", "f.csv:7"},
	{"inv-1", "Investment", "investee", "firm", "f.csv:7"},
	{"inv-1", "Investment", "amount", "1.5e8", "f.csv:7"},
	{"inv-1", "Investment", "currency", "CNY", "f.csv:7"},
	{"inv-1", "Investment", "date", "2016-05-20", "f.csv:7"},
	{"inv-1", "Investment", "investor", "fund-b", "f.csv:8"},
	{"inv-1", "Investment", "investee", "firm", "f.csv:8"},
	{"gr-1", "Grant", "grantor", "gov", "f.csv:9"},
	{"gr-1", "Grant", "recipient", "firm", "f.csv:9"},
	{"gr-1", "Grant", "program", "prog", "f.csv:9"},
	{"gr-1", "Grant", "amount", "not a number", "f.csv:9"},
	{"gr-1", "Grant", "year", "2018", "f.csv:9"},
	{"c-1", "Contract", "buyer", "gov", "f.csv:11"},
	{"c-1", "Contract", "supplier", "firm", "f.csv:11"},
	{"c-1", "Contract", "supplier", "fund-b", "f.csv:12"},
	{"c-1", "Contract", "supplier", "firm", "f.csv:13"},
	{"c-1", "Contract", "amount", "88", "f.csv:11"},
	{"lst-1", "Listing", "firm", "firm", "f.csv:10"},
	{"lst-1", "Listing", "amount_raised", "5000000", "f.csv:10"},
	{"lst-1", "Listing", "listing_date", "2020-07-16", "f.csv:10"},
	{"firm", "Firm", "founded", "2000-04-03", "f.csv:14"},
	{"firm", "Firm", "province", "上海市", "f.csv:14"},
	{"nameless", "Fund", "status", "active", "f.csv:15"},
}

// testEdges checks the edges table and the flows view that stores derive from a
// dataset's statements at load, and that they follow the dataset's versions.
func testEdges(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	load(t, s, "funds", "v1", fundFacts)
	rows := func(q string) []string {
		t.Helper()
		tab, err := s.Query(ctx, q)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var out []string
		for _, r := range tab.Rows {
			var cells []string
			for _, v := range r {
				if v == nil {
					cells = append(cells, "NULL")
				} else {
					cells = append(cells, fmt.Sprint(v))
				}
			}
			out = append(out, strings.Join(cells, "|"))
		}
		return out
	}
	got := rows(`SELECT id, role, target, channel, coalesce(from_id, '-'), to_id, coalesce(date, '-'), coalesce(CAST(year AS VARCHAR), '-'),
		coalesce(CAST(amount AS VARCHAR), '-'), coalesce(currency, '-'), coalesce(percentage, '-'), CAST(flow AS VARCHAR), dataset, source
		FROM edges ORDER BY id, role, target, to_id`)
	want := []string{
		"c-1|buyer|supplier|contract|gov|firm|-|-|88|-|-|true|funds|f.csv:11",
		"c-1|buyer|supplier|contract|gov|fund-b|-|-|88|-|-|true|funds|f.csv:11",
		"gr-1|grantor|recipient|grant|gov|firm|-|2018|-|-|-|true|funds|f.csv:9",
		"gr-1|program|recipient|grant|prog|firm|-|2018|-|-|-|false|funds|f.csv:9",
		"inv-1|investor|investee|investment|fund-b|firm|2016-05-20|2016|150000000|CNY|-|true|funds|f.csv:7",
		"lst-1|exchange_entity|firm|listing|-|firm|2020-07-16|2020|5000000|-|-|true|funds|f.csv:10",
		"own-1|owner|asset|ownership|fund-a|fund-b|2015-03-01|2015|-|-|40|false|funds|f.csv:6",
		"prog|policy||program|pol|prog|-|-|-|-|-|false|funds|f.csv:5",
	}
	// PostgreSQL prints a float 150000000 as 1.5e+08 and DuckDB as 150000000.0.
	for i := range got {
		got[i] = strings.NewReplacer("1.5e+08", "150000000", "150000000.0", "150000000", "5e+06", "5000000", "5000000.0", "5000000", "88.0", "88").Replace(got[i])
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("edges:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	flows := rows(`SELECT channel, coalesce(giver, '-'), receiver FROM flows ORDER BY channel, receiver`)
	if w := []string{"contract|gov|firm", "contract|gov|fund-b", "grant|gov|firm", "investment|fund-b|firm", "listing|-|firm"}; strings.Join(flows, ",") != strings.Join(w, ",") {
		t.Errorf("flows view: %v, want %v", flows, w)
	}
	for _, c := range cipmap.FlowChannels {
		if n := count(t, s, "SELECT count(*) FROM edges WHERE flow AND schema = '"+c.Schema+"' AND (role <> '"+c.Giver+"' OR target <> '"+c.Receiver+"')"); n != 0 {
			t.Errorf("%s: %d flow edges not from %s to %s", c.Schema, n, c.Giver, c.Receiver)
		}
	}

	// Nodes: every entity that is not a relation, with its caption and attributes;
	// the program, whose only attribute is a name, and the fund without one too.
	nodes := rows(`SELECT id, schema, coalesce(caption, '-'), coalesce(name, '-'), coalesce(founded, '-'), coalesce(province, '-'),
		dataset, coalesce(source, '-') FROM nodes ORDER BY id, dataset`)
	wantNodes := []string{
		"firm|Firm|中芯国际集成电路制造有限公司|中芯国际集成电路制造有限公司|2000-04-03|上海市|funds|f.csv:14",
		"fund-a|Fund|国家集成电路产业投资基金|国家集成电路产业投资基金|-|-|funds|f.csv:2",
		"fund-b|Fund|某某子基金|某某子基金|-|-|funds|f.csv:3",
		"gov|GovBody|工业和信息化部|工业和信息化部|-|-|funds|f.csv:1",
		"nameless|Fund|nameless|-|-|-|funds|-",
		"prog|Program|大基金一期|大基金一期|-|-|funds|f.csv:5",
	}
	if strings.Join(nodes, "\n") != strings.Join(wantNodes, "\n") {
		t.Errorf("nodes:\n%s\nwant:\n%s", strings.Join(nodes, "\n"), strings.Join(wantNodes, "\n"))
	}

	// A new version replaces the dataset's edges; another dataset keeps its own.
	load(t, s, "other", "x1", []fact{
		{"own-9", "Ownership", "owner", "p-1", "o.csv:2"}, {"own-9", "Ownership", "asset", "firm", "o.csv:2"},
	})
	checkLookup(t, s, "two datasets")
	load(t, s, "funds", "v2", fundFacts[:10])
	checkLookup(t, s, "after v2")
	if got := rows(`SELECT dataset || ':' || id FROM edges ORDER BY 1`); strings.Join(got, ",") != "funds:own-1,funds:prog,other:own-9" {
		t.Errorf("after v2: edges %v", got)
	}
	if got := rows(`SELECT dataset || ':' || id FROM nodes ORDER BY 1`); strings.Join(got, ",") != "funds:firm,funds:fund-a,funds:fund-b,funds:gov,funds:prog" {
		t.Errorf("after v2: nodes %v", got)
	}
	if err := s.DeleteDataset(ctx, "funds"); err != nil {
		t.Fatal(err)
	}
	if got := rows(`SELECT dataset || ':' || id FROM edges ORDER BY 1`); strings.Join(got, ",") != "other:own-9" {
		t.Errorf("after delete: edges %v", got)
	}
	if got := rows(`SELECT dataset || ':' || id FROM nodes ORDER BY 1`); len(got) != 0 {
		t.Errorf("after delete: nodes %v", got)
	}
	checkLookup(t, s, "after delete")
}

// checkLookup checks that Lookup finds, for a few ids and for more than DuckDB
// reads by key, exactly the edges from them and to them and their nodes, as the
// edges and nodes tables hold them, by side and with chosen columns.
func checkLookup(t *testing.T, s cipmap.Store, when string) {
	t.Helper()
	ctx := context.Background()
	ids := []string{"fund-a", "fund-b", "firm", "gov", "prog", "p-1", "no such id", "it's"}
	many := slices.Clone(ids)
	for i := range 400 {
		many = append(many, fmt.Sprintf("absent-%d", i))
	}
	set := "('" + strings.Join(ids, "', '") + "')"
	set = strings.Replace(set, "it's", "it''s", 1)
	want := func(sides ...string) []string {
		var parts []string
		for _, side := range sides {
			switch side {
			case "from", "to":
				parts = append(parts, "SELECT "+side+"_id, '"+side+"', id, schema, role, dataset, source FROM edges WHERE "+side+"_id IN "+set)
			case "node":
				parts = append(parts, "SELECT id, 'node', id, schema, NULL, dataset, source FROM nodes WHERE id IN "+set)
			}
		}
		tab, err := s.Query(ctx, strings.Join(parts, " UNION ALL "))
		if err != nil {
			t.Fatal(err)
		}
		return tableStrings(tab)
	}
	cols := []string{"end_id", "side", "id", "schema", "role", "dataset", "source"}
	for _, sides := range [][]string{nil, {"to"}, {"from", "node"}} {
		all := sides
		if all == nil {
			all = []string{"from", "to", "node"}
		}
		wanted := want(all...)
		if len(wanted) == 0 && when != "after delete" {
			t.Fatalf("%s: no rows to look up", when)
		}
		for _, list := range [][]string{ids, many} {
			tab, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{IDs: list, Sides: sides, Columns: cols})
			if err != nil {
				t.Fatalf("%s: lookup %d ids: %v", when, len(list), err)
			}
			if !slices.Equal(tab.Columns, cols) {
				t.Errorf("%s: lookup columns %v, want %v", when, tab.Columns, cols)
			}
			if got := tableStrings(tab); !slices.Equal(got, wanted) {
				t.Errorf("%s: lookup of %d ids, sides %v:\n%s\nwant:\n%s", when, len(list), sides,
					strings.Join(got, "\n"), strings.Join(wanted, "\n"))
			}
		}
	}
	if _, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{IDs: ids, Columns: []string{"id; DROP TABLE edges"}}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("%s: lookup of an unknown column: %v, want an invalid error", when, err)
	}
	if _, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{IDs: ids, Sides: []string{"sideways"}}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("%s: lookup of an unknown side: %v, want an invalid error", when, err)
	}
	if _, err := sqlview.Lookup(ctx, s, cipmap.LookupQuery{Table: "statement", IDs: ids}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("%s: lookup in a table that is not a lookup table: %v, want an invalid error", when, err)
	}
}

// testEntityIDs checks reads of the statements of a list of entities: a few (which
// DuckDB finds by their keys) and more than a thousand (by a join), in two datasets,
// against reads of each entity alone.
func testEntityIDs(t *testing.T, open Opener) {
	s := open(t, newClock().now)
	ctx := context.Background()
	var a, b []fact
	var ids []string
	for i := range 1200 {
		id := fmt.Sprintf("firm-%04d", i)
		ids = append(ids, id)
		a = append(a, fact{id, "Firm", "name", "甲" + id, fmt.Sprintf("a.csv:%d", i+2)})
		if i%3 == 0 {
			b = append(b, fact{id, "Firm", "province", "四川省", fmt.Sprintf("b.csv:%d", i+2)})
		}
	}
	load(t, s, "a", "1", a)
	load(t, s, "b", "1", b)
	read := func(f cipmap.StatementFilter) []string {
		t.Helper()
		var out []string
		if err := s.Statements(ctx, f, func(st *cipmap.Statement) error {
			out = append(out, st.EntityID+" "+st.Property+" "+st.Value+" "+st.Dataset+" "+st.Source)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// A few ids, some hundreds (which DuckDB reads by key, in parts), and more.
	for _, list := range [][]string{{"firm-0003", "firm-0004", "no-such"}, ids[100:250], ids} {
		var want []string
		for _, id := range list {
			want = append(want, read(cipmap.StatementFilter{EntityID: id})...)
		}
		got := read(cipmap.StatementFilter{EntityIDs: list})
		if len(want) == 0 || strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%d ids: %d statements, want %d:\n%.300s\nwant\n%.300s", len(list), len(got), len(want),
				strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		provinces := 0
		for _, w := range want {
			if strings.Contains(w, " province ") {
				provinces++
			}
		}
		if got := read(cipmap.StatementFilter{EntityIDs: list, Properties: []string{"province"}, Unordered: true}); len(got) != provinces {
			t.Errorf("%d ids, provinces: %d statements, want %d", len(list), len(got), provinces)
		}
	}
}
