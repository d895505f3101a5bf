package tagger

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folded is a text after folding, one rune at a time, with where each rune came
// from: the bytes [start[i], end[i]) of the original text. A rune that folding made
// out of several (an NFKC expansion, a converted phrase of another length) carries
// the span of all of them, so evidence offsets always fall on the original text's
// rune boundaries.
type folded struct {
	r          []rune
	start, end []int
	// words is set by foldBasic when the text holds ASCII letters, digits, hyphens
	// or underscores, the runes foldWords works on.
	words bool
}

func (f *folded) reset() {
	f.r, f.start, f.end = f.r[:0], f.start[:0], f.end[:0]
	f.words = false
}

func (f *folded) push(r rune, start, end int) {
	f.r = append(f.r, r)
	f.start = append(f.start, start)
	f.end = append(f.end, end)
}

// foldBasic appends to dst the first stage of folding of s:
//
//   - Unicode NFKC, so full-width letters, digits and punctuation become ASCII
//     ("ＡＩ芯片" → "AI芯片", "（" → "(") and compatibility ideographs become unified
//     ones;
//   - lower case, for Latin, Greek and Cyrillic letters;
//   - the invisible U+00AD, U+200B, U+2060 and U+FEFF removed;
//   - each run of whitespace made one space, or one line break "\n" if it holds a
//     line break (negation scopes end there), dropped at the ends of the text, and
//     dropped between two Han characters, where Chinese puts no space ("工业 机器人"
//     is 工业机器人);
//   - each invalid UTF-8 byte made U+FFFD.
//
// NFKC is applied one normalisation segment at a time (a starter and the marks that
// combine with it), which gives the same result as normalising the whole text and
// lets each output rune keep its segment's span. ASCII and CJK ideographs followed
// by a starter, nearly all of a label's runes, take a fast path.
func foldBasic(dst *folded, s string) {
	var ws wsRun
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if nextBoundary(s, i+1) {
				emit(dst, &ws, lower(rune(c)), i, i+1)
				i++
				continue
			}
		} else if c >= 0xE3 && c <= 0xE9 {
			// Most of a Chinese text is CJK ideographs, three bytes each in UTF-8:
			// a run of them, each followed by a segment boundary, is decoded and
			// appended here.
			if ws.pending {
				if j := cjkEnd(s, i); j > i {
					r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
					emit(dst, &ws, r, i, j)
					i = j
					continue
				}
			}
			if j := appendCJK(dst, s, i); j > i {
				i = j
				continue
			}
		}
		r, size := decodeRune(s[i:])
		if simple(r, size) && nextBoundary(s, i+size) {
			emit(dst, &ws, lower(r), i, i+size)
			i += size
			continue
		}
		k := segmentEnd(s, i+size)
		for _, nr := range norm.NFKC.String(s[i:k]) {
			emit(dst, &ws, lower(nr), i, k)
		}
		i = k
	}
}

// cjkEnd returns i+3 if s[i:i+3] is a CJK ideograph (see inert) followed by a
// normalisation segment boundary, else i.
func cjkEnd(s string, i int) int {
	j := i + 3
	if j > len(s) || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
		return i
	}
	r := rune(s[i]&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
	if !inert(r) || !nextBoundary(s, j) {
		return i
	}
	return j
}

// appendCJK appends to dst the run of CJK ideographs, each followed by a segment
// boundary, that begins at s[i:], and returns where it ends.
func appendCJK(dst *folded, s string, i int) int {
	rs, st, en := dst.r, dst.start, dst.end
	for i+2 < len(s) {
		c := s[i]
		if c < 0xE3 || c > 0xE9 || s[i+1]&0xC0 != 0x80 || s[i+2]&0xC0 != 0x80 {
			break
		}
		r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
		if !inert(r) || !nextBoundary(s, i+3) {
			break
		}
		rs, st, en = append(rs, r), append(st, i), append(en, i+3)
		i += 3
	}
	dst.r, dst.start, dst.end = rs, st, en
	return i
}

// nextBoundary reports whether a normalisation segment begins at s[j:] (or s ends
// there), with a quick answer for ASCII and for the ideographs U+4000–U+9FFF.
func nextBoundary(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	if c := s[j]; c < utf8.RuneSelf || (c >= 0xE4 && c <= 0xE9) {
		return true
	}
	return boundaryBefore(s[j:])
}

// decodeRune is utf8.DecodeRuneInString with the ASCII case inlined.
func decodeRune(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}

// simple reports whether the rune r, of size bytes, is one that NFKC leaves alone
// and that begins a normalisation segment: ASCII, a CJK ideograph, or an invalid
// byte (which foldBasic keeps as U+FFFD).
func simple(r rune, size int) bool {
	return r < utf8.RuneSelf || inert(r) || (r == utf8.RuneError && size == 1)
}

// inert reports whether r is a CJK ideograph that NFKC leaves alone.
func inert(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF)
}

// boundaryBefore reports whether the text s (non-empty) begins a new normalisation
// segment: its first rune neither combines with nor reorders around what precedes.
func boundaryBefore(s string) bool {
	if s[0] < utf8.RuneSelf {
		return true
	}
	r, size := utf8.DecodeRuneInString(s)
	if inert(r) || (r == utf8.RuneError && size == 1) {
		return true
	}
	return norm.NFKC.PropertiesString(s).BoundaryBefore()
}

// segmentEnd returns the end of the normalisation segment of s that has its first
// rune end at i.
func segmentEnd(s string, i int) int {
	for i < len(s) && !boundaryBefore(s[i:]) {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return i
}

// lower returns the lower case of r for alphabetic scripts; Han and the rest are
// left alone (and skipped quickly).
func lower(r rune) rune {
	switch {
	case 'A' <= r && r <= 'Z':
		return r + 'a' - 'A'
	case r < 0x80 || r >= 0x2E80:
		return r
	}
	return unicode.ToLower(r)
}

// wsRun is a run of whitespace that foldBasic has seen but not yet emitted.
type wsRun struct {
	pending, newline bool
	start, end       int
}

func emit(dst *folded, ws *wsRun, r rune, start, end int) {
	switch {
	case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
		ws.add(start, end, true)
		return
	case r == ' ' || r == '\t' || (r >= 0x80 && r < 0x3001 && unicode.IsSpace(r)) || r == '\v' || r == '\f':
		ws.add(start, end, false)
		return
	case r == '\u00AD' || r == '\u200B' || r == '\u2060' || r == '\uFEFF':
		return
	}
	if r < 0x80 && (isASCIIAlnum(r) || r == '-' || r == '_') {
		dst.words = true
	}
	if ws.pending {
		if n := len(dst.r); n > 0 {
			switch {
			case ws.newline:
				dst.push('\n', ws.start, ws.end)
			case !(isHan(dst.r[n-1]) && isHan(r)):
				dst.push(' ', ws.start, ws.end)
			}
		}
		ws.pending, ws.newline = false, false
	}
	dst.push(r, start, end)
}

func (ws *wsRun) add(start, end int, newline bool) {
	if !ws.pending {
		ws.pending, ws.start = true, start
	}
	ws.end = end
	ws.newline = ws.newline || newline
}

// isHan reports whether r is a Han character (the CJK unified ideographs, their
// extensions and the compatibility ideographs).
func isHan(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) ||
		(r >= 0xF900 && r <= 0xFAFF) || (r >= 0x20000 && r <= 0x323AF)
}

// isWord reports whether r is part of a word of an alphabetic script: an ASCII
// letter or digit, or a letter or digit of Latin, Greek, Cyrillic and the other
// scripts below the CJK blocks. Keywords that begin or end with such a rune match
// only at word boundaries. Han, kana and Hangul are not word runes: Chinese is
// matched without segmentation.
func isWord(r rune) bool {
	if uint32(r) < 0x80 {
		return asciiWord[r]
	}
	return r < 0x2E80 && r > 0 && isWordSlow(r)
}

func isWordSlow(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// asciiWord[c] is isWord(c) for ASCII.
var asciiWord = func() (t [0x80]bool) {
	for c := range t {
		t[c] = ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || ('A' <= c && c <= 'Z')
	}
	return t
}()

func isASCIIAlnum(r rune) bool {
	return ('a' <= r && r <= 'z') || ('0' <= r && r <= '9')
}

// foldWords is the last stage of folding, on the lower-cased text: an ASCII hyphen
// or underscore between two ASCII letters or digits becomes a space ("lithium-ion"
// is "lithium ion"), and each ASCII word (a run of letters and digits) is made
// singular by foldPlural. It works in place: both only shorten the text.
func foldWords(f *folded) {
	n, w := len(f.r), 0
	for i := 0; i < n; {
		r := f.r[i]
		if !isASCIIAlnum(r) {
			if (r == '-' || r == '_') && w > 0 && isASCIIAlnum(f.r[w-1]) && i+1 < n && isASCIIAlnum(f.r[i+1]) {
				r = ' '
			}
			f.r[w], f.start[w], f.end[w] = r, f.start[i], f.end[i]
			w++
			i++
			continue
		}
		j := i + 1
		for j < n && isASCIIAlnum(f.r[j]) {
			j++
		}
		keep, suffix := j-i, ""
		if j-i >= 3 && j-i <= maxWord && f.r[j-1] == 's' {
			var buf [maxWord]byte
			for k := i; k < j; k++ {
				buf[k-i] = byte(f.r[k])
			}
			keep, suffix = singular(buf[:j-i])
		}
		wordEnd := f.end[j-1]
		for k := i; k < i+keep; k++ {
			f.r[w], f.start[w], f.end[w] = f.r[k], f.start[k], f.end[k]
			w++
		}
		if suffix == "" {
			f.end[w-1] = wordEnd // "robots" folds to "robot" and keeps its span
		} else {
			s := f.start[i+keep]
			for k := 0; k < len(suffix); k++ {
				f.r[w], f.start[w], f.end[w] = rune(suffix[k]), s, wordEnd
				w++
			}
		}
		i = j
	}
	f.r, f.start, f.end = f.r[:w], f.start[:w], f.end[:w]
}

// maxWord is the longest word foldPlural looks at; longer runs of letters are not
// English words.
const maxWord = 32

// FoldPlural returns the singular of a lower-case English word by the rules the
// tagger folds both keywords and text with. The rules are few and conservative, so
// that a keyword and the text fold alike rather than to dictionary forms:
//
//   - words shorter than three letters, words ending in -ss, -us or -is (process,
//     bus, analysis, chassis), and a list of others (gas, its, news, lens, series)
//     are left alone;
//   - a few irregular plurals map to their singular (analyses → analysis, axes →
//     axis, gases → gas, caches → cache);
//   - -ies becomes -y in words of five letters or more (batteries → battery; dies →
//     die by the last rule);
//   - -sses, -xes, -ches, -shes and -zzes lose -es (processes → process, switches →
//     switch);
//   - any other final -s is dropped (robots → robot, chips → chip, EVs → ev).
func FoldPlural(word string) string {
	if len(word) < 3 || len(word) > maxWord || word[len(word)-1] != 's' {
		return word
	}
	keep, suffix := singular([]byte(word))
	return word[:keep] + suffix
}

// singular applies the rules of FoldPlural to w, which ends in 's' and has 3 to
// maxWord bytes: the singular is w[:keep] + suffix.
func singular(w []byte) (keep int, suffix string) {
	n := len(w)
	if pluralKeep[string(w)] {
		return n, ""
	}
	if s, ok := pluralIrregular[string(w)]; ok {
		k := 0
		for k < len(s) && s[k] == w[k] {
			k++
		}
		return k, s[k:]
	}
	prev := w[n-2]
	switch {
	case prev == 's' || prev == 'u' || prev == 'i':
		return n, ""
	case n >= 5 && prev == 'e' && w[n-3] == 'i':
		return n - 3, "y"
	case n >= 4 && prev == 'e' && (w[n-3] == 'x' || (w[n-3] == 's' && w[n-4] == 's') ||
		(w[n-3] == 'h' && (w[n-4] == 'c' || w[n-4] == 's')) || (w[n-3] == 'z' && w[n-4] == 'z')):
		return n - 2, ""
	}
	return n - 1, ""
}

// pluralKeep lists words ending in s that are not plurals, or whose folding would
// make them another keyword ("its" would become "it").
var pluralKeep = map[string]bool{
	"gas": true, "its": true, "has": true, "was": true, "yes": true, "this": true,
	"thus": true, "plus": true, "news": true, "lens": true, "series": true,
	"species": true, "always": true, "perhaps": true, "whereas": true, "does": true,
	// Acronyms, kept whole so that they read as written.
	"gps": true, "mems": true, "bms": true, "abs": true, "eps": true, "ups": true,
	"sms": true, "ios": true, "saas": true, "paas": true, "iaas": true, "maas": true,
}

// pluralIrregular maps plurals the rules get wrong to their singular. Every entry
// is no longer than its key, so folding never lengthens the text.
var pluralIrregular = map[string]string{
	"analyses": "analysis", "diagnoses": "diagnosis", "syntheses": "synthesis",
	"theses": "thesis", "crises": "crisis", "axes": "axis", "gases": "gas",
	"buses": "bus", "lenses": "lens", "caches": "cache", "niches": "niche",
	"movies": "movie", "cookies": "cookie", "indices": "index", "matrices": "matrix",
	"vertices": "vertex", "apexes": "apex", "statuses": "status", "viruses": "virus",
	"campuses": "campus", "consensuses": "consensus", "biases": "bias",
	"aliases": "alias", "canvases": "canvas", "atlases": "atlas",
}
