package parse

import (
	"strconv"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// invalid returns the EINVALID error every parser in this package reports. The
// message begins with the value, quoted, and says what was expected; the caller adds
// the file, line and column.
func invalid(format string, args ...any) error {
	return cipmap.Errorf(cipmap.EINVALID, format, args...)
}

// maxQuoted is how many characters of a bad value an error message shows.
const maxQuoted = 60

// quote returns s quoted for an error message, cut short if it is long, so that one
// stray megabyte cell does not make a megabyte message.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	n := 0
	for i := range s {
		if n == maxQuoted {
			return strconv.Quote(s[:i]) + "…"
		}
		n++
	}
	return strconv.Quote(s)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits reads the run of ASCII digits at t[i:] and returns its value and length. The
// value is exact for runs of up to 18 digits.
func digits(t string, i int) (v, n int) {
	for i+n < len(t) && isDigit(t[i+n]) {
		if n < 18 {
			v = v*10 + int(t[i+n]-'0')
		}
		n++
	}
	return v, n
}

// skipSpace returns the index of the first byte at or after i that is not a space.
// Folded text has single ASCII spaces only.
func skipSpace(t string, i int) int {
	for i < len(t) && t[i] == ' ' {
		i++
	}
	return i
}

// hasPrefixFold reports whether t begins with prefix, ignoring ASCII case. prefix is
// lower case.
func hasPrefixFold(t, prefix string) bool {
	if len(t) < len(prefix) {
		return false
	}
	for i := 0; i < len(prefix); i++ {
		c := t[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[i] {
			return false
		}
	}
	return true
}
