package policy

import "unicode/utf8"

// foldRune folds one rune for matching: full-width ASCII forms (Ａ, １, （) become
// ASCII, the ideographic space a space, and ASCII letters lower case. Everything
// else, Han characters included, is returned unchanged. The standard library has
// no NFKC, and these are the compatibility forms Chinese policy texts carry.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
	case r == 0x3000 || r == 0x00A0:
		r = ' '
	}
	if r >= 'A' && r <= 'Z' {
		r += 'a' - 'A'
	}
	return r
}

// foldString returns s with every rune folded by foldRune.
func foldString(s string) string {
	b := make([]rune, 0, len(s))
	for _, r := range s {
		b = append(b, foldRune(r))
	}
	return string(b)
}

// isSpace reports whether r is white space, ASCII or Unicode (after folding the
// ideographic space is an ASCII one).
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\n', '\r', '\v', '\f', 0x85, 0x2028, 0x2029, 0x200B, 0xFEFF:
		return true
	}
	return false
}

// isHan reports whether r is a CJK unified ideograph (basic block or extension A),
// the characters of Chinese issuer names and document-number codes.
func isHan(r rune) bool {
	return (r >= 0x4E00 && r <= 0x9FFF) || (r >= 0x3400 && r <= 0x4DBF) || r == '〇'
}

// isWordRune reports whether r is an ASCII letter or digit: English keywords match
// only where the runes either side are not.
func isWordRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
}

// folded is a text folded rune by rune for matching, with the byte span of the
// original text each folded rune came from, so that evidence points into the text
// the caller gave.
type folded struct {
	r     []rune
	start []int // byte offset in the original text of r[i]
	end   []int // byte offset just past it
}

// foldText folds s for keyword matching: foldRune on every rune, each run of white
// space made one space, or one line break when it holds one (a line break ends a
// sentence for negation scopes). Invalid UTF-8 bytes become U+FFFD.
func foldText(s string) *folded {
	f := &folded{
		r:     make([]rune, 0, len(s)),
		start: make([]int, 0, len(s)),
		end:   make([]int, 0, len(s)),
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		r = foldRune(r)
		if isSpace(r) {
			j := i
			nl := false
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				r2 = foldRune(r2)
				if !isSpace(r2) {
					break
				}
				if r2 == '\n' || r2 == '\r' || r2 == 0x2028 || r2 == 0x2029 || r2 == 0x85 {
					nl = true
				}
				j += size2
			}
			c := ' '
			if nl {
				c = '\n'
			}
			f.r = append(f.r, c)
			f.start = append(f.start, i)
			f.end = append(f.end, j)
			i = j
			continue
		}
		f.r = append(f.r, r)
		f.start = append(f.start, i)
		f.end = append(f.end, i+size)
		i += size
	}
	return f
}
