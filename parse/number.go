package parse

import (
	"strconv"
	"strings"
)

// maxDigits bounds the length of a normalised decimal, so that "1e9999" is an error
// rather than ten thousand zeros.
const maxDigits = 100

// decimal is a number as written: its digits and where the point goes. It refers to
// the text it was read from and allocates nothing.
type decimal struct {
	text string // the number as written
	neg  bool
	int  string // the integer digits, possibly with thousands separators
	frac string // the fraction digits
	exp  int    // the power of ten written after e
}

// scanDecimal reads a decimal number at t[i:]: an optional sign (if signed), digits
// with optional thousands separators in groups of three, an optional fraction and an
// optional exponent. It returns the number and the index after it; the index is i if
// there is no number. why is set if the number is malformed.
func scanDecimal(t string, i int, signed bool) (d decimal, j int, why string) {
	start := i
	if signed && i < len(t) {
		switch {
		case t[i] == '+':
			i++
		case t[i] == '-':
			d.neg = true
			i++
		case strings.HasPrefix(t[i:], "−"): // U+2212 minus sign
			d.neg = true
			i += len("−")
		}
	}
	_, first := digits(t, i)
	k := i + first
	for first > 0 && k+1 < len(t) && t[k] == ',' && isDigit(t[k+1]) {
		_, g := digits(t, k+1)
		if g != 3 || first > 3 {
			return d, start, "misplaced thousands separator; expected groups of three digits such as 1,234,567.5"
		}
		k += 1 + g
	}
	d.int = t[i:k]
	// A point belongs to the number if a digit follows, or if digits came before it
	// and it does not begin a range such as 30..50.
	if k < len(t) && t[k] == '.' {
		_, f := digits(t, k+1)
		if f > 0 || k > i && (k+1 == len(t) || t[k+1] != '.') {
			d.frac = t[k+1 : k+1+f]
			k += 1 + f
		}
	}
	if d.int == "" && d.frac == "" {
		return decimal{}, start, ""
	}
	if k < len(t) && (t[k] == 'e' || t[k] == 'E') {
		e, neg := k+1, false
		if e < len(t) && (t[e] == '+' || t[e] == '-') {
			neg = t[e] == '-'
			e++
		}
		if v, n := digits(t, e); n > 0 {
			if n > 4 {
				return d, start, "exponent too large"
			}
			if neg {
				v = -v
			}
			d.exp = v
			k = e + n
		}
	}
	d.text = t[start:k]
	return d, k, ""
}

// appendTo appends d × 10^shift to b in the canonical form of this package: no
// exponent, no thousands separators, no leading zeros before the point except one, no
// trailing zeros after it, and no point if the number is whole; "-" for a negative
// number and "0" for any zero. It returns false if the result would be longer than
// maxDigits.
func (d decimal) appendTo(b []byte, shift int) ([]byte, bool) {
	var dsBuf [48]byte
	ds := dsBuf[:0]
	for i := 0; i < len(d.int); i++ {
		if c := d.int[i]; c != ',' {
			ds = append(ds, c)
		}
	}
	point := len(ds) + d.exp + shift
	ds = append(ds, d.frac...)
	for len(ds) > 0 && ds[0] == '0' {
		ds = ds[1:]
		point--
	}
	for len(ds) > 0 && ds[len(ds)-1] == '0' {
		ds = ds[:len(ds)-1]
	}
	if len(ds) == 0 {
		return append(b, '0'), true
	}
	size := max(len(ds), point)
	if point <= 0 {
		size = len(ds) - point + 1
	}
	if size > maxDigits {
		return b, false
	}
	if d.neg {
		b = append(b, '-')
	}
	switch {
	case point <= 0:
		b = append(b, '0', '.')
		for range -point {
			b = append(b, '0')
		}
		b = append(b, ds...)
	case point >= len(ds):
		b = append(b, ds...)
		for range point - len(ds) {
			b = append(b, '0')
		}
	default:
		b = append(b, ds[:point]...)
		b = append(b, '.')
		b = append(b, ds[point:]...)
	}
	return b, true
}

// normalise returns d × 10^shift in canonical form and as a float64. When the
// canonical form begins the number as written ("25200" of "25200.0") it returns that
// part of the input, which saves an allocation.
func (d decimal) normalise(shift int) (string, float64, bool) {
	var buf [64]byte
	b, ok := d.appendTo(buf[:0], shift)
	if !ok {
		return "", 0, false
	}
	var s string
	if len(b) <= len(d.text) && string(b) == d.text[:len(b)] {
		s = d.text[:len(b)]
	} else {
		s = string(b)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil { // out of float64's range; maxDigits keeps this from happening
		return "", 0, false
	}
	return s, f, true
}

// plainInt returns the value of s if it is a plain decimal integer of up to 15 digits
// with no leading zero, the fast path of Number, Integer and ParseMoney. Such a
// value is exact as a float64.
func plainInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 15 || s[0] == '0' && len(s) > 1 {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isDigit(c) {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	return v, true
}

// Number parses a decimal number and returns it in canonical form (no exponent, no
// thousands separators, no trailing zeros after the point: "1234567.5") and as a
// float64. It accepts thousands separators in groups of three (1,234,567.5), a
// leading + or - (or the minus sign U+2212), scientific notation (1.5e3 is "1500"),
// and, after Fold, full-width digits. A value with a percent sign is rejected: parse
// it with Percentage.
func Number(s string) (string, float64, error) {
	if v, ok := plainInt(s); ok {
		return s, float64(v), nil
	}
	t := Fold(s)
	d, j, why := scanDecimal(t, 0, true)
	switch {
	case why != "":
		return "", 0, invalid("%s is not a number: %s", quote(s), why)
	case j == 0:
		return "", 0, invalid("%s is not a number; expected a decimal such as 1234, -1,234,567.5 or 1.5e3", quote(s))
	case j < len(t) && strings.TrimSpace(t[j:]) == "%":
		return "", 0, invalid("%s is a percentage, not a number; parse it as a percentage", quote(s))
	case j < len(t):
		return "", 0, invalid("%s is not a number: unexpected %s after %s; expected a decimal such as 1234, -1,234,567.5 or 1.5e3", quote(s), quote(t[skipSpace(t, j):]), quote(t[:j]))
	}
	n, f, ok := d.normalise(0)
	if !ok {
		return "", 0, invalid("%s is out of range: it has more than %d digits when written out", quote(s), maxDigits)
	}
	return n, f, nil
}

// Integer parses a whole number: thousands separators, a sign and full-width digits
// are accepted as by Number, and so is a zero fraction ("12.0" is 12); "12.5" is
// rejected, and so is a value outside the range of int64.
func Integer(s string) (int64, error) {
	if v, ok := plainInt(s); ok {
		return v, nil
	}
	n, _, err := Number(s)
	if err != nil {
		return 0, err
	}
	if strings.IndexByte(n, '.') >= 0 {
		return 0, invalid("%s is not a whole number; expected an integer such as 1234 or 1,234", quote(s))
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		return 0, invalid("%s is out of range; expected an integer from %d to %d", quote(s), int64(-1<<63), int64(1<<63-1))
	}
	return v, nil
}
