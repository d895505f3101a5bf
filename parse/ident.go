package parse

import (
	"strings"
	"unicode/utf8"
)

// usccChars are the 31 characters of a unified social credit code, in the order of
// their values 0..30: the digits and the capital letters except I, O, S, V and Z.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// usccWeights are the weights of the first 17 characters, 3^i mod 31.
var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC validates a unified social credit code (统一社会信用代码, GB 32100-2015), the
// 18-character identifier of every legal entity registered in China, and returns it
// in canonical form: upper case, without spaces. The input is folded first, so
// full-width and lower-case letters and surrounding spaces are accepted.
//
// A code has 18 characters from 0-9 and A-Z without I, O, S, V and Z. The 18th is a
// check character: with the others' values (0-9, A=10, ..., Y=30) weighted by
// 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28, it makes the sum a
// multiple of 31. The error names what is wrong: the length, a character and its
// position, or the check character and the one expected.
func USCC(s string) (string, error) {
	t := Fold(s)
	if n := utf8.RuneCountInString(t); n != 18 {
		return "", invalid("%s is not a unified social credit code: it has %d characters; expected 18", quote(s), n)
	}
	var code [18]byte
	sum, i := 0, 0
	for _, r := range t {
		r = upper(r)
		v := -1
		if r < utf8.RuneSelf {
			v = strings.IndexByte(usccChars, byte(r))
		}
		if v < 0 {
			return "", invalid("%s is not a unified social credit code: character %q at position %d is not allowed%s; expected 0-9 or A-Z except I, O, S, V and Z",
				quote(s), r, i+1, confusable(r))
		}
		code[i] = byte(r)
		if i < 17 {
			sum += v * usccWeights[i]
		}
		i++
	}
	if want := usccChars[(31-sum%31)%31]; code[17] != want {
		return "", invalid("%s is not a valid unified social credit code: check character is %c, expected %c", quote(s), code[17], want)
	}
	return codeString(s, code[:]), nil
}

// OrgCode validates an organisation code (组织机构代码, GB 11714-1997), the
// nine-character identifier that preceded the unified social credit code and is its
// 9th to 17th characters. It is written with or without a hyphen before the check
// character (70846113-6) and returned without it, upper case, as it appears in a USCC.
//
// The first eight characters are digits or capital letters (A=10, ..., Z=35); the
// ninth is a check character: 11 minus their weighted sum (weights 3, 7, 9, 10, 5, 8,
// 4, 2) modulo 11, with 10 written X and 11 written 0.
func OrgCode(s string) (string, error) {
	t := Fold(s)
	n := utf8.RuneCountInString(t)
	hyphen := n == 10 && len(t) == 10 && t[8] == '-'
	if n != 9 && !hyphen {
		return "", invalid("%s is not an organisation code: it has %d characters; expected 9, or 10 with a hyphen before the last", quote(s), n)
	}
	weights := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	var code [9]byte
	sum, i := 0, 0
	for k, r := range t {
		if hyphen && k == 8 {
			continue
		}
		r = upper(r)
		v := alnumValue(r)
		if i < 8 && v < 0 || i == 8 && !('0' <= r && r <= '9' || r == 'X') {
			expected := "0-9 or A-Z"
			if i == 8 {
				expected = "a check character, 0-9 or X"
			}
			return "", invalid("%s is not an organisation code: character %q at position %d is not allowed; expected %s", quote(s), r, i+1, expected)
		}
		code[i] = byte(r)
		if i < 8 {
			sum += v * weights[i]
		}
		i++
	}
	want := byte('0' + (11-sum%11)%11)
	if want == '0'+10 {
		want = 'X'
	}
	if code[8] != want {
		return "", invalid("%s is not a valid organisation code: check character is %c, expected %c", quote(s), code[8], want)
	}
	return codeString(s, code[:]), nil
}

// LEI validates a legal entity identifier (ISO 17442) and returns it in canonical
// form, upper case. An LEI has 20 characters: 18 digits or capital letters, then two
// check digits that make the whole, read as a number with A=10, ..., Z=35, equal to 1
// modulo 97 (ISO 7064 MOD 97-10, as in an IBAN).
func LEI(s string) (string, error) {
	t := Fold(s)
	if n := utf8.RuneCountInString(t); n != 20 {
		return "", invalid("%s is not a legal entity identifier: it has %d characters; expected 20", quote(s), n)
	}
	var code [20]byte
	m, i := 0, 0
	for _, r := range t {
		r = upper(r)
		v := alnumValue(r)
		if i < 18 && v < 0 || i >= 18 && !('0' <= r && r <= '9') {
			expected := "0-9 or A-Z"
			if i >= 18 {
				expected = "a check digit, 0-9"
			}
			return "", invalid("%s is not a legal entity identifier: character %q at position %d is not allowed; expected %s", quote(s), r, i+1, expected)
		}
		code[i] = byte(r)
		if i < 18 {
			if v < 10 {
				m = (m*10 + v) % 97
			} else {
				m = (m*100 + v) % 97
			}
		}
		i++
	}
	// The check digits that make the remainder of the whole 1.
	want := 98 - m*100%97
	if got := int(code[18]-'0')*10 + int(code[19]-'0'); got != want {
		return "", invalid("%s is not a valid legal entity identifier: check digits are %02d, expected %02d", quote(s), got, want)
	}
	return codeString(s, code[:]), nil
}

// upper maps an ASCII lower-case letter to upper case.
func upper(r rune) rune {
	if 'a' <= r && r <= 'z' {
		return r - ('a' - 'A')
	}
	return r
}

// codeString returns code as a string, reusing s when it is the same.
func codeString(s string, code []byte) string {
	if string(code) == s {
		return s
	}
	return string(code)
}

// alnumValue returns the value of a digit (0-9) or capital letter (A=10, ..., Z=35),
// or -1.
func alnumValue(r rune) int {
	switch {
	case '0' <= r && r <= '9':
		return int(r - '0')
	case 'A' <= r && r <= 'Z':
		return int(r-'A') + 10
	}
	return -1
}

// confusable explains the letters a unified social credit code leaves out because
// they look like digits.
func confusable(r rune) string {
	switch r {
	case 'O':
		return " (letter O; the digit 0?)"
	case 'I':
		return " (letter I; the digit 1?)"
	}
	return ""
}
