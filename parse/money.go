package parse

import (
	"strings"
)

// Money is an amount of money.
type Money struct {
	// Amount is the exact amount in units of the currency, in the canonical decimal
	// form of Number: no exponent, no trailing zeros after the point, "120000000" for
	// 1.2亿元, "0.5" for half a unit.
	Amount string
	// Value is Amount as a float64, for arithmetic.
	Value float64
	// Currency is the ISO 4217 code: stated in the value, or the default given to
	// ParseMoney, or "".
	Currency string
}

// ParseMoney parses an amount of money as written in Chinese and English data:
//
//	25200.0元, 1.2亿元, 3,500万元, 3500万, 5千万元, 人民币100万元, 100 万美元, ¥1,000
//	USD 2.5m, $2.5 million, 2.5 billion USD, 1.5 bn, HK$3m, (1,000), 8800
//
// The number is read as by Number. After it may come a multiplier: the Chinese
// 十 百 千 万 亿 (traditional 萬 億), alone or combined as in 百万 (10^6), 千万 (10^7) and
// 万亿 (10^12), or one of the English k, thousand, m, mm, mn, mln, million, b, bn, bln,
// billion, tn, trn, trillion (any case). The currency may be written before the number
// (USD, US$, HK$, ¥, 人民币) or after it (元, 美元, 港元, USD, yuan); see currency.go
// for the marks known. Since every multiplier is a power of ten, the amount is
// computed exactly by moving the decimal point: 1.2亿 is exactly 120000000.
//
// Decisions:
//   - 元 alone means CNY: it is the yuan. With another currency stated it is only the
//     unit, so 新台币100元 is TWD and 100万美元 is USD.
//   - A bare $ is USD and a bare ¥ is CNY (write JP¥ or 日元 for yen).
//   - An accounting negative in parentheses, (1,000), is -1000.
//   - A leading 约 (about) is accepted and dropped.
//   - Two different currencies in one value are an error.
//
// defaultCurrency is the Currency of a value that states none; it is returned as given.
func ParseMoney(s, defaultCurrency string) (Money, error) {
	if v, ok := plainInt(s); ok {
		return Money{Amount: s, Value: float64(v), Currency: defaultCurrency}, nil
	}
	t := Fold(s)
	neg := false
	if len(t) >= 2 && t[0] == '(' && t[len(t)-1] == ')' {
		neg = true
		t = strings.TrimSpace(t[1 : len(t)-1])
	}
	i := 0
	if strings.HasPrefix(t, "约") {
		i = skipSpace(t, len("约"))
	}

	// A sign may come before a currency prefix (-$5) or after it ($-5).
	signed := true
	if c := byteAt(t, i); (c == '-' || c == '+') && !startsNumber(t, i+1) {
		neg = neg != (c == '-')
		signed = false
		i = skipSpace(t, i+1)
	}
	var cur currencies
	if code, n := currencyAt(t[i:]); n > 0 {
		cur.add(code)
		i = skipSpace(t, i+n)
	}
	d, j, why := scanDecimal(t, i, signed)
	if why != "" {
		return Money{}, invalid("%s is not an amount of money: %s", quote(s), why)
	}
	if j == i {
		return Money{}, invalid("%s is not an amount of money; expected %s", quote(s), moneyForms)
	}
	if neg {
		if d.neg {
			return Money{}, invalid("%s is not an amount of money: it has two signs; expected one of (1,000) or -1,000", quote(s))
		}
		d.neg = true
	}
	i = skipSpace(t, j)
	if byteAt(t, i) == '%' {
		return Money{}, invalid("%s is a percentage, not an amount of money", quote(s))
	}

	shift, n := chineseMultiplier(t[i:])
	if n == 0 {
		shift, n = englishMultiplier(t[i:])
	}
	i = skipSpace(t, i+n)

	// Currency marks after the number: 元, 美元, 万美元's 美元, USD, or 元人民币.
	for range 2 {
		if n := yuan(t[i:]); n > 0 {
			cur.yuan = true
			i = skipSpace(t, i+n)
			continue
		}
		code, n := currencyAt(t[i:])
		if n == 0 {
			break
		}
		cur.add(code)
		i = skipSpace(t, i+n)
	}
	if i < len(t) {
		return Money{}, invalid("%s is not an amount of money: unexpected %s after %s; expected a multiplier (万, 亿, k, m, bn) or a currency (元, 美元, USD)",
			quote(s), quote(t[i:]), quote(t[:i]))
	}
	if cur.conflict != "" {
		return Money{}, invalid("%s states two currencies, %s and %s; expected one", quote(s), cur.code, cur.conflict)
	}

	amount, value, ok := d.normalise(shift)
	if !ok {
		return Money{}, invalid("%s is out of range: it has more than %d digits when written out", quote(s), maxDigits)
	}
	code := cur.code
	if code == "" && cur.yuan {
		code = "CNY"
	}
	if code == "" {
		code = defaultCurrency
	}
	return Money{Amount: amount, Value: value, Currency: code}, nil
}

// moneyForms is what an error message says ParseMoney expects.
const moneyForms = "a number with an optional multiplier and currency, such as 25200.0元, 1.2亿元, 3,500万元, USD 2.5m or $2.5 million"

// currencies collects the currency marks of one value.
type currencies struct {
	code     string // the first currency stated
	conflict string // a second, different currency, which is an error
	yuan     bool   // 元 was written
}

func (c *currencies) add(code string) {
	switch {
	case c.code == "":
		c.code = code
	case c.code != code && c.conflict == "":
		c.conflict = code
	}
}

// byteAt returns t[i], or 0 past the end of t.
func byteAt(t string, i int) byte {
	if i < len(t) {
		return t[i]
	}
	return 0
}

// startsNumber reports whether a number starts at t[i:].
func startsNumber(t string, i int) bool {
	c := byteAt(t, i)
	return isDigit(c) || c == '.' && isDigit(byteAt(t, i+1))
}

// chineseMultiplier reads a run of the Chinese multipliers 十 百 千 万 亿 (and the
// traditional 萬 億) at the start of t and returns the power of ten they make
// together, 千万 being 10^3 × 10^4, and the run's length in bytes.
func chineseMultiplier(t string) (exp, n int) {
	for n < len(t) {
		var e int
		switch {
		case strings.HasPrefix(t[n:], "十"):
			e = 1
		case strings.HasPrefix(t[n:], "百"):
			e = 2
		case strings.HasPrefix(t[n:], "千"):
			e = 3
		case strings.HasPrefix(t[n:], "万"), strings.HasPrefix(t[n:], "萬"):
			e = 4
		case strings.HasPrefix(t[n:], "亿"), strings.HasPrefix(t[n:], "億"):
			e = 8
		default:
			return exp, n
		}
		exp += e
		n += len("十") // every multiplier is three bytes in UTF-8
		if exp > 24 { // 10^24 is beyond any amount; stop a run of 亿亿亿...
			return exp, n
		}
	}
	return exp, n
}

// englishMultipliers are the English multipliers, in lower case.
var englishMultipliers = map[string]int{
	"k": 3, "thousand": 3, "thousands": 3,
	"m": 6, "mm": 6, "mn": 6, "mln": 6, "mio": 6, "million": 6, "millions": 6,
	"b": 9, "bn": 9, "bln": 9, "billion": 9, "billions": 9,
	"tn": 12, "trn": 12, "trillion": 12, "trillions": 12,
}

// englishMultiplier reads an English multiplier word at the start of t.
func englishMultiplier(t string) (exp, n int) {
	w := letters(t)
	if w == "" || len(w) > len("trillions") {
		return 0, 0
	}
	var buf [16]byte
	if e, ok := englishMultipliers[string(lowerASCII(buf[:0], w))]; ok {
		return e, len(w)
	}
	return 0, 0
}
