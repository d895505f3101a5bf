package resolve

import (
	"bufio"
	"bytes"
	_ "embed"
	"sort"
	"strings"
	"sync"
)

//go:embed data/industry-concepts.tsv
var industryConceptsTSV []byte

// industryTable maps industry words, Chinese and English, to concepts.
type industryTable struct {
	zh    map[string]string
	en    map[string]string
	maxZh int // runes of the longest Chinese word
	maxEn int // tokens of the longest English phrase
}

var industries = sync.OnceValue(func() *industryTable {
	t := &industryTable{zh: map[string]string{}, en: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(industryConceptsTSV))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 3 {
			panic("resolve: data/industry-concepts.tsv: want 3 tab-separated fields: " + line)
		}
		for _, w := range strings.Split(f[1], ",") {
			t.zh[w] = f[0]
			t.maxZh = max(t.maxZh, len([]rune(w)))
		}
		for _, w := range strings.Split(f[2], ",") {
			t.en[w] = f[0]
			t.maxEn = max(t.maxEn, len(strings.Fields(w)))
			// Pinyin and English phrases also count written together.
			t.en[strings.ReplaceAll(w, " ", "")] = f[0]
		}
	}
	return t
})

// industryConcepts returns the concepts of a name's industry words, sorted and
// joined by "+", or "" when none is known: 科技 → "technology", 集成电路制造 →
// "manufacturing+semiconductor", "science technology" → "technology".
func industryConcepts(industry string, zh bool) string {
	if industry == "" {
		return ""
	}
	t := industries()
	set := map[string]bool{}
	if zh {
		rs := []rune(industry)
		for i := 0; i < len(rs); {
			n := min(t.maxZh, len(rs)-i)
			for ; n >= 2; n-- {
				if c, ok := t.zh[string(rs[i:i+n])]; ok {
					set[c] = true
					break
				}
			}
			if n < 2 {
				n = 1
			}
			i += n
		}
	} else {
		ws := strings.Fields(industry)
		for i := 0; i < len(ws); {
			n := min(t.maxEn, len(ws)-i)
			for ; n >= 1; n-- {
				if c, ok := t.en[strings.Join(ws[i:i+n], " ")]; ok {
					set[c] = true
					break
				}
			}
			if n < 1 {
				n = 1
			}
			i += n
		}
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	sort.Strings(out)
	return strings.Join(out, "+")
}

// splitPinyinIndustry takes industry words written in pinyin or English off the end
// of a Latin trade name that firmname could not split ("tongze keji", "guoxunshuju",
// as names given in pinyin only are written): it returns the trade name without
// them (no spaces) and the words, or the name whole and "" when none ends it or less
// than three letters would be left.
func splitPinyinIndustry(trade string) (rest, industry string) {
	t := industries()
	joined := strings.ReplaceAll(trade, " ", "")
	// Legal forms and group markers in pinyin (GUFEN YOUXIAN GONGSI) first.
	for again := true; again; {
		again = false
		for _, f := range pinyinForms {
			if strings.HasSuffix(joined, f) && len(joined)-len(f) >= 3 {
				joined, again = joined[:len(joined)-len(f)], true
			}
		}
	}
	best := ""
	for w := range t.en {
		ww := strings.ReplaceAll(w, " ", "")
		if len(ww) >= 4 && len(ww) > len(best) && strings.HasSuffix(joined, ww) && len(joined)-len(ww) >= 3 {
			best = ww
		}
	}
	if best == "" {
		return joined, ""
	}
	return joined[:len(joined)-len(best)], best
}

// pinyinForms are legal forms and group markers written in pinyin, longest first.
var pinyinForms = []string{"gufenyouxiangongsi", "youxianzerengongsi", "youxiangongsi", "gufengongsi", "youxianhehuo", "jituan", "gongsi", "konggu"}
