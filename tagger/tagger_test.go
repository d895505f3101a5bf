package tagger

import (
	"errors"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// tagsOf returns "tag=weight" for each tag of r, weights rounded to 3 places.
func tagsOf(r Result) []string {
	out := []string{}
	for _, w := range r.Tags {
		out = append(out, w.Tag+"="+trim(w.Weight))
	}
	return out
}

func trim(f float64) string {
	return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64)
}

// evidenceOf returns the original text of each evidence of tag tag in r.
func evidenceOf(r Result, tag string) []string {
	for _, w := range r.Tags {
		if w.Tag == tag {
			out := []string{}
			for _, e := range w.Evidence {
				out = append(out, r.Text[e.Start:e.End])
			}
			return out
		}
	}
	return nil
}

// TestTagSameTopTag is the case of the package documentation: a Chinese label, its
// traditional form and its English translation give the same tag.
func TestTagSameTopTag(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text     string
		evidence []string
	}{
		{"工业机器人用精密减速器", []string{"工业机器人", "精密减速器"}},
		{"工業機器人用精密減速器", []string{"工業機器人", "精密減速器"}},
		{"precision reducers for industrial robots", []string{"precision reducers", "industrial robots"}},
		{"Precision Reducers for Industrial Robots", []string{"Precision Reducers", "Industrial Robots"}},
		{"ＰＲＥＣＩＳＩＯＮ ＲＥＤＵＣＥＲ", []string{"ＰＲＥＣＩＳＩＯＮ ＲＥＤＵＣＥＲ"}},
	} {
		r := tg.Tag(c.text)
		if got, want := tagsOf(r), []string{"robots.industrial.reducers=1"}; !reflect.DeepEqual(got, want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, want)
			continue
		}
		if got := evidenceOf(r, "robots.industrial.reducers"); !reflect.DeepEqual(got, c.evidence) {
			t.Errorf("Tag(%q) evidence %q, want %q", c.text, got, c.evidence)
		}
		if r.Method != MethodRule || r.Text != c.text {
			t.Errorf("Tag(%q): method %q, text %q", c.text, r.Method, r.Text)
		}
	}
}

// TestTagEvidenceFields checks the keyword and kind of evidence: the tag's word as
// written, and the field it came from.
func TestTagEvidenceFields(t *testing.T) {
	tg := newTestTagger(t)
	r := tg.Tag("Hard Tech：光伏 / 5G")
	want := map[string]Evidence{
		"manufacturing": {Keyword: "hard tech", Kind: KindSynonym, Start: 0, End: 9},
		"energy.pv":     {Keyword: "光伏", Kind: KindKeyword, Start: 12, End: 18},
		"telecom.5g":    {Keyword: "5G", Kind: KindKeyword, Start: 21, End: 23},
	}
	if len(r.Tags) != len(want) {
		t.Fatalf("Tags = %v", tagsOf(r))
	}
	for _, w := range r.Tags {
		if len(w.Evidence) != 1 || w.Evidence[0] != want[w.Tag] {
			t.Errorf("%s: evidence %+v, want %+v", w.Tag, w.Evidence, want[w.Tag])
		}
	}
	// A tag's name is evidence of kind name when it is not also a keyword.
	r = tg.Tag("通用设备")
	if len(r.Tags) != 1 || r.Tags[0].Evidence[0].Kind != KindName {
		t.Errorf("Tag(通用设备) = %+v, want machinery by its name", r.Tags)
	}
}

func TestTagExclusions(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		// 扫地机器人 is an exclusion of robots: the match of 机器人 inside it goes.
		{"扫地机器人", []string{}},
		{"Robot vacuum cleaners", []string{}},
		// Exclusions remove the matches of their own tag only.
		{"扫地机器人及工业机器人", []string{"robots.industrial=1"}},
		{"铅酸电池", []string{}},
		{"锂电池、铅酸电池", []string{}},
		// An exclusion term inside a negation scope does not exclude: the text says
		// what it is not.
		{"电池，不包括铅酸电池", []string{"energy.ev.batteries=1"}},
		{"销售电池（铅酸电池除外）", []string{"energy.ev.batteries=1"}},
		{"机器人", []string{"robots=1"}},
	} {
		if got := tagsOf(tg.Tag(c.text)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

// TestTagExclusionPhrase has a tag whose exclusion is a 不包括… phrase, as the
// notes of official classifications have them ("本类不包括融资租赁").
func TestTagExclusionPhrase(t *testing.T) {
	tags := []*cipmap.Tag{
		{ID: "leasing", Name: cipmap.Label{ZH: "设备租赁"}, Keywords: map[string][]string{"zh": {"租赁"}}},
		{ID: "leasing.finance", Parent: "leasing", Name: cipmap.Label{ZH: "融资租赁"},
			Exclusions: map[string][]string{"zh": {"不包括融资租赁业务"}}},
	}
	tg, err := New(tags, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"融资租赁", []string{"leasing.finance=1"}},
		{"机械设备租赁；融资租赁", []string{"leasing.finance=1"}},
		// The exclusion is present: leasing.finance goes, and leasing stays.
		{"机械设备租赁；融资租赁，不包括融资租赁业务", []string{"leasing=1"}},
	} {
		if got := tagsOf(tg.Tag(c.text)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestTagNegation(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		{"工业机器人，不包括伺服电机", []string{"robots.industrial=1"}},
		{"伺服电机（工业机器人除外）", []string{"robots.industrial.servo=1"}},
		{"伺服电机(工业机器人除外)", []string{"robots.industrial.servo=1"}},
		{"工业机器人除外", []string{}},
		// 除外 across two words (清除 外壳) is not a marker.
		{"工业机器人清除外壳", []string{"robots.industrial=1"}},
		// The scope runs to the end of the clause; the enumeration comma does not
		// end it, the colon neither.
		{"不含危险化学品、锂电池", []string{}},
		{"不包括：锂电池、光伏", []string{}},
		{"不含危险化学品。锂电池", []string{"energy.ev.batteries=1"}},
		{"不含危险化学品；锂电池", []string{"energy.ev.batteries=1"}},
		{"不含危险化学品\n锂电池", []string{"energy.ev.batteries=1"}},
		{"不得从事光伏；风力发电", []string{"energy.wind=1"}},
		{"solar cells, excluding wind turbines", []string{"energy.pv=1"}},
		{"batteries except lithium batteries", []string{"energy.ev.batteries=1"}},
		{"wind turbines other than solar", []string{"energy.wind=1"}},
		// Traditional and full-width forms of the markers fold to the same.
		{"伺服電機（工業機器人除外）", []string{"robots.industrial.servo=1"}},
	} {
		if got := tagsOf(tg.Tag(c.text)); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestTagWeights(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text string
		want []string
	}{
		// Proportional to the characters matched: 锂电池 3, 光伏 2.
		{"锂电池和光伏", []string{"energy.ev.batteries=0.6", "energy.pv=0.4"}},
		// Repeated matches add up: 光伏 twice.
		{"光伏组件、光伏逆变器、锂电池", []string{"energy.pv=0.571", "energy.ev.batteries=0.429"}},
		// A Latin letter counts a third of a character: "solar cell" is 3, 风电 2.
		{"solar cell 风电", []string{"energy.pv=0.6", "energy.wind=0.4"}},
		// Equal weights are ordered by tag id.
		{"风电光伏", []string{"energy.pv=0.5", "energy.wind=0.5"}},
		{"不相关的文本", []string{}},
	} {
		r := tg.Tag(c.text)
		if got := tagsOf(r); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
		}
		checkWeights(t, r)
	}
}

// checkWeights checks the invariants of a Result's weights.
func checkWeights(t *testing.T, r Result) {
	t.Helper()
	sum := 0.0
	for i, w := range r.Tags {
		sum += w.Weight
		if w.Weight <= 0 || w.Weight > 1+1e-9 {
			t.Errorf("Tag(%q): weight %v of %s out of (0, 1]", r.Text, w.Weight, w.Tag)
		}
		if i > 0 && w.Weight > r.Tags[i-1].Weight {
			t.Errorf("Tag(%q): tags not sorted by weight: %v", r.Text, tagsOf(r))
		}
	}
	if len(r.Tags) > 0 && math.Abs(sum-1) > 1e-9 {
		t.Errorf("Tag(%q): weights sum to %v", r.Text, sum)
	}
	if r.Confidence < 0 || r.Confidence > 1 || (len(r.Tags) == 0) != (r.Confidence == 0) {
		t.Errorf("Tag(%q): confidence %v with %d tags", r.Text, r.Confidence, len(r.Tags))
	}
}

func TestTagAncestorDropping(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text     string
		want     []string
		evidence map[string][]string
	}{
		// robots (3) and robots.industrial (5) are ancestors of servo (4): all 12
		// go to servo, with their evidence; pv keeps its 2.
		{"机器人、工业机器人、伺服电机、光伏", []string{"robots.industrial.servo=0.857", "energy.pv=0.143"},
			map[string][]string{"robots.industrial.servo": {"机器人", "工业机器人", "伺服电机"}}},
		// An ancestor of two matched tags is shared in proportion to their own
		// matches: servo 4 + 5·4/9, reducers 5 + 5·5/9, of 14.
		{"工业机器人的伺服电机和精密减速器", []string{"robots.industrial.reducers=0.556", "robots.industrial.servo=0.444"},
			map[string][]string{
				"robots.industrial.servo":    {"工业机器人", "伺服电机"},
				"robots.industrial.reducers": {"工业机器人", "精密减速器"},
			}},
		// A tag and an unrelated one: nothing is dropped.
		{"工业机器人与减速器", []string{"robots.industrial=0.625", "machinery.gearboxes=0.375"}, nil},
	} {
		r := tg.Tag(c.text)
		if got := tagsOf(r); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
		}
		for tag, want := range c.evidence {
			if got := evidenceOf(r, tag); !reflect.DeepEqual(got, want) {
				t.Errorf("Tag(%q): evidence of %s = %q, want %q", c.text, tag, got, want)
			}
		}
		checkWeights(t, r)
	}
}

func TestTagInnerNodes(t *testing.T) {
	tg := newTestTagger(t)
	third := 1.0 / 3
	for _, c := range []struct {
		text  string
		tags  []string
		inner []InnerNode
	}{
		{"新能源", []string{"energy=1"}, []InnerNode{{"energy", []Weighted{{"energy.pv", third, nil}, {"energy.wind", third, nil}, {"energy.ev", third, nil}}}}},
		{"先进制造", []string{"manufacturing=1"}, []InnerNode{{"manufacturing", []Weighted{{"robots", 1, nil}}}}},
		{"hard tech", []string{"manufacturing=1"}, []InnerNode{{"manufacturing", []Weighted{{"robots", 1, nil}}}}},
		// The longest match is the more specific node, itself inner.
		{"新能源汽车", []string{"energy.ev=1"}, []InnerNode{{"energy.ev", []Weighted{{"energy.ev.batteries", 1, nil}}}}},
		// A leaf has no InnerNode.
		{"光伏", []string{"energy.pv=1"}, nil},
		{"光伏与半导体", []string{"semiconductors=0.6", "energy.pv=0.4"}, []InnerNode{{"semiconductors", []Weighted{
			{"semiconductors.design", third, nil}, {"semiconductors.fabrication", third, nil}, {"semiconductors.equipment", third, nil}}}}},
	} {
		r := tg.Tag(c.text)
		if got := tagsOf(r); !reflect.DeepEqual(got, c.tags) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.tags)
		}
		if !reflect.DeepEqual(r.Inner, c.inner) {
			t.Errorf("Tag(%q).Inner = %+v, want %+v", c.text, r.Inner, c.inner)
		}
	}
}

func TestSetChildWeights(t *testing.T) {
	tg := newTestTagger(t)
	if err := tg.SetChildWeights("energy", map[string]float64{"energy.pv": 2, "energy.ev": 2}); err != nil {
		t.Fatal(err)
	}
	r := tg.Tag("新能源")
	want := []InnerNode{{"energy", []Weighted{{"energy.pv", 0.5, nil}, {"energy.ev", 0.5, nil}, {"energy.wind", 0, nil}}}}
	if !reflect.DeepEqual(r.Inner, want) {
		t.Errorf("Inner = %+v, want %+v", r.Inner, want)
	}
	// The distribution of one result is its own.
	r.Inner[0].Children[0].Weight = 99
	if got := tg.Tag("新能源").Inner[0].Children[0].Weight; got != 0.5 {
		t.Errorf("changing a result changed the next: weight %v", got)
	}
	// nil restores equal shares.
	if err := tg.SetChildWeights("energy", nil); err != nil {
		t.Fatal(err)
	}
	if got := tg.Tag("新能源").Inner[0].Children[0].Weight; got != 1.0/3 {
		t.Errorf("after reset: weight %v, want 1/3", got)
	}
	for _, c := range []struct {
		parent  string
		weights map[string]float64
		code    string
	}{
		{"nope", map[string]float64{"energy.pv": 1}, cipmap.ENOTFOUND},
		{"energy", map[string]float64{"robots": 1}, cipmap.EINVALID},
		{"energy", map[string]float64{"energy.ev.batteries": 1}, cipmap.EINVALID},
		{"energy", map[string]float64{"energy.pv": -1}, cipmap.EINVALID},
		{"energy", map[string]float64{"energy.pv": math.NaN()}, cipmap.EINVALID},
		{"energy", map[string]float64{"energy.pv": math.Inf(1)}, cipmap.EINVALID},
		{"energy", map[string]float64{"energy.pv": 0}, cipmap.EINVALID},
	} {
		err := tg.SetChildWeights(c.parent, c.weights)
		if got := cipmap.ErrorCode(err); got != c.code {
			t.Errorf("SetChildWeights(%q, %v) = %v, want code %s", c.parent, c.weights, err, c.code)
		}
	}
}

func TestNewErrors(t *testing.T) {
	kw := func(words ...string) map[string][]string { return map[string][]string{"zh": words} }
	for _, c := range []struct {
		name string
		tags []*cipmap.Tag
		msg  string
	}{
		{"nil tag", []*cipmap.Tag{nil}, "tag 0 is nil"},
		{"no id", []*cipmap.Tag{{Name: cipmap.Label{EN: "x"}}}, "has no id"},
		{"duplicate", []*cipmap.Tag{{ID: "a"}, {ID: "a"}}, `"a" appears twice`},
		{"unknown parent", []*cipmap.Tag{{ID: "a", Parent: "b"}}, `parent "b", which is not a tag`},
		{"cycle", []*cipmap.Tag{{ID: "a", Parent: "b"}, {ID: "b", Parent: "a"}}, "its own ancestor"},
		{"self parent", []*cipmap.Tag{{ID: "a", Parent: "a"}}, "its own ancestor"},
		{"empty keyword", []*cipmap.Tag{{ID: "a", Keywords: kw(" ")}}, `keyword " " is empty`},
		{"punctuation keyword", []*cipmap.Tag{{ID: "a", Keywords: kw("、/")}}, "has no letter, digit or character"},
		{"punctuation exclusion", []*cipmap.Tag{{ID: "a", Exclusions: kw("()")}}, "exclusion"},
	} {
		_, err := New(c.tags, Options{})
		var e *cipmap.Error
		if !errors.As(err, &e) || e.Code != cipmap.EINVALID || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: New = %v, want EINVALID containing %q", c.name, err, c.msg)
		}
	}
	if _, err := New(nil, Options{}); err != nil {
		t.Errorf("New(nil) = %v, want an empty tagger", err)
	}
}

func TestTagMany(t *testing.T) {
	tg := newTestTagger(t)
	texts := genLabels(3000, zhKeywords(testTree()), 1)
	texts = append(texts, "", "precision reducers", "新能源")
	want := make([]Result, len(texts))
	for i, s := range texts {
		want[i] = tg.Tag(s)
	}
	for _, workers := range []int{0, 1, 2, 7, 10000} {
		got := tg.TagMany(texts, workers)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("TagMany(workers=%d) differs from Tag", workers)
		}
	}
	if got := tg.TagMany(nil, 4); len(got) != 0 {
		t.Errorf("TagMany(nil) = %v", got)
	}
}

func TestTagConfidence(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text     string
		min, max float64
	}{
		{"", 0, 0},
		{"不相关", 0, 0},
		{"新能源汽车", 1, 1},          // all keyword, one tag
		{"光伏与风电与锂电池", 0.75, 0.8}, // most of the text, top weight 3/7 < 1/2
		{"本公司经营范围包括技术开发、技术咨询、技术服务以及光伏组件的销售", 0.5, 0.6}, // one keyword in a long text
	} {
		r := tg.Tag(c.text)
		if r.Confidence < c.min-1e-9 || r.Confidence > c.max+1e-9 {
			t.Errorf("Tag(%q).Confidence = %v, want in [%v, %v]", c.text, r.Confidence, c.min, c.max)
		}
	}
}

func TestFoldMethod(t *testing.T) {
	tg := newTestTagger(t)
	if got, want := tg.Fold(" 工業機器人 Precision Reducers "), "工业机器人 precision reducer"; got != want {
		t.Errorf("Fold = %q, want %q", got, want)
	}
}

func TestAncestors(t *testing.T) {
	tg := newTestTagger(t)
	if got, want := tg.Ancestors("robots.industrial.servo"), []string{"robots.industrial", "robots", "manufacturing"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Ancestors = %v, want %v", got, want)
	}
	if got := tg.Ancestors("manufacturing"); got != nil {
		t.Errorf("Ancestors(root) = %v", got)
	}
	if got := tg.Ancestors("nope"); got != nil {
		t.Errorf("Ancestors(unknown) = %v", got)
	}
}

// TestNegationScopes checks the scopes themselves: where they start and end, and
// that overlapping ones are merged in order.
func TestNegationScopes(t *testing.T) {
	tg := newTestTagger(t)
	for _, c := range []struct {
		text string
		want []string // the folded text of each scope
	}{
		{"不含A、B，C", []string{"a、b"}},
		{"X，A、B除外。C", []string{"a、b"}},
		{"A除外", []string{"a"}},
		{"A除外来", nil},
		{"不含不含A，B", []string{"不含a"}},
		{"不含A 除外", []string{"不含a 除外"}}, // a forward and a backward scope, merged
		{"excluding A; except B", []string{" a", " b"}},
	} {
		sc := new(scratch)
		f := tg.fold(c.text, sc)
		spans := tg.words.longest(f.r, nil)
		var got []string
		for _, s := range negationScopes(f.r, spans, tg.keys, nil) {
			got = append(got, string(f.r[s.start:s.end]))
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("scopes of %q = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestTagManyMarkers runs a text of many negation markers, which once took time
// quadratic in their number.
func TestTagManyMarkers(t *testing.T) {
	tg := newTestTagger(t)
	text := strings.Repeat("光伏不含", 20000) + "，风电"
	if got, want := tagsOf(tg.Tag(text)), []string{"energy.pv=0.5", "energy.wind=0.5"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

// TestTagSharedWords checks that a word several tags list counts once: split
// between unrelated tags, and whole for a tag that shares it with an ancestor.
func TestTagSharedWords(t *testing.T) {
	kw := func(words ...string) map[string][]string { return map[string][]string{"zh": words} }
	tags := []*cipmap.Tag{
		{ID: "robots", Keywords: kw("机器人")},
		{ID: "robots.industrial", Parent: "robots", Keywords: kw("机器人", "工业机器人")},
		{ID: "chips", Keywords: kw("芯片")},
		{ID: "ai", Keywords: kw("芯片", "人工智能")},
		{ID: "pv", Keywords: kw("光伏")},
	}
	tg, err := New(tags, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		text     string
		want     []string
		evidence []string // of the first tag
	}{
		// 机器人 (3) is robots.industrial's, once; 光伏 2.
		{"机器人光伏", []string{"robots.industrial=0.6", "pv=0.4"}, []string{"机器人"}},
		// 芯片 (2) is split: 1 each, against 光伏 2.
		{"芯片光伏", []string{"pv=0.5", "ai=0.25", "chips=0.25"}, []string{"光伏"}},
	} {
		r := tg.Tag(c.text)
		if got := tagsOf(r); !reflect.DeepEqual(got, c.want) {
			t.Errorf("Tag(%q) = %v, want %v", c.text, got, c.want)
			continue
		}
		if got := evidenceOf(r, r.Tags[0].Tag); !reflect.DeepEqual(got, c.evidence) {
			t.Errorf("Tag(%q): evidence %q, want %q", c.text, got, c.evidence)
		}
	}
}

// TestConcurrentUse tags from several goroutines while the child weights change.
func TestConcurrentUse(t *testing.T) {
	tg := newTestTagger(t)
	texts := genLabels(2000, zhKeywords(testTree()), 5)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			if err := tg.SetChildWeights("energy", map[string]float64{"energy.pv": float64(i + 1), "energy.wind": 1}); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for range 3 {
		for _, r := range tg.TagMany(texts, 4) {
			checkWeights(t, r)
		}
	}
	<-done
}
