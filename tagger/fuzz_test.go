package tagger

import (
	"math"
	"testing"
	"unicode/utf8"
)

// FuzzTag checks that no text makes Tag panic, that evidence offsets fall inside
// the original text on its rune boundaries (as `for i := range text` sees them,
// invalid bytes one by one), and that weights sum to 1 or are empty.
func FuzzTag(f *testing.F) {
	for _, s := range []string{
		"", "工业机器人用精密减速器", "工業機器人用精密減速器", "precision reducers for industrial robots",
		"ＡＩ芯片 said every EVs 5G基站", "电池，不包括铅酸电池", "销售电池（铅酸电池除外）", "扫地机器人",
		"新能源", "cafe\u0301 ai", "a\xffb\xe4\xb8", "㈱中介軟體", "robo\u00ADts\n\n不含 光伏、风电",
		"机器人、工业机器人、伺服电机、光伏", "\u0301\u0301工业机器人", "积体电路 積體電路設計",
	} {
		f.Add(s)
	}
	tg := newTestTagger(f)
	f.Fuzz(func(t *testing.T, text string) {
		r := tg.Tag(text)
		if r.Text != text || r.Method != MethodRule {
			t.Fatalf("Text %q, Method %q", r.Text, r.Method)
		}
		boundary := map[int]bool{len(text): true}
		for i := range text {
			boundary[i] = true
		}
		sum := 0.0
		for _, w := range r.Tags {
			sum += w.Weight
			if len(w.Evidence) == 0 {
				t.Errorf("%s has no evidence", w.Tag)
			}
			for _, e := range w.Evidence {
				if e.Start < 0 || e.End > len(text) || e.Start >= e.End || !boundary[e.Start] || !boundary[e.End] {
					t.Fatalf("evidence %+v of %s is not a span of %q on rune boundaries", e, w.Tag, text)
				}
			}
		}
		if len(r.Tags) > 0 && math.Abs(sum-1) > 1e-9 {
			t.Fatalf("weights sum to %v: %+v", sum, r.Tags)
		}
		if r.Confidence < 0 || r.Confidence > 1 || math.IsNaN(r.Confidence) {
			t.Fatalf("confidence %v", r.Confidence)
		}
		for _, in := range r.Inner {
			s := 0.0
			for _, c := range in.Children {
				s += c.Weight
			}
			if math.Abs(s-1) > 1e-9 {
				t.Fatalf("children of %s sum to %v", in.Tag, s)
			}
		}
		if folded := tg.Fold(text); !utf8.ValidString(folded) {
			t.Fatalf("Fold(%q) = %q is not valid UTF-8", text, folded)
		}
	})
}
