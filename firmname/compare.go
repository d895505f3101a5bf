package firmname

// CompareCrossScript scores how well two names' trade names agree as written in
// Latin letters, from 0 to 1: it is meant for a Chinese name against an English
// one (华为技术有限公司 against HUAWEI TECH CO LTD scores 1: the pinyin of 华为 is
// huawei), but takes any two names (see LatinTradeName). The score is one minus
// the edit distance between the two forms divided by the longer one's length,
// with v and u taken as one letter (the pinyin of ü is written either way).
//
// It detects transliteration, not translation: 中芯国际 against Semiconductor
// Manufacturing International (the English name translates the Chinese one) scores
// low, as does 中国银行 against Bank of China; so do initialisms (SMIC, DJI) and
// romanisations other than Hanyu Pinyin (Cantonese Cheung Kong for 长江, Wade-Giles
// Tsingtao for 青岛). A low score is thus no evidence that two names differ, only
// the absence of evidence that they agree. Either name without a trade name
// scores 0.
func CompareCrossScript(zh, en Name) float64 {
	a, b := zh.LatinTradeName(), en.LatinTradeName()
	if a == "" || b == "" {
		return 0
	}
	return similarity(a, b)
}

// similarity is 1 - levenshtein(a, b) / max(len(a), len(b)) over runes, with v
// read as u.
func similarity(a, b string) float64 {
	x, y := latinRunes(a), latinRunes(b)
	if len(x) < len(y) {
		x, y = y, x
	}
	if len(x) == 0 {
		return 0
	}
	// One row of the dynamic programme, over the shorter string.
	row := make([]int, len(y)+1)
	for j := range row {
		row[j] = j
	}
	for i := 1; i <= len(x); i++ {
		prev := row[0]
		row[0] = i
		for j := 1; j <= len(y); j++ {
			cur := row[j]
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			row[j] = min(row[j]+1, row[j-1]+1, prev+cost)
			prev = cur
		}
	}
	return 1 - float64(row[len(y)])/float64(len(x))
}

func latinRunes(s string) []rune {
	out := []rune(s)
	for i, r := range out {
		if r == 'v' || r == 'ü' {
			out[i] = 'u'
		}
	}
	return out
}
