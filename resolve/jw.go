package resolve

// jaroWinkler returns the Jaro-Winkler similarity of a and b in [0, 1], on runes,
// with the usual prefix scale 0.1 over at most four runes. It uses the caller's
// scratch flags so that it allocates nothing: it runs on every candidate pair, tens
// of millions of times in a large resolve (a library such as go-edlib converts its
// strings to runes and allocates on each call).
func jaroWinkler(a, b []rune, flags []bool) (float64, []bool) {
	if len(a) == 0 || len(b) == 0 {
		if len(a) == len(b) {
			return 1, flags
		}
		return 0, flags
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	n := len(a) + len(b)
	if cap(flags) < n {
		flags = make([]bool, n)
	}
	flags = flags[:n]
	clear(flags)
	am, bm := flags[:len(a)], flags[len(a):]
	window := len(b)/2 - 1
	if window < 0 {
		window = 0
	}
	matches := 0
	for i, r := range a {
		lo, hi := i-window, i+window+1
		if lo < 0 {
			lo = 0
		}
		if hi > len(b) {
			hi = len(b)
		}
		for j := lo; j < hi; j++ {
			if !bm[j] && b[j] == r {
				am[i], bm[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0, flags
	}
	t, k := 0, 0
	for i := range a {
		if !am[i] {
			continue
		}
		for !bm[k] {
			k++
		}
		if a[i] != b[k] {
			t++
		}
		k++
	}
	m := float64(matches)
	jaro := (m/float64(len(a)) + m/float64(len(b)) + (m-float64(t)/2)/m) / 3
	prefix := 0
	for prefix < 4 && prefix < len(a) && a[prefix] == b[prefix] {
		prefix++
	}
	return jaro + float64(prefix)*0.1*(1-jaro), flags
}
