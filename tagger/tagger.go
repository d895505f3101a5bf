package tagger

import (
	"cmp"
	"math"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// MethodRule is the method of every Result of this package: keyword rules.
const MethodRule = "rule"

// Kinds of evidence: which field of the tag the matched word came from.
const (
	KindName    = "name"    // the tag's Chinese or English name
	KindKeyword = "keyword" // one of its Keywords
	KindSynonym = "synonym" // one of its Synonyms
)

// Options configure a Tagger.
type Options struct {
	// Simplifier converts traditional Chinese to simplified; nil means Builtin.
	Simplifier Simplifier
}

// Evidence is one word of the text that counted for a tag.
type Evidence struct {
	// Keyword is the tag's word as written in the tag standard ("精密减速器"); the
	// text may hold it in another form (精密減速器, "Precision Reducers").
	Keyword string `json:"keyword"`
	Kind    string `json:"kind"` // KindKeyword, KindSynonym or KindName
	// Start and End are byte offsets of the match in the original text: text[Start:End].
	Start int `json:"start"`
	End   int `json:"end"`
}

// Weighted is a tag with its share of a text, and the words that gave it.
type Weighted struct {
	Tag      string     `json:"tag"`
	Weight   float64    `json:"weight"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// InnerNode is a matched tag that has children, with a distribution over them: a
// coarse label (新能源, "hard tech") is kept as the inner node it names rather than
// forced onto one leaf, and the distribution says how its mass would spread
// downwards (equal shares unless SetChildWeights gave others).
type InnerNode struct {
	Tag      string     `json:"tag"`
	Children []Weighted `json:"children"`
}

// Result is the tagging of one text.
type Result struct {
	Text string `json:"text"`
	// Tags are sorted by weight, largest first, ties by id; the weights sum to 1, or
	// Tags is empty (not nil) when nothing matched.
	Tags   []Weighted `json:"tags"`
	Method string     `json:"method"` // MethodRule
	// Confidence is a heuristic in [0, 1]; see the package documentation.
	Confidence float64 `json:"confidence"`
	// Inner holds, for each tag of Tags that has children, its distribution over
	// them, in the order of Tags.
	Inner []InnerNode `json:"inner,omitempty"`
}

// Tagger turns free text into weighted tags of a tag tree. It is built once by New
// and is safe for concurrent use.
type Tagger struct {
	ids      []string
	index    map[string]int32
	parent   []int32 // -1 for a root
	children [][]int32
	conv     *t2s       // the built-in converter, or nil
	user     Simplifier // the caller's converter, when conv is nil
	words    *dict      // keywords, synonyms, names and negation markers
	keys     []key      // by key id of words
	excl     *dict      // exclusion terms, nil if there are none
	exclTags [][]int32  // by key id of excl: the tags the term excludes
	hasExcl  []bool     // by tag: whether it has exclusion terms
	childW   atomic.Pointer[map[int32][]Weighted]
	scratch  sync.Pool
}

// key is one distinct folded word of the automaton.
type key struct {
	units  float64 // see units
	marker int8    // markerNone, markerForward or markerBackward
	hits   []keyHit
}

// keyHit is a tag that a key finds, and how.
type keyHit struct {
	tag     int32
	kind    string
	keyword string
}

const (
	markerNone int8 = iota
	markerForward
	markerBackward
)

// negationForward are the words after which, up to the end of the clause, the text
// says what something is not ("不含危险化学品", "excluding batteries"). negationBackward
// are those before which it does ("危险化学品除外"). See negationScopes.
var (
	negationForward  = []string{"不包括", "不包含", "不含", "不涉及", "不从事", "不得从事", "excluding", "except", "not including", "other than"}
	negationBackward = []string{"除外"}
)

// New builds a Tagger for the tag tree tags: every tag's names (Name.ZH, Name.EN),
// keywords and synonyms, in every language, folded as text is (see Fold) and put in
// one automaton, and its exclusions in another. Tags must have distinct non-empty
// ids and parents among them, without cycles; a word that folds to nothing, or
// holds no letter, digit or character, is an error of code cipmap.EINVALID naming
// the tag, not something to skip.
func New(tags []*cipmap.Tag, opts Options) (*Tagger, error) {
	t := &Tagger{
		ids:      make([]string, len(tags)),
		index:    make(map[string]int32, len(tags)),
		parent:   make([]int32, len(tags)),
		children: make([][]int32, len(tags)),
		hasExcl:  make([]bool, len(tags)),
	}
	for i, tg := range tags {
		switch {
		case tg == nil:
			return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %d is nil", i)
		case tg.ID == "":
			return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %d (%q) has no id", i, tg.Name.EN)
		}
		if _, dup := t.index[tg.ID]; dup {
			return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q appears twice", tg.ID)
		}
		t.ids[i] = tg.ID
		t.index[tg.ID] = int32(i)
	}
	for i, tg := range tags {
		t.parent[i] = -1
		if tg.Parent == "" {
			continue
		}
		p, ok := t.index[tg.Parent]
		if !ok {
			return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q has parent %q, which is not a tag", tg.ID, tg.Parent)
		}
		t.parent[i] = p
		t.children[p] = append(t.children[p], int32(i))
	}
	for i := range tags {
		for p, n := t.parent[i], 0; p >= 0; p, n = t.parent[p], n+1 {
			if p == int32(i) || n > len(tags) {
				return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q is its own ancestor", t.ids[i])
			}
		}
	}

	if opts.Simplifier != nil {
		t.user = opts.Simplifier
	} else {
		c, err := loadT2S()
		if err != nil {
			return nil, err
		}
		t.conv = c
	}
	t.scratch.New = func() any { return new(scratch) }
	sc := new(scratch)

	b := newDictBuilder()
	addWord := func(tag int32, kind, word string) error {
		f := t.fold(word, sc)
		if len(f.r) == 0 {
			return cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q: %s %q is empty after folding", t.ids[tag], kind, word)
		}
		u := units(f.r)
		if u == 0 {
			return cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q: %s %q has no letter, digit or character", t.ids[tag], kind, word)
		}
		id := b.add(f.r, int32(len(t.keys)))
		if id == int32(len(t.keys)) {
			t.keys = append(t.keys, key{units: u})
		}
		for _, h := range t.keys[id].hits {
			if h.tag == tag {
				return nil // the same word twice for a tag: the first field counts
			}
		}
		t.keys[id].hits = append(t.keys[id].hits, keyHit{tag, kind, word})
		return nil
	}
	eb := newDictBuilder()
	for i, tg := range tags {
		tag := int32(i)
		// Keywords first: a word that is both a keyword and the name is evidence of
		// kind keyword.
		names := map[string][]string{"en": {tg.Name.EN}, "zh": {tg.Name.ZH}}
		for _, field := range []struct {
			kind  string
			words map[string][]string
		}{{KindKeyword, tg.Keywords}, {KindSynonym, tg.Synonyms}, {KindName, names}} {
			for _, lang := range sortedKeys(field.words) {
				for _, w := range field.words[lang] {
					if field.kind == KindName && w == "" {
						continue // a tag may lack a name in one language
					}
					if err := addWord(tag, field.kind, w); err != nil {
						return nil, err
					}
				}
			}
		}
		for _, lang := range sortedKeys(tg.Exclusions) {
			for _, w := range tg.Exclusions[lang] {
				f := t.fold(w, sc)
				if len(f.r) == 0 || units(f.r) == 0 {
					return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: tag %q: exclusion %q has no letter, digit or character", tg.ID, w)
				}
				id := eb.add(f.r, int32(len(t.exclTags)))
				if id == int32(len(t.exclTags)) {
					t.exclTags = append(t.exclTags, nil)
				}
				t.exclTags[id] = appendUnique(t.exclTags[id], tag)
				t.hasExcl[tag] = true
			}
		}
	}
	for _, m := range []struct {
		kind  int8
		words []string
	}{{markerForward, negationForward}, {markerBackward, negationBackward}} {
		for _, w := range m.words {
			f := t.fold(w, sc)
			id := b.add(f.r, int32(len(t.keys)))
			if id == int32(len(t.keys)) {
				t.keys = append(t.keys, key{units: units(f.r)})
			}
			t.keys[id].marker = m.kind
		}
	}
	var err error
	if t.words, err = b.build(); err != nil {
		return nil, err
	}
	if len(t.exclTags) > 0 {
		if t.excl, err = eb.build(); err != nil {
			return nil, err
		}
	}
	empty := map[int32][]Weighted{}
	t.childW.Store(&empty)
	return t, nil
}

func sortedKeys(m map[string][]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func appendUnique(s []int32, v int32) []int32 {
	for _, x := range s {
		if x == v {
			return s
		}
	}
	return append(s, v)
}

// units measures how much of a text a folded word covers, and so how specific a
// match is: one for each Han character (or other character of a script without
// spaces), a third for each Latin letter or digit (an English word of six letters
// weighs about as much as a two-character Chinese word), nothing for spaces and
// punctuation.
func units(rs []rune) float64 {
	u := 0.0
	for _, r := range rs {
		if r >= 0x4E00 && r <= 0x9FFF {
			u++
		} else {
			u += unitOf(r)
		}
	}
	return u
}

func unitOf(r rune) float64 {
	switch {
	case r >= 0x4E00 && r <= 0x9FFF:
		return 1
	case r < 0x80:
		if isASCIIAlnum(r) || ('A' <= r && r <= 'Z') {
			return 1.0 / 3
		}
		return 0
	case isHan(r):
		return 1
	case isWord(r):
		return 1.0 / 3
	case r == utf8.RuneError || unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsMark(r):
		return 0
	}
	return 1
}

// Fold returns text as the tagger sees it: NFKC, lower case, traditional Chinese
// converted to simplified, English words made singular, whitespace collapsed. Both
// the tag words and the texts are folded this way before matching.
func (t *Tagger) Fold(text string) string {
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	return string(t.fold(text, sc).r)
}

// fold runs the three stages of folding; the result lives in sc.
func (t *Tagger) fold(s string, sc *scratch) *folded {
	sc.a.reset()
	foldBasic(&sc.a, s)
	var f *folded
	if t.conv != nil {
		f = t.conv.convert(&sc.a, &sc.b)
	} else {
		f = convertWith(t.user, &sc.a, &sc.b)
	}
	if sc.a.words {
		foldWords(f)
	}
	return f
}

// scratch holds the buffers of one Tag call, reused through a pool.
type scratch struct {
	a, b    folded
	spans   []span
	ex      []span
	scopes  []scope
	excl    []int32
	hits    []hit   // matches that count, in text order
	grouped []hit   // the same, grouped by acc
	acc     []acc   // matched tags, in order of first match
	pos     []int32 // by tag: its index in acc, or -1
	order   []int32 // indices in acc of the tags of the Result, sorted
}

type scope struct{ start, end int } // runes [start, end) of the folded text

type hit struct {
	acc int32 // index in scratch.acc
	ev  Evidence
}

// acc is one matched tag while a Result is made.
type acc struct {
	tag   int32
	own   float64 // units of its own matches
	extra float64 // units passed on by dropped ancestors
	under float64 // for a dropped tag: the own units of the kept tags under it
	// Its hits are grouped[first : first+n]; fill is where the next one goes.
	first, n, fill int
	dropped        bool
}

// Tag tags one text. The steps, each documented where it is done:
//
//  1. fold the text (Fold), keeping each folded rune's span in the original;
//  2. find the keywords, leftmost-longest and non-overlapping (dict.longest);
//  3. drop matches that fall in a negation scope (negationScopes);
//  4. drop the matches of tags whose exclusion terms occur outside a negation scope;
//  5. weigh each tag by the units of its matches, credit a matched ancestor's units
//     and evidence to its matched descendants (ancestors are dropped), normalise;
//  6. add the distribution over children of each inner tag, and the confidence.
func (t *Tagger) Tag(text string) Result {
	sc := t.scratch.Get().(*scratch)
	defer t.scratch.Put(sc)
	return t.tag(text, sc, nil)
}

// tag is Tag with its buffers, and with a slab to take the result's slices from
// (nil to allocate them one by one).
func (t *Tagger) tag(text string, sc *scratch, sl *slab) Result {
	res := Result{Text: text, Tags: []Weighted{}, Method: MethodRule}
	f := t.fold(text, sc)
	sc.spans = t.words.longest(f.r, sc.spans[:0])
	if len(sc.spans) == 0 {
		return res
	}
	sc.scopes = negationScopes(f.r, sc.spans, t.keys, sc.scopes[:0])

	// Exclusion terms are looked for only when a tag that has some has matched.
	sc.excl = sc.excl[:0]
	if t.excl != nil && t.anyExcl(sc) {
		sc.ex = t.excl.all(f.r, sc.ex[:0])
		for _, e := range sc.ex {
			if !inScope(sc.scopes, e.start) {
				for _, tag := range t.exclTags[e.key] {
					sc.excl = appendUnique(sc.excl, tag)
				}
			}
		}
	}

	if len(sc.pos) != len(t.ids) {
		sc.pos = make([]int32, len(t.ids))
		for i := range sc.pos {
			sc.pos[i] = -1
		}
	}
	sc.hits, sc.acc = sc.hits[:0], sc.acc[:0]
	matched := 0.0
	for _, sp := range sc.spans {
		k := &t.keys[sp.key]
		if len(k.hits) == 0 || inScope(sc.scopes, sp.start) {
			continue
		}
		// A word that several tags share counts once, in equal parts.
		m := 0
		for _, h := range k.hits {
			if !contains(sc.excl, h.tag) {
				m++
			}
		}
		if m == 0 {
			continue
		}
		matched += k.units
		for _, h := range k.hits {
			if contains(sc.excl, h.tag) {
				continue
			}
			i := sc.pos[h.tag]
			if i < 0 {
				i = int32(len(sc.acc))
				sc.pos[h.tag] = i
				sc.acc = append(sc.acc, acc{tag: h.tag})
			}
			sc.acc[i].own += k.units / float64(m)
			sc.acc[i].n++
			sc.hits = append(sc.hits, hit{i, Evidence{h.keyword, h.kind, f.start[sp.start], f.end[sp.end-1]}})
		}
	}
	if len(sc.acc) == 0 {
		return res
	}
	res.Tags = t.weigh(sc, sl)
	res.Inner = t.inner(sc, res.Tags, sl)
	res.Confidence = confidence(matched, units(f.r), res.Tags[0].Weight)
	for _, a := range sc.acc {
		sc.pos[a.tag] = -1
	}
	return res
}

// anyExcl reports whether a tag with exclusion terms has a match in sc.spans.
func (t *Tagger) anyExcl(sc *scratch) bool {
	for _, sp := range sc.spans {
		for _, h := range t.keys[sp.key].hits {
			if t.hasExcl[h.tag] {
				return true
			}
		}
	}
	return false
}

func contains(s []int32, v int32) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// negationScopes appends to out the parts of the folded text s that negation
// markers cover, given the matches of the automaton (markers are words of it, so
// that a keyword holding a marker's characters wins by being longer):
//
//   - after a forward marker (不包括, 不包含, 不含, 不涉及, 不从事, 不得从事, excluding,
//     except, not including, other than), up to the end of the clause: the next
//     clause punctuation (see clauseEnd), line break or the end of the text;
//   - before a backward marker (除外), back to the previous clause punctuation or the
//     start of the text: Chinese puts the exception first ("危险化学品除外"). A
//     backward marker counts only where it ends a clause (followed by clause
//     punctuation or the end of the text), so 除外 across two words (清除外来物种)
//     is not one.
//
// The enumeration comma 、 does not end a clause: "不含危险化学品、易制毒化学品"
// negates both.
//
// The scopes are returned sorted and merged, for inScope. The work is linear in the
// length of the text (and n log n in the number of markers), however many there are.
func negationScopes(s []rune, spans []span, keys []key, out []scope) []scope {
	fwd := 0    // the first clause end at or after the last forward marker's end
	back := 0   // how far the text has been read for backward markers
	after := -1 // the last clause end before back, or -1
	for _, sp := range spans {
		switch keys[sp.key].marker {
		case markerForward:
			// fwd is a clause end at or after an earlier start, with none between
			// that start and it, so none between this start and it either.
			if fwd < sp.end {
				fwd = sp.end
			}
			for fwd < len(s) && !clauseEnd(s[fwd]) {
				fwd++
			}
			out = append(out, scope{sp.end, fwd})
		case markerBackward:
			next := sp.end
			for next < len(s) && s[next] == ' ' {
				next++
			}
			if next < len(s) && !clauseEnd(s[next]) {
				continue
			}
			for ; back < sp.start; back++ {
				if clauseEnd(s[back]) {
					after = back
				}
			}
			out = append(out, scope{after + 1, sp.start})
		}
	}
	if len(out) < 2 {
		return out
	}
	slices.SortFunc(out, func(a, b scope) int { return cmp.Compare(a.start, b.start) })
	m := 0
	for _, sc := range out[1:] {
		if sc.start <= out[m].end {
			out[m].end = max(out[m].end, sc.end)
		} else {
			m++
			out[m] = sc
		}
	}
	return out[:m+1]
}

// clauseEnd reports whether r, in folded text, ends a clause for negation scopes:
// a line break, , . ; ! ? ( ) [ ] | and the CJK 。【】〔〕〖〗 (full-width forms are ASCII
// after folding). The colon does not: "不包括：A、B" negates A and B.
func clauseEnd(r rune) bool {
	switch r {
	case '\n', ',', '.', ';', '!', '?', '(', ')', '[', ']', '|', '。', '【', '】', '〔', '〕', '〖', '〗':
		return true
	}
	return false
}

// inScope reports whether the rune i is in one of scopes, sorted and disjoint.
func inScope(scopes []scope, i int) bool {
	if len(scopes) == 0 {
		return false
	}
	k, _ := slices.BinarySearchFunc(scopes, i, func(s scope, i int) int { return cmp.Compare(s.start, i+1) })
	return k > 0 && i < scopes[k-1].end
}

// weigh turns the matched tags of sc into the sorted, normalised Tags of a Result,
// and leaves in sc.order the indices in sc.acc of those tags.
//
// A tag's weight is proportional to the units of its matched words (units): a
// longer, more specific word counts more; a word that several tags share is split
// equally between them. When a matched tag is an ancestor of another matched tag,
// the text is about the more specific one: the ancestor is dropped, and its units
// and evidence go to its matched descendants that remain, the units in proportion
// to their own. The work is linear in the matches, times the depth of the tree.
func (t *Tagger) weigh(sc *scratch, sl *slab) []Weighted {
	as := sc.acc
	sc.order = append(sc.order[:0], 0)
	if len(as) == 1 { // the usual case: one tag, all of the text's evidence
		tags := append(sl.weighted(1), Weighted{Tag: t.ids[as[0].tag], Weight: 1})
		evs := sl.evidence(len(sc.hits))
		for _, h := range sc.hits {
			evs = append(evs, h.ev)
		}
		tags[0].Evidence = evs
		return tags
	}
	// Drop the matched ancestors of matched tags.
	total := 0.0
	for i := range as {
		total += as[i].own
		for p := t.parent[as[i].tag]; p >= 0; p = t.parent[p] {
			if j := sc.pos[p]; j >= 0 {
				as[j].dropped = true
			}
		}
	}
	// Share each dropped tag's units among the kept tags under it.
	for i := range as {
		if !as[i].dropped {
			for p := t.parent[as[i].tag]; p >= 0; p = t.parent[p] {
				if j := sc.pos[p]; j >= 0 {
					as[j].under += as[i].own
				}
			}
		}
	}
	sc.order = sc.order[:0]
	for i := range as {
		if as[i].dropped {
			continue
		}
		for p := t.parent[as[i].tag]; p >= 0; p = t.parent[p] {
			if j := sc.pos[p]; j >= 0 {
				as[i].extra += as[j].own * as[i].own / as[j].under
			}
		}
		sc.order = append(sc.order, int32(i))
	}
	if len(sc.order) > 1 {
		slices.SortFunc(sc.order, func(a, b int32) int {
			x, y := &as[a], &as[b]
			if c := cmp.Compare(y.own+y.extra, x.own+x.extra); c != 0 {
				return c
			}
			return strings.Compare(t.ids[x.tag], t.ids[y.tag])
		})
	}
	// Group the hits by tag, keeping text order within each group.
	first := 0
	for i := range as {
		as[i].first, as[i].fill, first = first, first, first+as[i].n
	}
	sc.grouped = slices.Grow(sc.grouped[:0], len(sc.hits))[:len(sc.hits)]
	for _, h := range sc.hits {
		a := &as[h.acc]
		sc.grouped[a.fill] = h
		a.fill++
	}
	// Each kept tag's evidence: its own hits and those of its dropped ancestors,
	// in text order.
	nev := 0
	for _, i := range sc.order {
		nev += as[i].n
		for p := t.parent[as[i].tag]; p >= 0; p = t.parent[p] {
			if j := sc.pos[p]; j >= 0 {
				nev += as[j].n
			}
		}
	}
	tags := sl.weighted(len(sc.order))
	evs := sl.evidence(nev)
	for _, i := range sc.order {
		a := &as[i]
		from := len(evs)
		for _, h := range sc.grouped[a.first : a.first+a.n] {
			evs = append(evs, h.ev)
		}
		merged := false
		for p := t.parent[a.tag]; p >= 0; p = t.parent[p] {
			if j := sc.pos[p]; j >= 0 {
				for _, h := range sc.grouped[as[j].first : as[j].first+as[j].n] {
					evs = append(evs, h.ev)
				}
				merged = true
			}
		}
		if merged {
			// In text order; a word that the tag shares with an ancestor is
			// listed once, as the tag's own.
			slices.SortStableFunc(evs[from:], func(x, y Evidence) int {
				return cmp.Or(cmp.Compare(x.Start, y.Start), cmp.Compare(x.End, y.End))
			})
			w := from + 1
			for _, e := range evs[from+1:] {
				if last := evs[w-1]; e.Start != last.Start || e.End != last.End {
					evs[w] = e
					w++
				}
			}
			evs = evs[:w]
		}
		tags = append(tags, Weighted{Tag: t.ids[a.tag], Weight: (a.own + a.extra) / total, Evidence: evs[from:len(evs):len(evs)]})
	}
	return tags
}

// inner returns the InnerNode of each tag of tags that has children; sc.order
// holds the indices in sc.acc of the same tags, in the same order.
func (t *Tagger) inner(sc *scratch, tags []Weighted, sl *slab) []InnerNode {
	k := 0
	for _, i := range sc.order {
		if len(t.children[sc.acc[i].tag]) > 0 {
			k++
		}
	}
	if k == 0 {
		return nil
	}
	out := sl.inner(k)
	for n, i := range sc.order {
		if tag := sc.acc[i].tag; len(t.children[tag]) > 0 {
			out = append(out, InnerNode{Tag: tags[n].Tag, Children: t.childDist(tag, sl)})
		}
	}
	return out
}

// childDist returns a fresh copy of tag i's distribution over its children.
func (t *Tagger) childDist(i int32, sl *slab) []Weighted {
	if d, ok := (*t.childW.Load())[i]; ok {
		return append(sl.weighted(len(d)), d...)
	}
	kids := t.children[i]
	d := sl.weighted(len(kids))
	for _, c := range kids {
		d = append(d, Weighted{Tag: t.ids[c], Weight: 1 / float64(len(kids))})
	}
	return d
}

// slab hands out the slices of results from larger blocks, so that TagMany
// allocates a few times per thousand texts rather than a few times per text. Each
// slice has its capacity capped at its length, so appending to one never writes
// into another. A nil *slab allocates each slice on its own.
type slab struct {
	w  []Weighted
	e  []Evidence
	in []InnerNode
}

const slabSize = 1024

// weighted returns an empty slice with capacity n.
func (sl *slab) weighted(n int) []Weighted {
	if sl == nil || n > slabSize/4 {
		return make([]Weighted, 0, n)
	}
	if cap(sl.w)-len(sl.w) < n {
		sl.w = make([]Weighted, 0, slabSize)
	}
	l := len(sl.w)
	sl.w = sl.w[:l+n]
	return sl.w[l : l : l+n]
}

func (sl *slab) evidence(n int) []Evidence {
	if sl == nil || n > slabSize/4 {
		return make([]Evidence, 0, n)
	}
	if cap(sl.e)-len(sl.e) < n {
		sl.e = make([]Evidence, 0, slabSize)
	}
	l := len(sl.e)
	sl.e = sl.e[:l+n]
	return sl.e[l : l : l+n]
}

func (sl *slab) inner(n int) []InnerNode {
	if sl == nil || n > slabSize/4 {
		return make([]InnerNode, 0, n)
	}
	if cap(sl.in)-len(sl.in) < n {
		sl.in = make([]InnerNode, 0, slabSize)
	}
	l := len(sl.in)
	sl.in = sl.in[:l+n]
	return sl.in[l : l : l+n]
}

// SetChildWeights sets the distribution over its children that parent's InnerNode
// reports, for example P(child | parent) learned from data. Weights are normalised
// to sum to 1; children left out get 0. A nil or empty map restores equal shares.
// It is an error of code cipmap.ENOTFOUND if parent is not a tag, and of code
// cipmap.EINVALID if a key is not a child of parent or a weight is negative, not a
// number or infinite, or if all are 0. It is safe to call while texts are tagged.
func (t *Tagger) SetChildWeights(parent string, weights map[string]float64) error {
	p, ok := t.index[parent]
	if !ok {
		return cipmap.Errorf(cipmap.ENOTFOUND, "tagger: %q is not a tag", parent)
	}
	sum := 0.0
	for c, w := range weights {
		ci, ok := t.index[c]
		if !ok || t.parent[ci] != p {
			return cipmap.Errorf(cipmap.EINVALID, "tagger: %q is not a child of %q", c, parent)
		}
		if w < 0 || math.IsNaN(w) || math.IsInf(w, 0) {
			return cipmap.Errorf(cipmap.EINVALID, "tagger: weight %v of %q under %q is not a finite non-negative number", w, c, parent)
		}
		sum += w
	}
	var d []Weighted
	if len(weights) > 0 {
		if sum == 0 {
			return cipmap.Errorf(cipmap.EINVALID, "tagger: the weights of the children of %q are all 0", parent)
		}
		for _, c := range t.children[p] {
			d = append(d, Weighted{Tag: t.ids[c], Weight: weights[t.ids[c]] / sum})
		}
		sort.SliceStable(d, func(i, j int) bool { return d[i].Weight > d[j].Weight })
	}
	for {
		old := t.childW.Load()
		m := make(map[int32][]Weighted, len(*old)+1)
		for k, v := range *old {
			m[k] = v
		}
		if d == nil {
			delete(m, p)
		} else {
			m[p] = d
		}
		if t.childW.CompareAndSwap(old, &m) {
			return nil
		}
	}
}

// confidence is the heuristic of Result.Confidence: how much of the text the
// matched words cover, and how clearly one tag leads.
//
//	coverage   = min(1, matched units / units of the folded text)
//	confidence = (0.5 + 0.5·coverage) · min(1, 2·top weight)
//
// A label that is all keyword (新能源汽车) scores 1; one keyword in a long business
// scope scores a little above 0.5; a text split evenly between three tags loses a
// third. No match gives 0.
func confidence(matched, total, top float64) float64 {
	if matched == 0 || total == 0 {
		return 0
	}
	cov := math.Min(1, matched/total)
	return (0.5 + 0.5*cov) * math.Min(1, 2*top)
}

// Ancestors returns the ancestors of tag, nearest first, or nil for a root or an
// unknown id: the rollUp function of Aggregate for this tag tree.
func (t *Tagger) Ancestors(tag string) []string {
	i, ok := t.index[tag]
	if !ok {
		return nil
	}
	var out []string
	for p := t.parent[i]; p >= 0; p = t.parent[p] {
		out = append(out, t.ids[p])
	}
	return out
}

// TagMany tags texts on workers goroutines (GOMAXPROCS when workers < 1) and
// returns the results in the order of texts.
func (t *Tagger) TagMany(texts []string, workers int) []Result {
	out := make([]Result, len(texts))
	if workers < 1 {
		workers = runtime.GOMAXPROCS(0)
	}
	const chunk = 256
	if workers > (len(texts)+chunk-1)/chunk {
		workers = (len(texts) + chunk - 1) / chunk
	}
	if workers <= 1 {
		sc, sl := new(scratch), new(slab)
		for i, s := range texts {
			out[i] = t.tag(s, sc, sl)
		}
		return out
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			sc, sl := new(scratch), new(slab)
			for {
				start := int(next.Add(chunk)) - chunk
				if start >= len(texts) {
					return
				}
				for i := start; i < min(start+chunk, len(texts)); i++ {
					out[i] = t.tag(texts[i], sc, sl)
				}
			}
		})
	}
	wg.Wait()
	return out
}
