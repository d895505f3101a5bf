package resolve

import (
	"slices"
	"unicode/utf8"
)

// Name similarity thresholds (Jaro-Winkler) of the levels "similar" and
// "somewhat similar".
const (
	similar  = 0.92
	somewhat = 0.80
)

// compare computes the comparison levels of two prepared records.
func compare(a, b *prep, scratch []bool) (pattern, []bool) {
	var p pattern
	var lv int
	lv, scratch = compareNames(a.names, b.names, scratch)
	p.set(cName, lv)
	p.set(cRegion, compareRegion(a, b))
	p.set(cFounded, compareFounded(a.founded, b.founded))
	switch {
	case a.rep == "" || b.rep == "":
	case a.rep == b.rep:
		p.set(cRep, 1)
	default:
		p.set(cRep, 2)
	}
	if len(a.addr) > 0 && len(b.addr) > 0 {
		var s float64
		s, scratch = jaroWinkler(a.addr, b.addr, scratch)
		switch {
		case s >= 0.9:
			p.set(cAddress, 1)
		case s >= 0.75:
			p.set(cAddress, 2)
		default:
			p.set(cAddress, 3)
		}
	}
	return p, scratch
}

// compareNames gives the best level over all pairs of the two records' names:
// 1 the same full name, 2 the same name without region and legal form (or, across
// scripts, a trade name that reads the same with industry words that mean the
// same: 华为技术 and Huawei Technologies), 3 the same trade name, 4 the same sound
// (the pinyin of a Chinese trade name equals a Latin one, or two Chinese trade
// names read alike), 5 one character apart (in Chinese, the names without region
// and legal form, of at least four characters, differ by one character added,
// dropped or changed: 信星集成路 and 信星集成电路, 明科伟机器 and 明科伟机器人), 6 similar
// (one trade name begins or ends the other, see contains, or by Jaro-Winkler), 7
// somewhat similar (Jaro-Winkler of the trade names, or of their Latin forms across
// scripts), 8 different; 0 if either record has no name.
func compareNames(as, bs []pname, scratch []bool) (int, []bool) {
	if len(as) == 0 || len(bs) == 0 {
		return 0, scratch
	}
	best := 8
	for i := range as {
		for j := range bs {
			var lv int
			lv, scratch = compareName(&as[i], &bs[j], scratch)
			if lv < best {
				best = lv
				if best == 1 {
					return 1, scratch
				}
			}
		}
	}
	return best, scratch
}

func compareName(a, b *pname, scratch []bool) (int, []bool) {
	if a.full == b.full {
		return 1, scratch
	}
	if a.key != "" && a.key == b.key {
		return 2, scratch
	}
	sameScript := a.zh == b.zh
	if sameScript && len(a.trade) > 0 && slices.Equal(a.trade, b.trade) {
		return 3, scratch
	}
	if len(a.latin) > 0 && slices.Equal(a.latin, b.latin) {
		if !sameScript && a.industry != "" && a.industry == b.industry {
			return 2, scratch
		}
		return 4, scratch
	}
	var s float64
	if sameScript && a.zh && oneEdit(a.key, b.key) {
		return 5, scratch
	}
	if sameScript {
		if contains(a.trade, b.trade) {
			return 6, scratch
		}
		s, scratch = jaroWinkler(a.trade, b.trade, scratch)
	}
	if len(a.latin) > 0 && len(b.latin) > 0 {
		var t float64
		t, scratch = jaroWinkler(a.latin, b.latin, scratch)
		if !sameScript || t > s {
			s = t
		}
	}
	switch {
	case s >= similar:
		return 6, scratch
	case s >= somewhat:
		return 7, scratch
	}
	return 8, scratch
}

// oneEdit reports whether two names of at least four characters each differ by
// one character added, dropped or changed. It allocates nothing: it runs on tens of
// millions of pairs.
func oneEdit(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	na, nb := utf8.RuneCountInString(a), utf8.RuneCountInString(b)
	if na > nb {
		a, b, na, nb = b, a, nb, na
	}
	if na < 4 || nb-na > 1 {
		return false
	}
	i := 0
	for i < len(a) {
		ra, sa := utf8.DecodeRuneInString(a[i:])
		rb, sb := utf8.DecodeRuneInString(b[i:])
		if ra != rb || sa != sb {
			break
		}
		i += sa
	}
	if i == len(a) {
		return nb == na+1
	}
	_, sa := utf8.DecodeRuneInString(a[i:])
	_, sb := utf8.DecodeRuneInString(b[i:])
	if na == nb {
		return a[i+sa:] == b[i+sb:]
	}
	return a[i:] == b[i+sb:]
}

// compareRegion: 1 the same city, 2 the same province, 3 different provinces, 0 if
// either province is unknown.
func compareRegion(a, b *prep) int {
	if a.province == "" || b.province == "" {
		return 0
	}
	if a.province != b.province {
		return 3
	}
	if a.city != "" && a.city == b.city {
		return 1
	}
	return 2
}

// compareFounded: 1 the same date, 2 the same year, 3 different, 0 if either is
// unknown.
func compareFounded(a, b string) int {
	if len(a) < 4 || len(b) < 4 {
		return 0
	}
	switch {
	case a == b:
		return 1
	case a[:4] == b[:4]:
		return 2
	}
	return 3
}

// contains reports whether the shorter of two trade names, of at least three
// characters, begins or ends the longer, which is at most twice as long: a name
// that lost or gained characters at one end (科卫泰 and 圳市科卫泰, 四范式 and 第四范式,
// 航天系统科学 and 航天系统科学与工程研究院). Jaro-Winkler, which weighs the start
// most, misses these.
func contains(a, b []rune) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	if len(a) < 3 || len(b) > 2*len(a) || len(a) == len(b) {
		return false
	}
	return slices.Equal(b[:len(a)], a) || slices.Equal(b[len(b)-len(a):], a)
}
