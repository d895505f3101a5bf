package parse

import (
	"strings"
)

// Exchanges, as Stock.Exchange names them.
const (
	SSE  = "SSE"  // Shanghai Stock Exchange, suffix .SH
	SZSE = "SZSE" // Shenzhen Stock Exchange, suffix .SZ
	BSE  = "BSE"  // Beijing Stock Exchange, suffix .BJ
	HKEX = "HKEX" // Hong Kong Stock Exchange, suffix .HK
)

// Stock is a listed security: an exchange and its code there.
type Stock struct {
	Exchange string // SSE, SZSE, BSE or HKEX
	Code     string // six digits, or five for HKEX
}

// String returns s in the Wind and Tushare form: "600519.SH", "000001.SZ",
// "430047.BJ", "00700.HK".
func (s Stock) String() string {
	for _, e := range exchanges {
		if e.name == s.Exchange {
			return s.Code + "." + e.suffix
		}
	}
	return s.Code
}

// exchanges lists each exchange's suffix and the other names it is written with
// (Yahoo's SS, ISO 10383 market identifier codes).
var exchanges = []struct {
	name, suffix string
	aliases      []string
}{
	{SSE, "SH", []string{"SH", "SS", "SSE", "SHSE", "XSHG"}},
	{SZSE, "SZ", []string{"SZ", "SZSE", "SZE", "XSHE"}},
	{BSE, "BJ", []string{"BJ", "BSE", "BJSE"}},
	{HKEX, "HK", []string{"HK", "HKEX", "SEHK", "XHKG"}},
}

// StockCode parses a stock code of the Shanghai, Shenzhen, Beijing or Hong Kong
// exchange, with the exchange before or after the number or not at all, in any case
// and with or without a separator: 600519, 600519.SH, SH600519, sh.600519,
// 000001.SZ, SZ000001, 430047.BJ, 0700.HK, 00700.HK, HK0700, HK:700.
//
// A six-digit code without an exchange is placed by its prefix: SSE for 600, 601,
// 603, 605, 688, 689 (STAR Market) and 900 (B shares); SZSE for 000, 001, 002, 003,
// 300, 301 (ChiNext) and 200 (B shares); BSE for 43, 83, 87, 88 and 92. A stated
// exchange that contradicts the prefix is an error, and so is an unknown prefix.
// Hong Kong codes have up to five digits and are padded to five; they need the
// exchange written, because a short bare number is as likely an A-share code that
// lost its leading zeros in a spreadsheet (000858 read as 858).
func StockCode(s string) (Stock, error) {
	t := Fold(s)
	pre := letters(t)
	i := len(pre)
	if pre != "" && i < len(t) && strings.IndexByte(".:- ", t[i]) >= 0 {
		i++
	}
	_, n := digits(t, i)
	num := t[i : i+n]
	i += n
	post := ""
	if n > 0 && i < len(t) && strings.IndexByte(".:- ", t[i]) >= 0 {
		i++
		post = letters(t[i:])
		if post == "" {
			i = len(t) + 1 // a separator with nothing after it
		}
	} else {
		post = letters(t[i:])
	}
	i += len(post)
	if n == 0 || i != len(t) || pre != "" && post != "" {
		return Stock{}, invalid("%s is not a stock code; expected a code such as 600519, 600519.SH, SZ000001, 430047.BJ or 00700.HK", quote(s))
	}
	stated := ""
	if x := pre + post; x != "" {
		if stated = exchangeNamed(x); stated == "" {
			return Stock{}, invalid("%s is not a stock code: unknown exchange %s; expected SH, SZ, BJ or HK", quote(s), quote(x))
		}
	}

	if stated == HKEX {
		code := strings.TrimLeft(num, "0")
		if code == "" || len(code) > 5 {
			return Stock{}, invalid("%s is not a Hong Kong stock code; expected 1 to 5 digits, not all zeros, such as 00700.HK", quote(s))
		}
		return Stock{Exchange: HKEX, Code: "00000"[len(code):] + code}, nil
	}
	if len(num) != 6 {
		if len(num) <= 5 && stated == "" {
			return Stock{}, invalid("%s is not a stock code: %d digits need an exchange; expected a six-digit A-share code (000858, not 858) or a Hong Kong code with .HK (00700.HK)", quote(s), len(num))
		}
		return Stock{}, invalid("%s is not a stock code: it has %d digits; expected six", quote(s), len(num))
	}
	inferred, prefix := exchangeOf(num)
	if inferred == "" {
		return Stock{}, invalid("%s is not a stock code: no exchange lists codes beginning %s; expected SSE (600, 601, 603, 605, 688, 689, 900), SZSE (000, 001, 002, 003, 200, 300, 301) or BSE (43, 83, 87, 88, 92)",
			quote(s), num[:3])
	}
	if stated != "" && stated != inferred {
		return Stock{}, invalid("%s is not a stock code: codes beginning %s are %s codes, not %s", quote(s), prefix, inferred, stated)
	}
	return Stock{Exchange: inferred, Code: num}, nil
}

// exchangeNamed returns the exchange that name (in any case) stands for, or "".
func exchangeNamed(name string) string {
	for _, e := range exchanges {
		for _, a := range e.aliases {
			if strings.EqualFold(a, name) {
				return e.name
			}
		}
	}
	return ""
}

// exchangeOf returns the exchange that lists six-digit code, and the prefix that says
// so, or "".
func exchangeOf(code string) (exchange, prefix string) {
	switch p := code[:3]; p {
	case "600", "601", "603", "605", "688", "689", "900":
		return SSE, p
	case "000", "001", "002", "003", "300", "301", "200":
		return SZSE, p
	}
	switch p := code[:2]; p {
	case "43", "83", "87", "88", "92":
		return BSE, p
	}
	return "", ""
}
