package tagger

import (
	"reflect"
	"testing"
)

// matchWords returns the words of keywords that dict.longest finds in text, both
// folded, in order.
func matchWords(t *testing.T, keywords []string, text string) []string {
	t.Helper()
	b := newDictBuilder()
	var folded []string
	for i, k := range keywords {
		f := foldTest(t, k)
		b.add(f.r, int32(i))
		folded = append(folded, string(f.r))
	}
	d, err := b.build()
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	s := foldTest(t, text).r
	for _, sp := range d.longest(s, nil) {
		if w := string(s[sp.start:sp.end]); w != folded[sp.key] {
			t.Errorf("span %q has key %q", w, folded[sp.key])
		}
		got = append(got, folded[sp.key])
	}
	return got
}

func TestLongest(t *testing.T) {
	kw := []string{"机器人", "工业机器人", "减速器", "精密减速器", "新能源", "新能源汽车", "能源汽车", "汽车", "电池"}
	for _, c := range []struct {
		text string
		want []string
	}{
		// The longest keyword at each start, not the keywords inside it.
		{"工业机器人用精密减速器", []string{"工业机器人", "精密减速器"}},
		{"工業機器人用精密減速器", []string{"工业机器人", "精密减速器"}},
		{"服务机器人用减速器", []string{"机器人", "减速器"}},
		{"新能源汽车电池", []string{"新能源汽车", "电池"}},
		// Leftmost first: 新能源 starts before 能源汽车 and wins over it.
		{"新能源汽", []string{"新能源"}},
		{"能源汽车", []string{"能源汽车"}},
		// Non-overlapping: after 工业机器人 the scan resumes after it.
		{"工业机器人机器人", []string{"工业机器人", "机器人"}},
		{"无关文本", []string{}},
		{"", []string{}},
	} {
		if got := matchWords(t, kw, c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("longest(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestWordBoundaries(t *testing.T) {
	kw := []string{"ai", "5g", "ev", "solar", "solar cell", "it", "ai芯片"}
	for _, c := range []struct {
		text string
		want []string
	}{
		{"said", []string{}},
		{"chair", []string{}},
		{"AI", []string{"ai"}},
		{"AI, said the chair", []string{"ai"}},
		{"ＡＩ芯片", []string{"ai芯片"}}, // a keyword can mix scripts
		{"AI 芯片", []string{"ai"}},
		{"5G基站", []string{"5g"}},
		{"5G", []string{"5g"}},
		{"45g", []string{}},
		{"every", []string{}},
		{"EVs and EV", []string{"ev", "ev"}},
		{"新能源EV车", []string{"ev"}},
		// A longer keyword that fails the boundary test falls back to a shorter one.
		{"solar cellular", []string{"solar"}},
		{"solar cells", []string{"solar cell"}},
		{"its", []string{}},
		{"IT服务", []string{"it"}},
		{"café ai", []string{"ai"}},
		{"caféai", []string{}},
	} {
		if got := matchWords(t, kw, c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("longest(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// TestDictAll checks the scan for exclusion terms: every occurrence, overlapping
// ones included.
func TestDictAll(t *testing.T) {
	b := newDictBuilder()
	for i, k := range []string{"铅酸电池", "电池", "ab"} {
		b.add([]rune(k), int32(i))
	}
	d, err := b.build()
	if err != nil {
		t.Fatal(err)
	}
	got := d.all([]rune("铅酸电池 abc ab"), nil)
	want := []span{{0, 4, 0}, {2, 4, 1}, {9, 11, 2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("all = %v, want %v", got, want)
	}
}
