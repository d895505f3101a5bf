package firmname

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse checks that no input makes Parse panic, that every field is valid
// UTF-8, that a name without a folded form is empty, and that Parse is
// idempotent: parsing a name's Folded form gives the same name again.
func FuzzParse(f *testing.F) {
	for _, s := range benchNames {
		f.Add(s)
	}
	for _, s := range []string{"", " ", "N/A", "（）", "(", ")(", "[北京]", "有限公司", "深圳", "深圳市",
		"中国", "北京市海淀区", "Co., Ltd.", "L.L.C.", "Xi'an", "'", "&", "\xff\xfe", "華為\u200b技術",
		"ＨＵＡＷＥＩ", "İSTANBUL", "ǅ", "株式会社", "분점", "银行(北京)", "((北京))有限公司"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := Parse(s)
		for _, v := range []string{n.Folded, string(n.Script), n.Region, n.TradeName, n.Industry,
			n.LegalForm, n.Branch, n.Pinyin, n.Key} {
			if !utf8.ValidString(v) {
				t.Fatalf("Parse(%q): invalid UTF-8 in %+v", s, n)
			}
		}
		for _, w := range n.Tokens {
			if !utf8.ValidString(w) || w == "" {
				t.Fatalf("Parse(%q): bad token %q", s, w)
			}
		}
		if n.Folded == "" {
			if !equalNames(n, Name{Raw: s}) {
				t.Fatalf("Parse(%q) has no folded form but %+v", s, n)
			}
			return
		}
		again := Parse(n.Folded)
		again.Raw = n.Raw
		if !equalNames(again, n) {
			t.Fatalf("Parse(%q)\n       = %+v\nParse(%q)\n       = %+v", s, n, n.Folded, again)
		}
		if n.Script != Latin && !slices.Equal(n.Tokens, nil) {
			t.Fatalf("Parse(%q): a Chinese name with tokens %q", s, n.Tokens)
		}
	})
}

// TestParseRandomNames runs the checks of FuzzParse and FuzzFold on names put together from
// the pieces firm names are made of (regions, trade names, industry words, legal
// forms, brackets, traditional and full-width characters), which random bytes
// seldom hit.
func TestParseRandomNames(t *testing.T) {
	pieces := []string{"深圳市", "北京", "广东省", "(上海)", "（北京）", "【中国】", "華為", "华为", "腾讯", "長安",
		"技术", "科技", "計算機系統", "集成电路", "制造", "银行", "有限公司", "股份有限公司", "有限責任公司", "集团",
		"(集团)", "控股", "(有限合伙)", "合伙企业", "分行", "北京分公司", "(已注销)", "海淀区", "区块链", " ", "　",
		"Huawei", "TECH", "Co.,", "Ltd.", "GRP", "(Shenzhen)", "Hong", "Kong", "&", "'", "-", "ＡＢＣ", "国家",
		"中国", "大理石", "阿里", "重庆", "银行行长", "乐", "İ", "ǅ", "\u200b", "(", ")", "[", "]"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(7) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		s := b.String()
		if got, want := mustLoad().fold(s), mustLoad().foldSlow(s); got != want {
			t.Fatalf("fold(%q) = %q, the full folding gives %q", s, got, want)
		}
		n := Parse(s)
		if n.Folded == "" {
			continue
		}
		again := Parse(n.Folded)
		again.Raw = n.Raw
		if !equalNames(again, n) {
			t.Fatalf("Parse(%q)\n       = %+v\nParse(%q)\n       = %+v", s, n, n.Folded, again)
		}
	}
}

// FuzzFold checks that the fast paths of the folding give what the full folding
// gives.
func FuzzFold(f *testing.F) {
	for _, s := range benchNames {
		f.Add(s)
	}
	for _, s := range []string{"", " ", "ＨＵＡＷＥＩ　ＴＥＣＨ", "华为 技术", "a  b", " a", "（北京）", "［北京］",
		"Ａ（", "华为\t技术", "華為", "ａ　　ｂ", "（ 北京 ）", "x\u3000(y)"} {
		f.Add(s)
	}
	tb := mustLoad()
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := tb.fold(s), tb.foldSlow(s); got != want {
			t.Fatalf("fold(%q) = %q, the full folding gives %q", s, got, want)
		}
	})
}
