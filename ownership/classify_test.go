package ownership

import (
	"strings"
	"testing"
)

// casc is a SASAC-rooted group: 国务院国资委 holds all of 中国航天科技集团有限公司,
// which holds 51% of 航天A and 35% of 航天B (beside a person's 20% and a fund's 15%);
// 航天A holds 60% of 航天C.
var casc = fixture{
	nodes: []Node{
		{ID: "sasac", Name: "国务院国资委", Kind: KindGov, Level: LevelCentral, Type: "SASAC"},
		{ID: "casc", Name: "中国航天科技集团有限公司", Kind: KindFirm},
		{ID: "a", Name: "航天A", Kind: KindFirm},
		{ID: "b", Name: "航天B", Kind: KindFirm},
		{ID: "c", Name: "航天C", Kind: KindFirm},
		{ID: "x", Name: "张三", Kind: KindPerson},
		{ID: "y", Name: "某基金", Kind: KindFund},
		{ID: "p", Name: "李四", Kind: KindPerson},
	},
	holdings: []Holding{
		h("sasac", "casc", 1), h("casc", "a", 0.51), h("casc", "b", 0.35), h("x", "b", 0.2),
		h("y", "b", 0.15), h("a", "c", 0.6), h("p", "c", 0.4),
	},
}

func TestClassifySASACGroup(t *testing.T) {
	v := casc.graph(t).At(0)
	tests := []struct {
		id, text, rule string
		state          float64
	}{
		{"c", "central SOE: ultimate controller 国务院国资委 (central SASAC) through 中国航天科技集团有限公司 (100%) → 航天A (51%) → 航天C (60%)",
			"the ultimate controller is a central state body", 0.306},
		{"b", "central SOE: ultimate controller 国务院国资委 (central SASAC) through 中国航天科技集团有限公司 (100%) → 航天B (35%)",
			"the ultimate controller is a central state body", 0.35},
		{"casc", "central SOE: ultimate controller 国务院国资委 (central SASAC) → 中国航天科技集团有限公司 (100%)",
			"the ultimate controller is a central state body", 1},
		{"sasac", "government body: 国务院国资委 is a central SASAC",
			"a government body (or a node flagged State) is the state itself", 1},
		{"x", "not a firm: 张三 is a natural person", "persons, foreign owners and foreign governments are not classified", 0},
	}
	for _, tt := range tests {
		c, err := v.Classify(tt.id)
		if err != nil {
			t.Fatal(err)
		}
		if c.Text != tt.text || c.Rule != tt.rule {
			t.Errorf("Classify(%s) =\n  %s\nwant\n  %s [rule: %s]", tt.id, c, tt.text, tt.rule)
		}
		if !near(c.State.Total.Lo, tt.state) || !near(c.State.Total.Hi, tt.state) {
			t.Errorf("Classify(%s) state share = %v, want %v", tt.id, c.State.Total, tt.state)
		}
		t.Log(c)
	}
	chain, err := v.Controller("b")
	if err != nil {
		t.Fatal(err)
	}
	if chain.Ultimate != "sasac" || len(chain.Links) != 2 {
		t.Fatalf("Controller(b) = %+v", chain)
	}
	if got, want := chain.Links[1].Why, "holds 35%: 35% is more than 30% and more than any other holder (at most 20%)"; got != want {
		t.Errorf("the rule of 航天B's controller is %q, want %q", got, want)
	}
	if got := chain.Links[1].Rule; got != RuleLargest {
		t.Errorf("航天B is controlled by rule %v, want %v", got, RuleLargest)
	}
}

func TestGroup(t *testing.T) {
	v := casc.graph(t).At(0)
	for head, want := range map[string]string{
		"sasac": "casc@1<sasac a@2<casc b@2<casc c@3<a",
		"casc":  "a@1<casc b@1<casc c@2<a",
		"a":     "c@1<a",
		"c":     "",
	} {
		ms, err := v.Group(head)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range ms {
			got = append(got, m.ID+"@"+itoa(m.Depth)+"<"+m.Parent)
		}
		if g := strings.Join(got, " "); g != want {
			t.Errorf("Group(%s) = %q, want %q", head, g, want)
		}
	}
}

func itoa(i int) string { return string(rune('0' + i)) }

func TestClassifyRules(t *testing.T) {
	sz := Node{ID: "szsasac", Name: "深圳市国资委", Kind: KindGov, Level: LevelMunicipal, Type: "SASAC"}
	gd := Node{ID: "gdsasac", Name: "广东省国资委", Kind: KindGov, Level: LevelProvincial, Type: "SASAC"}
	sasac := Node{ID: "sasac", Name: "国务院国资委", Kind: KindGov, Level: LevelCentral, Type: "SASAC"}
	person := func(id, name string) Node { return Node{ID: id, Name: name, Kind: KindPerson} }
	firm := func(id, name string) Node { return Node{ID: id, Name: name, Kind: KindFirm} }
	tests := []struct {
		name   string
		f      fixture
		target string
		class  Class
		text   string
	}{
		{
			name: "local SOE through a municipal holding company",
			f: fixture{
				nodes:    []Node{sz, firm("szic", "深圳市投资控股有限公司"), firm("x", "X")},
				holdings: []Holding{h("szsasac", "szic", 1), h("szic", "x", 0.51)},
			},
			target: "x", class: ClassLocalSOE,
			text: "local SOE: ultimate controller 深圳市国资委 (municipal SASAC) through 深圳市投资控股有限公司 (100%) → X (51%)",
		},
		{
			name: "mixed: a private controller and a 25% state share",
			f: fixture{
				nodes:    []Node{sz, person("li", "李四"), firm("m", "民企M")},
				holdings: []Holding{h("li", "m", 0.6), h("szsasac", "m", 0.25)},
			},
			target: "m", class: ClassMixed,
			text: "mixed: ultimate controller 李四 (natural person) → 民企M (60%); the state holds 25%",
		},
		{
			name: "private: a private controller and a 10% state share",
			f: fixture{
				nodes:    []Node{sz, person("wang", "王五"), firm("n", "民企N")},
				holdings: []Holding{h("wang", "n", 0.6), h("szsasac", "n", 0.1)},
			},
			target: "n", class: ClassPrivate,
			text: "private: ultimate controller 王五 (natural person) → 民企N (60%); the state holds 10%",
		},
		{
			name: "mixed at exactly the threshold",
			f: fixture{
				nodes:    []Node{sz, person("wang", "王五"), firm("n", "民企N")},
				holdings: []Holding{h("wang", "n", 0.6), h("szsasac", "n", 0.2)},
			},
			target: "n", class: ClassMixed,
			text: "mixed: ultimate controller 王五 (natural person) → 民企N (60%); the state holds 20%",
		},
		{
			name: "foreign",
			f: fixture{
				nodes: []Node{{ID: "acme", Name: "Acme Holdings", Kind: KindForeign, Country: "USA"},
					firm("f", "外资F"), sz},
				holdings: []Holding{h("acme", "f", 0.7), h("szsasac", "f", 0.3)},
			},
			target: "f", class: ClassForeign,
			text: "foreign: ultimate controller Acme Holdings (foreign, USA) → 外资F (70%)",
		},
		{
			name: "a foreign-registered firm controls through a domestic subsidiary",
			f: fixture{
				nodes: []Node{{ID: "hk", Name: "港资控股", Kind: KindFirm, Country: "HKG"},
					firm("wfoe", "外商独资W"), firm("t", "T")},
				holdings: []Holding{h("hk", "wfoe", 1), h("wfoe", "t", 0.55)},
			},
			target: "t", class: ClassForeign,
			text: "foreign: ultimate controller 港资控股 (foreign, HKG) through 外商独资W (100%) → T (55%)",
		},
		{
			name: "holders under one controller add up",
			f: fixture{
				nodes: []Node{sasac, firm("s1", "央企一"), firm("s2", "央企二"), person("zhao", "赵六"), firm("t", "T")},
				holdings: []Holding{h("sasac", "s1", 1), h("sasac", "s2", 1), h("s1", "t", 0.26),
					h("s2", "t", 0.26), h("zhao", "t", 0.28)},
			},
			target: "t", class: ClassCentralSOE,
			text: "central SOE: ultimate controller 国务院国资委 (central SASAC) through 央企一 (100%) → T (26%; 52% with 1 other holder under the same controller)",
		},
		{
			name: "a disclosed controller overrides equity",
			f: fixture{
				nodes:    []Node{gd, person("zhao", "赵六"), firm("l", "上市公司L")},
				holdings: []Holding{h("gdsasac", "l", 0.4), h("zhao", "l", 0.1)},
				controls: []Control{{Controller: "zhao", Controlled: "l", Role: "实际控制人"}},
			},
			target: "l", class: ClassMixed,
			text: "mixed: ultimate controller 赵六 (natural person) → 上市公司L (10%, disclosed control); the state holds 40%",
		},
		{
			name: "no controller, but the state holds a majority together",
			f: fixture{
				nodes: []Node{gd, sz, person("a", "甲"), person("b", "乙"), firm("t", "T")},
				holdings: []Holding{h("gdsasac", "t", 0.3), h("szsasac", "t", 0.3), h("a", "t", 0.2),
					h("b", "t", 0.2)},
			},
			target: "t", class: ClassLocalSOE,
			text: "local SOE: no ultimate controller; the state holds 60% (central 0%, local 60%)",
		},
		{
			name: "exactly 50% is not a majority and exactly 30% not a block",
			f: fixture{
				nodes:    []Node{person("a", "甲"), person("b", "乙"), firm("t", "T"), firm("u", "U")},
				holdings: []Holding{h("a", "t", 0.5), h("b", "t", 0.5), h("a", "u", 0.3), h("b", "u", 0.1)},
			},
			target: "t", class: ClassPrivate,
			text: "private: no ultimate controller; the state holds 0%",
		},
		{
			name: "an unknown share does not confer control",
			f: fixture{
				nodes:    []Node{sasac, person("a", "甲"), firm("t", "T")},
				holdings: []Holding{{Owner: "sasac", Asset: "t"}, h("a", "t", 0.2)},
			},
			target: "t", class: ClassPrivate,
			text: "private: no ultimate controller; the state holds 0–80%",
		},
		{
			name: "a loop of control",
			f: fixture{
				nodes:    []Node{firm("a", "A"), firm("b", "B")},
				holdings: []Holding{h("a", "b", 0.6), h("b", "a", 0.6)},
			},
			target: "a", class: ClassPrivate,
			text: "private: control runs in a loop, so there is no ultimate controller; the state holds 0%",
		},
		{
			name: "a foreign government is foreign, not the state",
			f: fixture{
				nodes: []Node{{ID: "temasek", Name: "Temasek", Kind: KindGov, Country: "SGP"},
					firm("t", "T"), sz},
				holdings: []Holding{h("temasek", "t", 0.6), h("szsasac", "t", 0.1)},
			},
			target: "t", class: ClassForeign,
			text: "foreign: ultimate controller Temasek (foreign government body, SGP) → T (60%)",
		},
		{
			name:   "no holders",
			f:      fixture{nodes: []Node{firm("z", "Z")}},
			target: "z", class: ClassUnknown,
			text: "unknown: no holders of Z are recorded",
		},
		{
			name: "a controller of unknown kind",
			f: fixture{
				nodes:    []Node{firm("t", "T")},
				holdings: []Holding{h("ghost", "t", 0.9)},
			},
			target: "t", class: ClassUnknown,
			text: "unknown: ultimate controller ghost (unknown) → T (90%)",
		},
		{
			name: "a state investor flagged State",
			f: fixture{
				nodes: []Node{{ID: "huijin", Name: "中央汇金投资有限责任公司", Kind: KindFirm, Level: LevelCentral, State: true},
					firm("bank", "某银行")},
				holdings: []Holding{h("huijin", "bank", 0.65)},
			},
			target: "bank", class: ClassCentralSOE,
			text: "central SOE: ultimate controller 中央汇金投资有限责任公司 (central state-owned firm) → 某银行 (65%)",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.f.graph(t).At(0)
			c, err := v.Classify(tt.target)
			if err != nil {
				t.Fatal(err)
			}
			if c.Class != tt.class || c.Text != tt.text {
				t.Errorf("Classify(%s) =\n  %s\nwant\n  %s", tt.target, c, tt.text)
			}
			// The whole-graph analysis agrees.
			a := v.Analyze()
			if got, _ := a.Class(tt.target); got != c.Class {
				t.Errorf("Analyze class %v, Classify %v", got, c.Class)
			}
			if ac, _ := a.Classify(tt.target); ac.Text != c.Text {
				t.Errorf("Analyze text %q, Classify %q", ac.Text, c.Text)
			}
		})
	}
}
