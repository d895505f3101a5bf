package taxonomy

import (
	"bytes"
	"strings"

	"golang.org/x/text/width"

	"github.com/cipmap/cipmap"
)

// kind says how the codes of a system are written, for normalisation and for the
// structure of codes (a heading's parent is its chapter, ...).
type kind int

const (
	kindPlain kind = iota // codes as given, spaces trimmed
	kindSlug              // lower-case slugs: mic2025, ctt
	kindHS                // 2, 4, 6 digits; roman section numbers
	kindGB                // GB/T 4754: section letter, 2-4 digits
	kindISIC              // ISIC: section letter, 2-4 digits
	kindIPC               // IPC: A, A01, A01B, A01B1/00, A01B1/02
	kindSEI               // SEI 2018: 1, 1.2, 1.2.3
	kindWIPO              // WIPO technology fields 1-35; sectors I-V
)

// kindOf gives the kind of a system from its id; systems that cipmap does not know
// are kindPlain (kindSlug for ctt).
func kindOf(id string) kind {
	switch {
	case strings.HasPrefix(id, "hs"):
		return kindHS
	case strings.HasPrefix(id, "gbt4754"):
		return kindGB
	case strings.HasPrefix(id, "isic"):
		return kindISIC
	case id == "ipc":
		return kindIPC
	case strings.HasPrefix(id, "sei"):
		return kindSEI
	case id == "wipo35":
		return kindWIPO
	case id == "mic2025" || id == "ctt":
		return kindSlug
	}
	return kindPlain
}

func (s *system) invalid(code, format string, args ...any) error {
	return cipmap.Errorf(cipmap.EINVALID, "%s: %q is not a valid code: "+format, append([]any{s.info.ID, code}, args...)...)
}

// normalize returns code in the system's canonical form. It checks the form only,
// not that the code exists.
func (s *system) normalize(code string) (string, error) {
	in := strings.TrimSpace(code)
	if in == "" {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: empty code", s.info.ID)
	}
	switch s.kind {
	case kindSlug:
		return strings.ToLower(in), nil
	case kindPlain:
		return in, nil
	}
	f := strings.ToUpper(width.Fold.String(in))
	switch s.kind {
	case kindHS:
		return s.normalizeHS(code, f)
	case kindGB, kindISIC:
		return s.normalizeIndustry(code, f)
	case kindIPC:
		c, ok := normalizeIPC(f)
		if !ok {
			return "", s.invalid(code, "expected an IPC symbol such as B25J 9/16, B25J9/16 or B25J0009160000")
		}
		return c, nil
	case kindSEI:
		c := strings.Trim(strings.ReplaceAll(f, " ", ""), ".")
		for _, r := range c {
			if (r < '0' || r > '9') && r != '.' {
				return "", s.invalid(code, "expected an SEI 2018 code such as 1, 1.2 or 1.2.3")
			}
		}
		return c, nil
	case kindWIPO:
		if isRoman(f) {
			return f, nil
		}
		c := strings.TrimLeft(f, "0")
		if c == "" || !allDigits(c) {
			return "", s.invalid(code, "expected a WIPO technology field number 1-35 or a sector I-V")
		}
		return c, nil
	}
	return in, nil
}

// normalizeHS keeps the digits: "8504.40" → "850440". A code of odd length has lost
// its leading zero (spreadsheets do that to chapters 01-09): "10121" → "010121".
// National tariff lines of 8 or 10 digits are cut to their HS subheading.
func (s *system) normalizeHS(code, f string) (string, error) {
	if isRoman(f) {
		if _, ok := s.index[f]; ok {
			return f, nil
		}
	}
	f = strings.TrimPrefix(f, "HS")
	var b strings.Builder
	for _, r := range f {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '.' || r == ' ' || r == '-' || r == '\'':
		default:
			return "", s.invalid(code, "expected an HS code of 2, 4 or 6 digits such as 8504.40 or 850440")
		}
	}
	d := b.String()
	switch len(d) {
	case 1, 3, 5:
		d = "0" + d
	case 2, 4, 6:
	case 8, 10:
		d = d[:6]
	default:
		return "", s.invalid(code, "expected an HS code of 2, 4 or 6 digits such as 8504.40 or 850440")
	}
	return d, nil
}

// normalizeIndustry handles GB/T 4754 and ISIC codes: a section letter, or 2-4
// digits, optionally after the section letter ("C3973" → "3973").
func (s *system) normalizeIndustry(code, f string) (string, error) {
	f = strings.NewReplacer(" ", "", ".", "").Replace(f)
	what := "expected a section letter or a code of 2-4 digits such as 3973 or C3973"
	if len(f) == 1 && f[0] >= 'A' && f[0] <= 'Z' {
		return f, nil
	}
	letter := ""
	if len(f) > 0 && f[0] >= 'A' && f[0] <= 'Z' {
		letter, f = f[:1], f[1:]
	}
	if len(f) < 2 || len(f) > 4 || !allDigits(f) {
		return "", s.invalid(code, what)
	}
	if letter != "" {
		if sec := s.sectionOf(f); sec != "" && sec != letter {
			return "", s.invalid(code, "%s is in section %s, not %s", f, sec, letter)
		}
	}
	return f, nil
}

// sectionOf returns the section letter above a code, if the system records one.
func (s *system) sectionOf(c string) string {
	i, ok := s.index[c]
	for ok {
		n := s.nodes[i]
		if len(n.code.Code) == 1 {
			return n.code.Code
		}
		if n.parent < 0 {
			return ""
		}
		i = n.parent
	}
	return ""
}

// normalizeIPC accepts an upper-case IPC symbol in the forms people and databases
// write: "B25J 9/16", "B25J9/16", "B25J   9/16" (PATSTAT), "B25J0009160000"
// (14-character compact), "B25J9" (main group), "B25J", "B25", "B"; it returns
// "B25J9/16", "B25J9/00", "B25J", ... Trailing zeros of a subgroup beyond its first
// two digits carry no meaning and are dropped ("9/160" → "9/16").
func normalizeIPC(f string) (string, bool) {
	if strings.ContainsRune(f, '\u00a0') {
		f = strings.ReplaceAll(f, "\u00a0", " ")
	}
	return normalizeIPCBytes([]byte(f))
}

func normalizeIPCBytes(in []byte) (string, bool) {
	var buf [24]byte
	n := 0
	for _, c := range in {
		if c == ' ' || c == '\t' {
			continue
		}
		if n == len(buf) {
			return "", false
		}
		buf[n] = c
		n++
	}
	f := buf[:n]
	if n == 0 || f[0] < 'A' || f[0] > 'H' {
		return "", false
	}
	switch {
	case n == 1:
		return string(f), true
	case n < 3 || !isDigit(f[1]) || !isDigit(f[2]):
		return "", false
	case n == 3:
		return string(f), true
	case f[3] < 'A' || f[3] > 'Z':
		return "", false
	case n == 4:
		return string(f), true
	}
	rest := f[4:]
	var main, sub []byte
	if i := bytes.IndexByte(rest, '/'); i >= 0 {
		main, sub = rest[:i], rest[i+1:]
	} else if len(rest) == 10 && digits(rest) {
		main, sub = rest[:4], rest[4:]
	} else {
		main = rest
	}
	if len(main) == 0 || len(main) > 4 || !digits(main) || (len(sub) > 0 && !digits(sub)) {
		return "", false
	}
	for len(main) > 0 && main[0] == '0' {
		main = main[1:]
	}
	if len(main) == 0 {
		return "", false
	}
	for len(sub) > 2 && sub[len(sub)-1] == '0' {
		sub = sub[:len(sub)-1]
	}
	var out [24]byte
	o := copy(out[:], f[:4])
	o += copy(out[o:], main)
	out[o] = '/'
	o++
	switch len(sub) {
	case 0:
		o += copy(out[o:], "00")
	case 1:
		return "", false
	default:
		o += copy(out[o:], sub)
	}
	return string(out[:o]), true
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func digits(b []byte) bool {
	for _, c := range b {
		if !isDigit(c) {
			return false
		}
	}
	return len(b) > 0
}

// structuralParent returns the code above c by the structure of the system's codes
// alone, or "" where the structure says nothing (a chapter's section is data).
func structuralParent(k kind, c string) string {
	switch k {
	case kindHS:
		if allDigits(c) && (len(c) == 4 || len(c) == 6) {
			return c[:len(c)-2]
		}
	case kindGB, kindISIC:
		if allDigits(c) && (len(c) == 3 || len(c) == 4) {
			return c[:len(c)-1]
		}
	case kindIPC:
		switch {
		case len(c) <= 1:
			return ""
		case len(c) <= 4:
			return c[:len(c)-1]
		}
		i := strings.IndexByte(c, '/')
		if i < 0 {
			return c[:4]
		}
		sub := c[i+1:]
		switch {
		case sub == "00":
			return c[:4]
		case len(sub) <= 2:
			return c[:i] + "/00"
		}
		sub = strings.TrimRight(sub[:len(sub)-1], "0")
		if len(sub) < 2 {
			sub += strings.Repeat("0", 2-len(sub))
		}
		return c[:i] + "/" + sub
	case kindSEI:
		if i := strings.LastIndexByte(c, '.'); i > 0 {
			return c[:i]
		}
	}
	return ""
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func isRoman(s string) bool {
	if s == "" || len(s) > 5 {
		return false
	}
	for _, r := range s {
		if r != 'I' && r != 'V' && r != 'X' {
			return false
		}
	}
	return true
}
