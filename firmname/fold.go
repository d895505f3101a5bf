package firmname

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cipmap/cipmap/parse"
)

// FoldWidthAndBrackets returns s in the form the other steps read: parse.Fold
// (Unicode NFKC, so full-width ＨＵＡＷＥＩ and （北京） become HUAWEI and (北京); 【】
// and 〔〕 become [ ]; runs of white space one space; invisible characters
// dropped), then square brackets made round ([北京] and 【北京】 read as (北京)), and
// spaces dropped next to a Han character and just inside brackets (华为 技术 is
// 华为技术, "( 北京 )" is "(北京)"), while a space between two Latin words stays.
// Case is kept; Parse lower-cases after this step.
func FoldWidthAndBrackets(s string) string {
	s = parse.Fold(s)
	if !needsBracketFold(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	var prev rune = -1
	for i, r := range s {
		switch r {
		case '[':
			r = '('
		case ']':
			r = ')'
		case ' ':
			next, _ := utf8.DecodeRuneInString(s[i+1:])
			if isHan(prev) || isHan(next) || prev == '(' || prev == '[' || next == ')' || next == ']' {
				continue
			}
		}
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

// needsBracketFold reports whether FoldWidthAndBrackets has anything to do after
// parse.Fold: a square bracket, or a space next to a Han character or inside
// brackets.
func needsBracketFold(s string) bool {
	if strings.IndexAny(s, "[]") >= 0 {
		return true
	}
	for i := strings.IndexByte(s, ' '); i >= 0; {
		prev, _ := utf8.DecodeLastRuneInString(s[:i])
		next, _ := utf8.DecodeRuneInString(s[i+1:])
		if isHan(prev) || isHan(next) || prev == '(' || next == ')' {
			return true
		}
		j := strings.IndexByte(s[i+1:], ' ')
		if j < 0 {
			break
		}
		i += 1 + j
	}
	return false
}

// Simplify converts traditional Chinese characters to simplified ones at phrase
// level (華為技術 → 华为技术, 積體電路 → 集成电路), with the converter of package
// tagger (tagger.Builtin: OpenCC's tables and cipmap's own phrases). Text that is
// already simplified, and text without Chinese, comes back unchanged.
//
// A text without a traditional character is returned as it is: the converter
// also replaces Taiwanese terms with mainland ones (人工智慧 → 人工智能), which is
// right for tagging but must not rename a firm registered under such a word.
func Simplify(s string) string {
	return mustLoad().simplify(s)
}

func (t *tables) simplify(s string) string {
	for _, r := range s {
		if r < denseLo {
			continue
		}
		if r < denseHi {
			if i := r - denseLo; t.trad[i>>6]&(1<<(i&63)) == 0 {
				continue
			}
		}
		return t.simplifier.Simplify(s)
	}
	return s
}

// The bitmap of traditional characters covers CJK Extension A and the unified
// ideographs; a character beyond them sends the text to the converter.
const (
	denseLo = 0x3400
	denseHi = 0xA000
)

// buildTrad marks the characters that the converter changes on their own: the
// traditional ones. A text without one is left alone, without calling the
// converter: it is already simplified. (The converter would also apply cipmap's
// tagging phrases to it, 晶片 → 芯片, which must not change a registered name.)
func (t *tables) buildTrad() {
	t.trad = make([]uint64, (denseHi-denseLo+63)/64)
	for r := rune(denseLo); r < denseHi; r++ {
		if s := string(r); t.simplifier.Simplify(s) != s {
			i := r - denseLo
			t.trad[i>>6] |= 1 << (i & 63)
		}
	}
}

// fold is the whole folding of Parse: FoldWidthAndBrackets, lower case, Simplify.
// The result is a fixed point: folding it again changes nothing. That needs no
// second round for text of ASCII and Chinese characters only that the converter
// left alone (nearly every name); other text is folded again until it stays
// the same, as lower-casing or converting can, rarely, give text that another
// round changes (a character NFKC maps, a phrase that meets a new neighbour).
func (t *tables) fold(s string) string {
	if t.folded(s) {
		return s
	}
	if w, ok := widthFold(s); ok && t.folded(w) {
		return w
	}
	return t.foldSlow(s)
}

// foldSlow is fold without its fast paths.
func (t *tables) foldSlow(s string) string {
	g := lower(FoldWidthAndBrackets(s))
	h := t.simplify(g)
	if h == g && plain(g) {
		return g
	}
	f := h
	for range 4 {
		g := lower(FoldWidthAndBrackets(f))
		h := t.simplify(g)
		if h == f {
			break
		}
		f = h
	}
	return f
}

// folded reports, in one pass, whether fold would return s unchanged because s
// holds only what every step leaves alone: printable ASCII but upper-case letters
// and square brackets, simplified Chinese characters, and single spaces that
// neither start nor end s nor touch a Chinese character or the inside of a
// bracket. Most names in a dataset pass, and are not copied.
func (t *tables) folded(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return s == ""
	}
	prev := rune(0)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c < 0x20 || c > 0x7E || 'A' <= c && c <= 'Z' || c == '[' || c == ']':
				return false
			case c == ' ':
				next, _ := utf8.DecodeRuneInString(s[i+1:])
				if prev == ' ' || prev == '(' || next == ')' || isHan(prev) || isHan(next) {
					return false
				}
			}
			prev = rune(c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r < denseLo || r >= denseHi {
			return false
		}
		if i := r - denseLo; t.trad[i>>6]&(1<<(i&63)) != 0 {
			return false
		}
		prev = r
		i += size
	}
	return true
}

// widthFold maps the full-width forms of ASCII characters (U+FF01-U+FF5E: （）,
// ＨＵＡＷＥＩ) and the ideographic space to ASCII, as NFKC does, and lower-cases
// ASCII letters; ok is false when s has another character outside ASCII and the
// CJK ideographs, which only the full folding handles. When the result passes
// folded, it is what fold would return: this is the fast path for names written
// with full-width brackets.
func widthFold(s string) (w string, ok bool) {
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			c := byte(r - 0xFEE0)
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
		case r == 0x3000:
			b = append(b, ' ')
		case r >= denseLo && r < denseHi:
			b = append(b, s[i:i+size]...)
		default:
			return "", false
		}
		i += size
	}
	return string(b), true
}

// lower is strings.ToLower, returning s itself, quickly, when it has no
// upper-case letter: Chinese characters are passed over without a table look-up.
func lower(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				return strings.ToLower(s)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r < denseLo || r >= denseHi) && unicode.ToLower(r) != r {
			return strings.ToLower(s)
		}
		i += size
	}
	return s
}

// plain reports whether s has only ASCII characters and CJK ideographs, which
// FoldWidthAndBrackets and lower-casing leave as they are once folded.
func plain(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf && (r < denseLo || r >= denseHi) {
			return false
		}
	}
	return true
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool {
	if r < 0x2E80 {
		return false
	}
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// scriptOf classifies a folded name by its letters.
func scriptOf(s string) Script {
	han, latin := false, false
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
				latin = true
			}
		case isHan(r):
			han = true
		case unicode.IsLetter(r):
			latin = true
		}
	}
	switch {
	case han && latin:
		return Mixed
	case han:
		return Han
	case latin:
		return Latin
	}
	return None
}
