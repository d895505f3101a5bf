package firmname

import (
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
)

// Pinyin returns the Hanyu Pinyin of s, lower case, without tones, one syllable
// per Chinese character, separated by single spaces: 重庆长安 → "chong qing chang
// an", 银行 → "yin hang". ü is written v (绿 → "lv"). A run of Latin letters or
// digits is kept as one lower-case word (TCL科技 → "tcl ke ji"); other characters
// are dropped. s is folded first, so 華為 reads as 华为.
//
// Each character takes its first reading in the go-pinyin dictionary, except
// where data/pinyin-overrides.tsv says otherwise: a word of the table read
// longest first from left to right (重庆 chong qing, 银行 yin hang, 厦门 xia men,
// 六安 lu an, 音乐 yin yue, 薄膜 bo mo), or a character whose first reading is
// rare in names (长 chang, 都 du, 佛 fo). Character-by-character pinyin alone reads
// 重庆 zhong qing and 银行 yin xing.
func Pinyin(s string) string {
	t := mustLoad()
	return t.pinyin(t.fold(s))
}

// pinyin is Pinyin on folded text.
func (t *tables) pinyin(s string) string {
	if s == "" {
		return ""
	}
	var b strings.Builder
	b.Grow(len(s) * 2)
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case isHan(r):
			if syl, n := t.pinyinWord(s[i:]); n > 0 {
				for _, y := range syl {
					sep()
					b.WriteString(y)
				}
				i += n
				continue
			}
			if y := t.reading(r); y != "" {
				sep()
				b.WriteString(y)
			}
			i += size
		case isWordRune(r):
			j := i
			for j < len(s) {
				r2, size2 := utf8.DecodeRuneInString(s[j:])
				if !isWordRune(r2) || isHan(r2) {
					break
				}
				j += size2
			}
			sep()
			b.WriteString(strings.ToLower(s[i:j]))
			i = j
		default:
			i += size
		}
	}
	return b.String()
}

// pinyinWord returns the syllables of the longest word of the override table at
// the start of s, and its length in bytes; 0 if none starts there.
func (t *tables) pinyinWord(s string) ([]string, int) {
	var ends [8]int
	m := 0
	for i := 0; i < len(s) && m < min(len(ends), t.pyWordMax); m++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !isHan(r) {
			break
		}
		i += size
		ends[m] = i
	}
	for k := m; k >= 2; k-- {
		if syl, ok := t.pyWords[s[:ends[k-1]]]; ok {
			return syl, ends[k-1]
		}
	}
	return nil, 0
}

// reading returns a character's pinyin: its entry in the override table, else its
// first reading in the dictionary, without tone.
func (t *tables) reading(r rune) string {
	if y, ok := t.pyChars[r]; ok {
		return y
	}
	return dictReading(r)
}

// isWordRune reports whether r belongs to a Latin word: a letter or digit.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return isLetter(r)
}

// The dictionary's first readings without tones, built on first use from
// pinyin.PinyinDict: a slice for the CJK Unified Ideographs and Extension A, where
// nearly every character of a firm name is, and a map for the rest.
const (
	pyDenseLo = 0x3400
	pyDenseHi = 0xA000
)

var (
	pyOnce   sync.Once
	pyDense  []string
	pySparse map[rune]string
)

func dictReading(r rune) string {
	pyOnce.Do(buildDict)
	if r >= pyDenseLo && r < pyDenseHi {
		return pyDense[r-pyDenseLo]
	}
	return pySparse[r]
}

func buildDict() {
	pyDense = make([]string, pyDenseHi-pyDenseLo)
	pySparse = map[rune]string{}
	intern := map[string]string{} // about 1,400 distinct syllables
	for k, v := range pinyin.PinyinDict {
		first, _, _ := strings.Cut(v, ",")
		y := toneless(first)
		if s, ok := intern[y]; ok {
			y = s
		} else {
			intern[y] = y
		}
		if r := rune(k); r >= pyDenseLo && r < pyDenseHi {
			pyDense[r-pyDenseLo] = y
		} else {
			pySparse[rune(k)] = y
		}
	}
}

// toneless writes a dictionary reading (zhòng, lǜ, ḿ) in lower-case a-z: tone
// marks dropped, ü written v.
func toneless(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r)
		case r >= 0x300 && r <= 0x36F: // combining marks (m̄, ê̄)
		default:
			if base, ok := toneBase[r]; ok {
				b.WriteByte(base)
			}
		}
	}
	return b.String()
}

var toneBase = map[rune]byte{
	'ā': 'a', 'á': 'a', 'ǎ': 'a', 'à': 'a',
	'ē': 'e', 'é': 'e', 'ě': 'e', 'è': 'e', 'ê': 'e', 'ế': 'e', 'ề': 'e',
	'ī': 'i', 'í': 'i', 'ǐ': 'i', 'ì': 'i',
	'ō': 'o', 'ó': 'o', 'ǒ': 'o', 'ò': 'o',
	'ū': 'u', 'ú': 'u', 'ǔ': 'u', 'ù': 'u',
	'ü': 'v', 'ǖ': 'v', 'ǘ': 'v', 'ǚ': 'v', 'ǜ': 'v',
	'ń': 'n', 'ň': 'n', 'ǹ': 'n', 'ḿ': 'm',
}
