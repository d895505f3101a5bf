package policy

import (
	"math"
	"sort"
)

// Instrument is one policy instrument of cipmap's instrument taxonomy
// (data/instruments.tsv): a channel through which industrial policy reaches
// firms, placed in a chapter of UNCTAD's MAST classification as Global Trade
// Alert uses it.
type Instrument struct {
	// ID is a stable slug: guidance-fund, subsidy, tax-relief, credit, ...
	ID string
	// MAST is the chapter letter (L subsidies, M government procurement, I
	// trade-related investment measures, P export measures, B technical barriers,
	// F price controls), or "" where GTA classes the measure outside MAST
	// (tariffs, FDI measures).
	MAST string
	// Fit is exact when a GTA intervention type covers the instrument, partial
	// when the chapter is only the closest, none when outside MAST.
	Fit string
	// GTA lists the corresponding GTA intervention types.
	GTA []string
	// NameZH and NameEN are its names; Definition says what it covers, in English.
	NameZH, NameEN, Definition string
	// KeywordsZH and KeywordsEN are what TagInstruments looks for;
	// Exclusions are phrases that contain a keyword and do not mean the
	// instrument.
	KeywordsZH, KeywordsEN, Exclusions []string
}

// Instruments returns the instrument taxonomy in file order.
func Instruments() []Instrument {
	return append([]Instrument(nil), mustLoad().instruments...)
}

// LookupInstrument returns the instrument with the given id.
func LookupInstrument(id string) (Instrument, bool) {
	t := mustLoad()
	i, ok := t.instrByID[id]
	if !ok {
		return Instrument{}, false
	}
	return t.instruments[i], true
}

// TaxonomyVersion returns the version of the instrument taxonomy, from its data
// file, for recording beside tags.
func TaxonomyVersion() string { return mustLoad().version }

// Evidence is one keyword match in a text.
type Evidence struct {
	// Keyword is the taxonomy's keyword as written in the data file.
	Keyword string
	// Offset is the byte offset of the match in the text given, and Text the
	// matched bytes as they stand there (full-width, upper case).
	Offset int
	Text   string
	// Cue is the negation cue (不包括, 除外) that discounted the match, for matches
	// in InstrumentTag.Negated.
	Cue string `json:",omitempty"`
}

// InstrumentTag is an instrument found in a text.
type InstrumentTag struct {
	// Instrument is the instrument's id; MAST its chapter.
	Instrument string
	MAST       string
	// Confidence is 1 − ∏(1 − w) over the distinct keywords matched, where w is
	// 0.85 for a keyword of four or more characters (or several English words),
	// 0.7 for three, 0.5 for two (or one English word), and 0.3 for a keyword
	// the taxonomy marks weak. It is a ranking score, not a calibrated
	// probability.
	Confidence float64
	// Evidence lists the matches, in text order.
	Evidence []Evidence
	// Negated lists matches of the instrument's keywords that a negation cue
	// discounted; they do not count towards Confidence.
	Negated []Evidence `json:",omitempty"`
}

// match is one keyword match, in folded runes.
type match struct {
	start, end int // rune indexes into folded.r
	entry      dictEntry
	cue        string // the negating cue, if any
}

// TagInstruments finds the instruments a policy text uses, with the keywords
// that show it. Chinese is matched without word segmentation, longest match
// first over all instruments' keywords (出口退税 is an export incentive, not a tax
// relief), after folding full-width forms and case; English keywords match whole
// words. A match inside one of the instrument's exclusions (药品上市 for listing)
// does not count, nor does one a negation cue covers within its sentence or
// clause (不包括贷款, 贷款除外; data/negation.tsv); those are reported in Negated.
// Tags are returned by decreasing confidence, then id. A text with no match gives
// nil.
func TagInstruments(text string) []InstrumentTag {
	t := mustLoad()
	f := foldText(text)
	ms := t.scanKeywords(f)
	if len(ms) == 0 {
		return nil
	}
	t.negate(f, ms)
	byInstr := map[int]*InstrumentTag{}
	seenKW := map[int]map[string]bool{}
	var order []int
	for _, m := range ms {
		i := m.entry.instr
		tag := byInstr[i]
		if tag == nil {
			tag = &InstrumentTag{Instrument: t.instruments[i].ID, MAST: t.instruments[i].MAST, Confidence: 0}
			byInstr[i] = tag
			seenKW[i] = map[string]bool{}
			order = append(order, i)
		}
		start, end := f.start[m.start], f.end[m.end-1]
		ev := Evidence{Keyword: m.entry.keyword, Offset: start, Text: text[start:end], Cue: m.cue}
		if m.cue != "" {
			tag.Negated = append(tag.Negated, ev)
			continue
		}
		tag.Evidence = append(tag.Evidence, ev)
		if !seenKW[i][m.entry.keyword] {
			seenKW[i][m.entry.keyword] = true
			// Confidence holds ∏(1 − w) until the end.
			if len(seenKW[i]) == 1 {
				tag.Confidence = 1
			}
			tag.Confidence *= 1 - m.entry.weight
		}
	}
	var out []InstrumentTag
	for _, i := range order {
		tag := byInstr[i]
		if len(tag.Evidence) == 0 {
			continue
		}
		tag.Confidence = math.Round((1-tag.Confidence)*100) / 100
		out = append(out, *tag)
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Confidence != out[b].Confidence {
			return out[a].Confidence > out[b].Confidence
		}
		return out[a].Instrument < out[b].Instrument
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// scanKeywords finds keyword matches, leftmost longest, skipping those inside an
// exclusion of their own instrument.
func (t *tables) scanKeywords(f *folded) []match {
	excl := t.exclusionSpans(f)
	var ms []match
	n := len(f.r)
	for i := 0; i < n; {
		best, bestLen := []dictEntry(nil), 0
		for l := min(t.dictFirst[f.r[i]], n-i); l >= 1; l-- {
			es, ok := t.dict[string(f.r[i:i+l])]
			if !ok {
				continue
			}
			if es[0].english && !wordBounded(f.r, i, i+l) {
				continue
			}
			best, bestLen = es, l
			break
		}
		if bestLen == 0 {
			i++
			continue
		}
		for _, e := range best {
			if excluded(excl, e.instr, i, i+bestLen) {
				continue
			}
			ms = append(ms, match{start: i, end: i + bestLen, entry: e})
		}
		i += bestLen
	}
	return ms
}

// wordBounded reports whether runes [i, j) are not part of a longer ASCII word.
func wordBounded(r []rune, i, j int) bool {
	if i > 0 && isWordRune(r[i-1]) && isWordRune(r[i]) {
		return false
	}
	if j < len(r) && isWordRune(r[j]) && isWordRune(r[j-1]) {
		return false
	}
	return true
}

// span is an exclusion phrase's occurrence, for one instrument.
type span struct{ start, end, instr int }

// exclusionSpans finds every occurrence of every exclusion phrase.
func (t *tables) exclusionSpans(f *folded) []span {
	var out []span
	n := len(f.r)
	for i := 0; i < n; i++ {
		for l := min(t.exclFirst[f.r[i]], n-i); l >= 2; l-- {
			for _, in := range t.exclusions[string(f.r[i:i+l])] {
				out = append(out, span{i, i + l, in})
			}
		}
	}
	return out
}

func excluded(spans []span, instr, start, end int) bool {
	for _, s := range spans {
		if s.instr == instr && s.start <= start && end <= s.end {
			return true
		}
	}
	return false
}

// negate marks the matches a negation cue covers. A cue that overlaps a match is
// part of a keyword (禁止出口), not a negation.
func (t *tables) negate(f *folded, ms []match) {
	n := len(f.r)
	for i := 0; i < n; i++ {
		for _, c := range t.cues {
			l := len(c.cue)
			if i+l > n || string(f.r[i:i+l]) != string(c.cue) {
				continue
			}
			if c.english && !wordBounded(f.r, i, i+l) {
				continue
			}
			if overlapsMatch(ms, i, i+l) {
				continue
			}
			for k := range ms {
				m := &ms[k]
				if m.cue != "" {
					continue
				}
				if !c.before && m.start >= i+l && !boundaryBetween(f.r, i+l, m.start, c.sentence) {
					m.cue = string(c.cue)
				}
				if c.before && m.end <= i && !boundaryBetween(f.r, m.end, i, c.sentence) {
					m.cue = string(c.cue)
				}
			}
			break
		}
	}
}

func overlapsMatch(ms []match, start, end int) bool {
	for _, m := range ms {
		if m.start < end && start < m.end {
			return true
		}
	}
	return false
}

// boundaryBetween reports whether runes [i, j) hold the end of a sentence (or,
// when sentence is false, of a clause).
func boundaryBetween(r []rune, i, j int, sentence bool) bool {
	for k := i; k < j; k++ {
		switch r[k] {
		case '。', '!', '?', ';', '！', '？', '；', '\n':
			return true
		case '.':
			if k+1 >= len(r) || r[k+1] == ' ' || r[k+1] == '\n' {
				return true
			}
		case '，', ',', '：', ':':
			if !sentence {
				return true
			}
		}
	}
	return false
}
