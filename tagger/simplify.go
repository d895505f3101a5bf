package tagger

import (
	"bufio"
	"embed"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// Simplifier converts traditional Chinese to simplified Chinese. The tagger folds
// both the keywords and the text with it before matching, so a keyword written in
// simplified characters finds the same term written in traditional ones.
//
// A Simplifier may return a text of another length than its input (a phrase-level
// converter turns 串列埠 into 串口). The tagger calls it on each run of non-ASCII
// characters separately, and when a run changes length it attributes every output
// character to the whole run, so evidence offsets stay within the original text.
// The built-in converter (Builtin) reports exact positions instead.
type Simplifier interface {
	Simplify(string) string
}

// Builtin returns the built-in traditional → simplified converter: OpenCC's
// character table (TSCharacters) and phrase table (TSPhrases), OpenCC's table of
// Taiwanese terms (TWPhrasesRev, 積體電路 → 集成电路) limited to the entries that
// contain a traditional character, and cipmap's own table of technology terms
// (data/phrases.txt), applied by longest match left to right as OpenCC does.
//
// A text without a traditional character is left as it is, but for cipmap's few
// phrases without one (人工智慧 → 人工智能, 晶片 → 芯片): OpenCC's phrases such as
// 覆上 → 复上 are ordinary mainland Chinese too. The titles and summaries of 1,964
// State Council documents pass through unchanged (TestBuiltinLeavesMainlandText).
// See NOTICE.md for the sources.
func Builtin() (Simplifier, error) {
	return loadT2S()
}

//go:embed data/opencc/TSCharacters.txt data/opencc/TSPhrases.txt data/opencc/TWPhrasesRev.txt data/phrases.txt
var dataFS embed.FS

// The dense part of the character table covers CJK Extension A and the unified
// ideographs, where all but a handful of the traditional characters are.
const (
	denseLo = 0x3400
	denseHi = 0xA000
)

// t2s is the built-in Simplifier: a character table and two sets of phrases.
type t2s struct {
	dense  []rune   // dense[r-denseLo] is r's simplified form, or 0 for none
	mapped []uint64 // bit r-denseLo is set where dense[r-denseLo] is not 0
	// notice has the bits of mapped and of plain.first: the characters the
	// converter must look at.
	notice []uint64
	sparse map[rune]rune
	// all holds every phrase, for texts with a traditional character; plain
	// cipmap's phrases without one (晶片 → 芯片, 人工智慧 → 人工智能), the only
	// ones applied to a text without one.
	all, plain phraseSet
	vals       [][]rune // the simplified form of each phrase, by key id
}

// phraseSet is a set of phrase keys with a bitmap of their first characters, so
// that most positions of a text are passed over without walking the trie.
type phraseSet struct {
	dict   *dict
	first  []uint64  // bit r-denseLo is set if a key begins with r
	ascii  [2]uint64 // bit r is set if a key begins with the ASCII r
	sparse map[rune]bool
}

func (p *phraseSet) starts(r rune) bool {
	switch i := uint(r - denseLo); {
	case i < denseHi-denseLo:
		return p.first[i>>6]&(1<<(i&63)) != 0
	case r < 0x80:
		return p.ascii[r/64]&(1<<(r%64)) != 0
	}
	return len(p.sparse) > 0 && p.sparse[r]
}

var (
	t2sOnce sync.Once
	t2sData *t2s
	t2sErr  error
)

func loadT2S() (*t2s, error) {
	t2sOnce.Do(func() { t2sData, t2sErr = buildT2S() })
	return t2sData, t2sErr
}

// buildT2S reads the embedded tables. The phrase table is the union, in increasing
// order of precedence, of TWPhrasesRev (filtered and converted, see below), TSPhrases
// and cipmap's phrases.txt.
func buildT2S() (*t2s, error) {
	const words = (denseHi - denseLo + 63) / 64
	c := &t2s{
		dense:  make([]rune, denseHi-denseLo),
		mapped: make([]uint64, words),
		sparse: map[rune]rune{},
	}
	err := readTable("data/opencc/TSCharacters.txt", func(line int, key string, vals []string) error {
		k, ks := utf8.DecodeRuneInString(key)
		v, vs := utf8.DecodeRuneInString(vals[0])
		if ks != len(key) || vs != len(vals[0]) {
			return fmt.Errorf("want one character on each side")
		}
		if k >= denseLo && k < denseHi {
			c.dense[k-denseLo] = v
			c.mapped[(k-denseLo)/64] |= 1 << ((k - denseLo) % 64)
		} else {
			c.sparse[k] = v
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	phrases := map[string]string{}
	// TWPhrasesRev maps Taiwanese terms to mainland ones, written in traditional
	// characters (積體電路 → 集成電路); the value is converted to simplified with the
	// character table. An entry is kept only when its key holds a traditional
	// character: keys such as 程序 (process in Taiwan, program on the mainland), 文件
	// or 核心 are ordinary simplified Chinese, and converting them would corrupt
	// mainland text. Where the table offers several mainland terms, the one that is
	// the plain character conversion of the key wins if it is offered (模擬 stays
	// 模拟 rather than becoming 仿真); otherwise the first.
	err = readTable("data/opencc/TWPhrasesRev.txt", func(line int, key string, vals []string) error {
		plain := c.chars(key)
		if plain == key {
			return nil
		}
		v := vals[0]
		for _, alt := range vals {
			if c.chars(alt) == plain {
				v = alt
			}
		}
		phrases[key] = c.chars(v)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// cipmap's phrases without a traditional character (人工智慧, 晶片) are the
	// plain ones, applied to every text; OpenCC's such as 覆上 → 复上 are applied
	// only to texts with a traditional character, since 覆上 is also mainland
	// Chinese (覆上薄膜).
	always := map[string]bool{}
	for _, name := range []string{"data/opencc/TSPhrases.txt", "data/phrases.txt"} {
		err = readTable(name, func(line int, key string, vals []string) error {
			phrases[key] = vals[0]
			if name == "data/phrases.txt" && c.chars(key) == key {
				always[key] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	all, plain := newDictBuilder(), newDictBuilder()
	c.all = phraseSet{first: make([]uint64, words), sparse: map[rune]bool{}}
	c.plain = phraseSet{first: make([]uint64, words), sparse: map[rune]bool{}}
	add := func(b *dictBuilder, p *phraseSet, key []rune, id int32) {
		b.add(key, id)
		switch r := key[0]; {
		case r >= denseLo && r < denseHi:
			p.first[(r-denseLo)/64] |= 1 << ((r - denseLo) % 64)
		case r < 0x80:
			p.ascii[r/64] |= 1 << (r % 64)
		default:
			p.sparse[r] = true
		}
	}
	for _, k := range slices.Sorted(maps.Keys(phrases)) {
		// Keys are matched against folded text, which is lower case.
		kr := []rune(strings.ToLower(k))
		id := int32(len(c.vals))
		c.vals = append(c.vals, []rune(strings.ToLower(phrases[k])))
		add(all, &c.all, kr, id)
		if always[k] {
			add(plain, &c.plain, kr, id)
		}
	}
	if c.all.dict, err = all.build(); err != nil {
		return nil, err
	}
	if c.plain.dict, err = plain.build(); err != nil {
		return nil, err
	}
	c.notice = make([]uint64, words)
	for i := range c.notice {
		c.notice[i] = c.mapped[i] | c.plain.first[i]
	}
	return c, nil
}

// readTable reads an OpenCC dictionary file: one entry a line, a key, a tab and one
// or more values separated by spaces; lines starting with # are comments.
func readTable(name string, entry func(line int, key string, vals []string) error) error {
	f, err := dataFS.Open(name)
	if err != nil {
		return cipmap.WrapError(cipmap.EINTERNAL, err, "tagger: open %s", name)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, rest, ok := strings.Cut(text, "\t")
		vals := strings.Fields(rest)
		if !ok || key == "" || len(vals) == 0 {
			return cipmap.Errorf(cipmap.EINTERNAL, "tagger: %s:%d: %q is not a key, a tab and values", name, line, text)
		}
		if err := entry(line, key, vals); err != nil {
			return cipmap.WrapError(cipmap.EINTERNAL, err, "tagger: %s:%d: %q", name, line, text)
		}
	}
	if err := sc.Err(); err != nil {
		return cipmap.WrapError(cipmap.EINTERNAL, err, "tagger: read %s", name)
	}
	return nil
}

// char returns the simplified form of one character.
func (c *t2s) char(r rune) rune {
	if r < denseLo {
		return r
	}
	if r < denseHi {
		if v := c.dense[r-denseLo]; v != 0 {
			return v
		}
		return r
	}
	if v, ok := c.sparse[r]; ok {
		return v
	}
	return r
}

// isMapped reports whether the character table changes r.
func (c *t2s) isMapped(r rune) bool {
	if i := uint(r - denseLo); i < denseHi-denseLo {
		return c.mapped[i>>6]&(1<<(i&63)) != 0
	}
	if r < denseHi {
		return false
	}
	_, ok := c.sparse[r]
	return ok
}

// chars converts s character by character, without phrases.
func (c *t2s) chars(s string) string {
	return strings.Map(c.char, s)
}

// Simplify converts s from traditional to simplified Chinese, phrase by phrase
// where a phrase is known and character by character elsewhere.
func (c *t2s) Simplify(s string) string {
	var f folded
	for i, r := range s {
		f.push(r, i, i+utf8.RuneLen(r))
	}
	var tmp folded
	out := c.convert(&f, &tmp)
	return string(out.r)
}

// convert simplifies the folded text f, keeping the map to original offsets: a
// phrase whose simplified form has as many characters as the phrase maps character
// by character; one of another length maps each output character to the phrase's
// whole span.
//
// A text without a traditional character (most texts) is only searched for the
// plain phrases, and only if one of their first characters occurs; one without
// either is returned at once. Characters and phrases of the same length are
// converted in place and f is returned; from the first phrase of another length on,
// the result is written to tmp, which is returned.
func (c *t2s) convert(f, tmp *folded) *folded {
	// Find the first change: a traditional character (then the whole text is
	// converted with all phrases, which may begin before it) or a plain phrase.
	var ps *phraseSet
	from := 0
	for i, r := range f.r {
		if i := uint(r - denseLo); i < denseHi-denseLo {
			if c.notice[i>>6]&(1<<(i&63)) == 0 {
				continue // the usual case: a simplified character
			}
		} else if r < denseLo && (r >= 0x80 || c.plain.ascii[r>>6]&(1<<(r&63)) == 0) {
			continue
		}
		if c.isMapped(r) {
			ps, from = &c.all, 0
			break
		}
		if ps == nil && c.plain.starts(r) {
			if n, _ := c.plain.dict.prefix(f.r[i:]); n > 0 {
				ps, from = &c.plain, i
			}
		}
	}
	if ps == nil {
		return f
	}
	chars := ps == &c.all // with plain phrases, no character is traditional
	for i := from; i < len(f.r); {
		r := f.r[i]
		if ps.starts(r) {
			if n, p := ps.dict.prefix(f.r[i:]); n > 0 {
				val := c.vals[p]
				if len(val) != n {
					return c.convertCopy(ps, f, tmp, i)
				}
				copy(f.r[i:], val)
				i += n
				continue
			}
		}
		if chars {
			f.r[i] = c.char(r)
		}
		i++
	}
	return f
}

// convertCopy is convert from the rune from on, writing to tmp.
func (c *t2s) convertCopy(ps *phraseSet, f, tmp *folded, from int) *folded {
	tmp.reset()
	tmp.words = f.words
	tmp.r = append(tmp.r, f.r[:from]...)
	tmp.start = append(tmp.start, f.start[:from]...)
	tmp.end = append(tmp.end, f.end[:from]...)
	for i := from; i < len(f.r); {
		r := f.r[i]
		if ps.starts(r) {
			if n, p := ps.dict.prefix(f.r[i:]); n > 0 {
				val := c.vals[p]
				if len(val) == n {
					for k, vr := range val {
						tmp.push(vr, f.start[i+k], f.end[i+k])
					}
				} else {
					s, e := f.start[i], f.end[i+n-1]
					for _, vr := range val {
						tmp.push(vr, s, e)
					}
				}
				i += n
				continue
			}
		}
		tmp.push(c.char(r), f.start[i], f.end[i])
		i++
	}
	return tmp
}

// convertWith applies a caller's Simplifier to each run of non-ASCII characters of
// f (ASCII text is never traditional Chinese, and leaving it out keeps the offsets
// of English words exact). A run that keeps its length maps character by character;
// one that changes length maps every output character to the whole run.
func convertWith(s Simplifier, f, tmp *folded) *folded {
	tmp.reset()
	changed := false
	var buf strings.Builder
	for i := 0; i < len(f.r); {
		if f.r[i] < 0x80 {
			tmp.push(f.r[i], f.start[i], f.end[i])
			i++
			continue
		}
		j := i
		for j < len(f.r) && f.r[j] >= 0x80 {
			j++
		}
		buf.Reset()
		for _, r := range f.r[i:j] {
			buf.WriteRune(r)
		}
		out := []rune(s.Simplify(buf.String()))
		if len(out) == j-i {
			for k, r := range out {
				tmp.push(r, f.start[i+k], f.end[i+k])
				changed = changed || r != f.r[i+k]
			}
		} else {
			for _, r := range out {
				tmp.push(r, f.start[i], f.end[j-1])
			}
			changed = true
		}
		i = j
	}
	if !changed {
		return f
	}
	return tmp
}
