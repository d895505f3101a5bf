package ownership

import (
	"errors"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in          string
		first, last string
		err         string
	}{
		{"2020", "2020-01-01", "2020-12-31", ""},
		{"2020-02", "2020-02-01", "2020-02-29", ""},
		{"2021-02", "2021-02-01", "2021-02-28", ""},
		{"2020-08-13", "2020-08-13", "2020-08-13", ""},
		{"2020-08-13T15:57:29", "2020-08-13", "2020-08-13", ""},
		{"", "", "", ""},
		{"2020-02-30", "", "", "no such day"},
		{"2020-13", "", "", "month"},
		{"20-01-01", "", "", "four digits"},
		{"2020/01/01", "", "", "four digits"},
	}
	for _, tt := range tests {
		first, last, err := ParseDate(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseDate(%q) error = %v, want one with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || first.String() != tt.first || last.String() != tt.last {
			t.Errorf("ParseDate(%q) = %s, %s, %v; want %s, %s", tt.in, first, last, err, tt.first, tt.last)
		}
	}
	if d := MustDate("1970-01-01"); d.Time().Unix() != 0 || FromTime(d.Time()) != d {
		t.Errorf("1970-01-01 is %d, %v", d, d.Time())
	}
	if d := MustDate("0001-01-02"); d != 2 {
		t.Errorf("0001-01-02 is day %d, want 2", d)
	}
}

func TestParseShare(t *testing.T) {
	tests := []struct {
		in   string
		want Range
		err  string
	}{
		{"51", Exact(0.51), ""},
		{"30..50", Range{0.3, 0.5}, ""},
		{"", Unknown, ""},
		{"100", Exact(1), ""},
		{"50..30", Range{}, "low end above its high end"},
		{"120", Range{}, "above 100%"},
		{"abc", Range{}, "not a share"},
	}
	for _, tt := range tests {
		got, err := ParseShare(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseShare(%q) error = %v, want one with %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !nearRange(got, tt.want) {
			t.Errorf("ParseShare(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
	for r, want := range map[Range]string{Exact(0.51): "51%", {0.3, 0.5}: "30–50%", Exact(1.0 / 3): "33.33%"} {
		if got := r.String(); got != want {
			t.Errorf("%#v.String() = %q, want %q", r, got, want)
		}
	}
}

func TestBuildReportsInvalidItems(t *testing.T) {
	var b Builder
	b.AddHolding(Holding{Owner: "A", Asset: "B", Share: Range{0.6, 0.5}, Source: "x.csv:7"})
	b.AddHolding(Holding{Owner: "A", Asset: "", Share: Exact(0.5)})
	b.AddHolding(Holding{Owner: "A", Asset: "B", Share: Exact(1.5)})
	b.AddHolding(Holding{Owner: "A", Asset: "B", From: MustDate("2020-01-01"), To: MustDate("2019-01-01")})
	b.AddControl(Control{Controller: "A", Controlled: "A"})
	b.AddHolding(h("A", "B", 0.5)) // valid
	_, err := b.Build()
	if cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Fatalf("Build error = %v, want an EINVALID error", err)
	}
	for _, want := range []string{
		"5 invalid items",
		"holding 1 (A → B, x.csv:7): the share 60–50% has its low end above its high end",
		"holding 2 (A → ): the owner and the asset must both be given",
		"holding 3 (A → B): the share 150% is above 100%",
		"holding 4 (A → B): it ends on 2019-01-01, before it starts on 2020-01-01",
		"control 1 (A → A): an entity cannot control itself",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Build error %q does not say %q", err, want)
		}
	}
	var e *cipmap.Error
	if !errors.As(err, &e) {
		t.Errorf("Build error is not a *cipmap.Error")
	}
}

func TestPeopleAndInterlocks(t *testing.T) {
	d := MustDate
	g := fixture{
		nodes: []Node{
			{ID: "f1", Name: "甲公司", Kind: KindFirm}, {ID: "f2", Name: "乙公司", Kind: KindFirm},
			{ID: "f3", Name: "丙公司", Kind: KindFirm},
			{ID: "p1", Name: "王一", Kind: KindPerson}, {ID: "p2", Name: "李二", Kind: KindPerson},
		},
		positions: []Position{
			{Person: "p1", Org: "f1", Role: "董事长"},
			{Person: "p1", Org: "f1", Role: "法定代表人"},
			{Person: "p1", Org: "f2", Role: "董事", From: d("2018-01-01"), To: d("2020-12-31")},
			{Person: "p1", Org: "f3", Role: "独立董事", From: d("2021-01-01")},
			{Person: "p2", Org: "f1", Role: "监事", To: d("2019-06-30")},
			{Person: "p2", Org: "f3", Role: "总经理"},
		},
	}.graph(t)
	render := func(staff []Staff) string {
		var b strings.Builder
		for _, s := range staff {
			b.WriteString(s.Name + ":")
			for _, r := range s.Roles {
				b.WriteString(" " + r.Role)
			}
			b.WriteString(" |")
			for _, p := range s.Elsewhere {
				b.WriteString(" " + p.OrgName + " " + p.Role)
			}
			b.WriteString("; ")
		}
		return b.String()
	}
	for day, want := range map[string]string{
		"2019-01-01": "李二: 监事 | 丙公司 总经理; 王一: 法定代表人 董事长 | 乙公司 董事; ",
		"2022-01-01": "王一: 法定代表人 董事长 | 丙公司 独立董事; ",
	} {
		staff, err := g.At(d(day)).People("f1")
		if err != nil {
			t.Fatal(err)
		}
		if got := render(staff); got != want {
			t.Errorf("People(f1) on %s = %q, want %q", day, got, want)
		}
	}
}

// TestWhollyStateOwnedForm: a firm registered as wholly state-owned counts as the
// state when its owners are not loaded (中央汇金), and is looked through to them
// when they are.
func TestWhollyStateOwnedForm(t *testing.T) {
	st := func(prop, value string) cipmap.Statement {
		return cipmap.Statement{Property: prop, Value: value, Dataset: "ds", Source: "f.csv:2"}
	}
	entities := []cipmap.Entity{
		{ID: "huijin", Schema: "Firm", Statements: []cipmap.Statement{st("name", "中央汇金投资有限责任公司"), st("legal_form", "有限责任公司（国有独资）")}},
		{ID: "bank", Schema: "Firm", Statements: []cipmap.Statement{st("name", "某银行股份有限公司")}},
		{ID: "o1", Schema: "Ownership", Statements: []cipmap.Statement{st("owner", "huijin"), st("asset", "bank"), st("percentage", "40")}},
		{ID: "sz", Schema: "GovBody", Statements: []cipmap.Statement{st("name", "深圳市国资委"), st("level", "municipal")}},
		{ID: "hold", Schema: "Firm", Statements: []cipmap.Statement{st("name", "深圳市投资控股有限公司"), st("legal_form", "有限责任公司(国有独资)")}},
		{ID: "o2", Schema: "Ownership", Statements: []cipmap.Statement{st("owner", "sz"), st("asset", "hold"), st("percentage", "100")}},
		{ID: "priv", Schema: "Firm", Statements: []cipmap.Statement{st("name", "某科技有限公司"), st("legal_form", "有限责任公司")}},
	}
	var b Builder
	for i := range entities {
		if err := b.AddEntity(&entities[i]); err != nil {
			t.Fatal(err)
		}
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	v := g.At(MustDate("2020-01-01"))
	for _, tt := range []struct {
		id         string
		total, loc float64
	}{
		{"bank", 0.4, 0}, // through 中央汇金, whose owners are not loaded: level unknown
		{"hold", 1, 1},   // looked through to the municipal SASAC
		{"priv", 0, 0},   // no holders, not state-owned by its form
		{"huijin", 1, 0}, // the state itself
	} {
		s, err := v.StateShare(tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if s.Total.Lo != tt.total || s.Total.Hi != tt.total || s.Local.Hi != tt.loc {
			t.Errorf("StateShare(%s) = %+v, want total %v, local %v", tt.id, s, tt.total, tt.loc)
		}
	}
}

func TestAddEntity(t *testing.T) {
	st := func(prop, value string) cipmap.Statement {
		return cipmap.Statement{Property: prop, Value: value, Dataset: "ds", Source: "f.csv:2"}
	}
	entities := []cipmap.Entity{
		{ID: "sz", Schema: "GovBody", Statements: []cipmap.Statement{
			st("name", "深圳市人民政府国有资产监督管理委员会"), st("level", "municipal"), st("kind", "国资委")}},
		{ID: "szic", Schema: "Firm", Statements: []cipmap.Statement{st("name", "深圳市投资控股有限公司")}},
		{ID: "x", Schema: "Firm", Statements: []cipmap.Statement{st("name", "X")}},
		{ID: "o1", Schema: "Ownership", Statements: []cipmap.Statement{
			st("owner", "sz"), st("asset", "szic"), st("percentage", "100")}},
		{ID: "o2", Schema: "Ownership", Statements: []cipmap.Statement{
			st("owner", "szic"), st("asset", "x"), st("percentage", "51"), st("start_date", "2015")}},
		{ID: "pat", Schema: "Patent"},
	}
	var b Builder
	for i := range entities {
		if err := b.AddEntity(&entities[i]); err != nil {
			t.Fatal(err)
		}
	}
	g, err := b.Build()
	if err != nil {
		t.Fatal(err)
	}
	c, err := g.At(MustDate("2020-06-30")).Classify("x")
	if err != nil {
		t.Fatal(err)
	}
	want := "local SOE: ultimate controller 深圳市人民政府国有资产监督管理委员会 (municipal SASAC) through 深圳市投资控股有限公司 (100%) → X (51%)"
	if c.Text != want {
		t.Errorf("Classify(x) = %q, want %q", c.Text, want)
	}
	if src := c.Chain.Links[1].Source; src != "ds:f.csv:2" {
		t.Errorf("the source of the link is %q", src)
	}
	// Before the holding started, X has no holders.
	if c, _ := g.At(MustDate("2014-12-31")).Classify("x"); c.Class != ClassUnknown {
		t.Errorf("Classify(x) in 2014 = %s", c)
	}
	bad := cipmap.Entity{ID: "o3", Schema: "Ownership", Statements: []cipmap.Statement{
		st("owner", "sz"), st("asset", "x"), st("percentage", "abc")}}
	err = b.AddEntity(&bad)
	if err == nil || !strings.Contains(err.Error(), `Ownership o3: percentage "abc"`) {
		t.Errorf("AddEntity of a bad percentage: %v", err)
	}
}
