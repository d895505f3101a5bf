package parse

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s in the form every other parser in this package reads: Unicode NFKC
// (which folds full-width digits, letters and punctuation to ASCII, so "２０２０年"
// becomes "2020年" and "（１）" becomes "(1)"), with the CJK brackets 【】〔〕﹝﹞〖〗〘〙
// mapped to [ ], every run of whitespace (the ideographic space U+3000, no-break
// spaces, tabs, line breaks) made one ASCII space, and leading and trailing space
// trimmed. The invisible characters U+00AD (soft hyphen), U+200B (zero-width space),
// U+2060 (word joiner) and U+FEFF (byte-order mark) are removed, and invalid UTF-8
// bytes become U+FFFD. Quotation and title marks (「」『』《》) are kept.
//
// Fold is idempotent. It returns s itself, without allocating, when s is already
// folded, which is the common case for ASCII data.
func Fold(s string) string {
	if isFolded(s) {
		return s
	}
	return fold(s)
}

// isFolded reports whether Fold(s) == s, checking cheaply for the usual cases.
func isFolded(s string) bool {
	tidy, ascii := isTidy(s)
	if !tidy || ascii {
		return tidy
	}
	// QuickSpanString, unlike IsNormalString, does not allocate. When it cannot be
	// sure, fold does the work and may return a copy equal to s.
	return norm.NFKC.QuickSpanString(s) == len(s)
}

// isTidy reports whether s is valid UTF-8 with single ASCII spaces between words
// only, no other whitespace, and no character that Fold removes or maps apart from
// NFKC; and whether s is ASCII.
func isTidy(s string) (tidy, ascii bool) {
	if s == "" {
		return true, true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false, false
	}
	ascii = true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			ascii = false
		case c == ' ':
			if s[i+1] == ' ' { // s does not end in a space, so i+1 < len(s)
				return false, false
			}
		case c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false, false
		}
	}
	if ascii {
		return true, true
	}
	for _, r := range s {
		if r == utf8.RuneError || r != ' ' && unicode.IsSpace(r) || invisible(r) || bracket(r) != r {
			return false, false
		}
	}
	return true, false
}

func fold(s string) string {
	// Invisible characters go first, so that NFKC sees the characters they separated
	// as neighbours and Fold stays idempotent; strings.Map also turns invalid UTF-8
	// into U+FFFD.
	if strings.IndexFunc(s, func(r rune) bool { return r == utf8.RuneError || invisible(r) }) >= 0 {
		s = strings.Map(func(r rune) rune {
			if invisible(r) {
				return -1
			}
			return r
		}, s)
	}
	f := folders.Get().(*folder)
	defer folders.Put(f)
	n := f.nfkc[:0]
	f.it.InitString(norm.NFKC, s)
	for !f.it.Done() {
		n = append(n, f.it.Next()...)
	}
	b := f.out[:0]
	space := false
	for rest := n; len(rest) > 0; {
		r, size := utf8.DecodeRune(rest)
		rest = rest[size:]
		if unicode.IsSpace(r) {
			space = len(b) > 0
			continue
		}
		if space {
			b = append(b, ' ')
			space = false
		}
		b = utf8.AppendRune(b, bracket(r))
	}
	if cap(n) <= 4096 && cap(b) <= 4096 { // keep the buffers unless one grew huge
		f.nfkc, f.out = n[:0], b[:0]
	} else {
		f.nfkc, f.out = nil, nil
	}
	f.it.InitString(norm.NFKC, "") // let go of s
	return string(b)
}

// folder holds what fold needs, reused through a pool, so that folding a short value
// allocates only its result (norm.NFKC.String would allocate three times).
type folder struct {
	it        norm.Iter
	nfkc, out []byte
}

var folders = sync.Pool{New: func() any { return new(folder) }}

// invisible reports whether r is a format character that Fold removes.
func invisible(r rune) bool {
	return r == '\u00AD' || r == '\u200B' || r == '\u2060' || r == '\uFEFF'
}

// bracket maps the CJK brackets that NFKC leaves alone to ASCII square brackets. The
// full-width （）［］ and the small ﹝﹞ need no entry: NFKC maps them to ( ) [ ] and
// 〔〕 already.
func bracket(r rune) rune {
	switch r {
	case '【', '〔', '〖', '〘':
		return '['
	case '】', '〕', '〗', '〙':
		return ']'
	}
	return r
}

// placeholders are the values, after Fold and in lower case, that IsEmpty takes to
// mean "no value".
var placeholders = map[string]bool{
	"":     true,
	"..":   true,
	"...":  true,
	"-":    true,
	"--":   true,
	"–":    true, // en dash
	"—":    true, // em dash
	"——":   true, // Chinese double dash
	"/":    true,
	"n/a":  true,
	"#n/a": true, // Excel
	"na":   true,
	"nan":  true, // pandas
	"null": true,
	"none": true,
	"无":    true,
	"暂无":   true, // "none yet"
	"不详":   true, // "not known"
}

// IsEmpty reports whether s holds no value: it is blank after Fold, or it is one of
// the placeholders that datasets write for a missing value, compared after Fold and
// ignoring ASCII case: "..", "...", "-", "--", "–", "—", "——", "/", "N/A", "#N/A",
// "NA", "NaN", "null", "None", "无", "暂无" (none yet) and "不详" (not known).
// Callers check IsEmpty before parsing, so that a placeholder is skipped rather than
// reported as a malformed value.
func IsEmpty(s string) bool {
	f := Fold(s)
	if len(f) > 8 {
		return false
	}
	var buf [8]byte
	b := buf[:len(f)]
	for i := 0; i < len(f); i++ {
		c := f[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return placeholders[string(b)]
}
