package firmname

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cipmap/cipmap/tagger"
)

// token is a word of an English name.
type token struct {
	text  string
	group int  // the bracket group it is in, counted from 1; 0 outside brackets
	dot   bool // a full stop follows it directly
}

// Tokenize splits a name into lower-case words as Parse reads English names:
// letters and digits make words; apostrophes inside a word are dropped (Int'l is
// intl, Chang'an is changan); & is the word "and"; dotted initials are joined
// (S.A. is sa, L.L.C. is llc); everything else separates words. s is folded
// first.
func Tokenize(s string) []string {
	t := mustLoad()
	return words(tokenize(t.fold(s)))
}

func tokenize(s string) []token {
	var (
		out   []token
		start = -1 // byte offset of the word being read, or -1
		b     strings.Builder
		quote bool // the word holds an apostrophe, so b has its text
		group int
		in    bool
	)
	g := func() int {
		if in {
			return group
		}
		return 0
	}
	flush := func(end int) {
		if start < 0 {
			return
		}
		text := s[start:end]
		if quote {
			text = b.String()
			b.Reset()
			quote = false
		}
		out = append(out, token{text: strings.ToLower(text), group: g()})
		start = -1
	}
	for i, r := range s {
		switch {
		case isWordRune(r) && !isHan(r):
			if start < 0 {
				start = i
			}
			if quote {
				b.WriteRune(r)
			}
		case (r == '\'' || r == '’' || r == 'ʼ') && start >= 0:
			if !quote {
				quote = true
				b.WriteString(s[start:i])
			}
		case r == '.':
			if start >= 0 {
				flush(i)
				out[len(out)-1].dot = true
			}
		default:
			flush(i)
			switch r {
			case '&':
				out = append(out, token{text: "and", group: g()})
			case '(':
				group++
				in = true
			case ')':
				in = false
			}
		}
	}
	flush(len(s))
	return joinInitials(out)
}

// joinInitials joins runs of single letters each followed by a full stop (S.A.,
// U.S.A.) into one token.
func joinInitials(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); {
		j := i
		for j < len(toks) && utf8.RuneCountInString(toks[j].text) == 1 && toks[j].dot && toks[j].group == toks[i].group {
			j++
		}
		if j-i >= 2 {
			var b strings.Builder
			for _, t := range toks[i:j] {
				b.WriteString(t.text)
			}
			out = append(out, token{text: b.String(), group: toks[i].group, dot: true})
			i = j
			continue
		}
		out = append(out, toks[i])
		i++
	}
	return out
}

func words(toks []token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.text
	}
	return out
}

// ExpandAbbreviations returns the tokens in the one form Name.Tokens holds for
// each word: abbreviations expanded and variants made one (TECH → technology,
// COMM → communication, GRP → group, SRVCES and SVCS → service, INTL →
// international, ELEC → electronic, MFG → manufacturing, HLDGS → holding, IND
// and industrial → industry; see data/abbreviations.tsv for the list and the
// choices made where an abbreviation is ambiguous), and plurals made singular
// where the singular is an industry word or one of those forms (technologies →
// technology, services → service, holdings → holding). Other words, trade names
// among them, are only lower-cased. The tokens are not otherwise changed: stop
// words stay.
func ExpandAbbreviations(tokens []string) []string {
	t := mustLoad()
	out := make([]string, len(tokens))
	for i, w := range tokens {
		out[i] = t.normToken(strings.ToLower(w))
	}
	return out
}

func (t *tables) normToken(w string) string {
	if x, ok := t.abbrev[w]; ok {
		return x
	}
	if s := tagger.FoldPlural(w); s != w {
		if x, ok := t.abbrev[s]; ok {
			return x
		}
		if t.enIndustry[s] || groupWord[s] {
			return s
		}
	}
	return w
}

// groupWord holds the English group markers as Name.Tokens writes them.
var groupWord = map[string]bool{"group": true, "holding": true}

// stopWord holds the words Name.Tokens leaves out.
var stopWord = map[string]bool{"and": true, "of": true, "the": true}

// branchWord holds the last words of an English branch name (Beijing Branch).
var branchWord = map[string]bool{"branch": true, "subbranch": true, "office": true}

// splitLegalEn takes the legal form and group markers off the end of an English
// name's words: the longest form of data/legal-forms.tsv that ends the words, again
// until none does. Legal forms are removed (the outermost is kept); group markers
// stay in the words and set group. Nothing is removed that would leave no word.
func (t *tables) splitLegalEn(ws []string) (rest []string, legal string, group bool, groupForm string) {
	rest = append([]string(nil), ws...)
	end := len(rest)
outer:
	for end > 0 {
		for _, lf := range t.enLegal {
			k := len(lf.tokens)
			if k > end || !equalWords(rest[end-k:end], lf.tokens) {
				continue
			}
			if lf.group {
				group = true
				if groupForm == "" {
					groupForm = lf.canonical
				}
				end -= k
				continue outer
			}
			if legal != "" || len(rest) == k {
				break outer
			}
			legal = lf.canonical
			rest = append(rest[:end-k], rest[end:]...)
			end -= k
			continue outer
		}
		break
	}
	if legal == "" {
		legal = groupForm
	}
	return rest, legal, group, groupForm
}

// splitBranchEn splits "... Co., Ltd. Beijing Branch" after the last legal form
// that is followed by words ending in branch, subbranch or office.
func (t *tables) splitBranchEn(ws []string) (head, branch []string) {
	if len(ws) < 3 || !branchWord[ws[len(ws)-1]] {
		return ws, nil
	}
	for p := len(ws) - 1; p > 0; p-- {
		for _, lf := range t.enLegal {
			k := len(lf.tokens)
			if lf.group || k > p || !equalWords(ws[p-k:p], lf.tokens) {
				continue
			}
			return ws[:p], ws[p:]
		}
	}
	return ws, nil
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// parseLatin fills n from its folded English name.
func (t *tables) parseLatin(n *Name) {
	toks := tokenize(n.Folded)
	region, toks := t.bracketLatin(toks)
	ws := words(toks)
	for len(ws) > 1 && ws[0] == "the" {
		ws = ws[1:]
	}
	ws, branch := t.splitBranchEn(ws)
	n.Branch = strings.Join(branch, " ")
	ws, n.LegalForm, n.Group, _ = t.splitLegalEn(ws)
	var regionWords []string
	if r, rest := t.leadingLatin(ws); r != nil {
		regionWords = ws[:len(ws)-len(rest)]
		ws = rest
		region = r
	}
	norm := make([]string, 0, len(ws))
	for _, w := range ws {
		w = t.normToken(w)
		if !stopWord[w] {
			norm = append(norm, w)
		}
	}
	i := 0
	for i < len(norm) && !t.enIndustry[norm[i]] && !groupWord[norm[i]] {
		i++
	}
	// "New" before an industry word belongs to it (New Energy, New Material:
	// 新能源, 新材料), not to the trade name: Heming New Energy is 和明新能源.
	if i > 1 && i < len(norm) && norm[i-1] == "new" && !groupWord[norm[i]] {
		i--
	}
	trade := norm[:i]
	switch {
	case i > 0:
	case len(regionWords) > 0:
		// Nothing but industry words after the region (Hainan Airlines): the
		// region is the trade name.
		trade = regionWords
		norm = append(append([]string(nil), regionWords...), norm...)
		i = len(regionWords)
	default:
		// Nothing but industry words (Semiconductor Manufacturing International):
		// they are the trade name.
		trade = nonGroup(norm)
		i = len(norm)
	}
	n.TradeName = strings.Join(trade, " ")
	n.Industry = strings.Join(nonGroup(norm[i:]), " ")
	if len(norm) > 0 {
		n.Tokens = norm
	}
	n.Key = strings.Join(nonGroup(norm), " ")
	if region != nil {
		n.Region = region.Short
	}
}

// nonGroup returns the words that are not group markers.
func nonGroup(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if !groupWord[w] {
			out = append(out, w)
		}
	}
	return out
}

// isLetter reports whether r is a letter of any script.
func isLetter(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
