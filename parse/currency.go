package parse

import (
	_ "embed"
	"strings"
	"unicode/utf8"
)

// currenciesTxt lists the ISO 4217 codes, with its source.
//
//go:embed currencies.txt
var currenciesTxt string

// isoCurrencies holds the codes of currencies.txt, each mapped to its English name.
var isoCurrencies = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(currenciesTxt, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		code, name, _ := strings.Cut(line, " ")
		m[code] = name
	}
	return m
}()

// IsCurrency reports whether code is an ISO 4217 currency code that ParseMoney knows,
// including codes withdrawn since 1999 (DEM, HRK, ...). The list, with its source, is
// in currencies.txt.
func IsCurrency(code string) bool {
	_, ok := isoCurrencies[code]
	return ok
}

// A currency word, symbol or code as written beside an amount.
type currencyMark struct {
	text string // as written after Fold; ASCII letters in lower case
	code string // ISO 4217
}

// currencySymbols are matched at the start or end of an amount, ignoring ASCII case.
// Longer marks come first, so that "US$" wins over "$". A bare "$" is taken for US
// dollars and a bare "¥" for Chinese yuan, as in Chinese datasets.
var currencySymbols = []currencyMark{
	{"us$", "USD"}, {"hk$", "HKD"}, {"nt$", "TWD"}, {"jp¥", "JPY"}, {"rmb¥", "CNY"},
	{"s$", "SGD"}, {"a$", "AUD"}, {"c$", "CAD"},
	{"$", "USD"}, {"¥", "CNY"}, {"€", "EUR"}, {"£", "GBP"}, {"₩", "KRW"}, {"₹", "INR"},
}

// currencyWords are the Chinese names of currencies, in simplified and traditional
// characters, longest first. 元 alone (yuan, the unit of account) is handled apart.
var currencyWords = []currencyMark{
	{"新加坡元", "SGD"}, {"瑞士法郎", "CHF"},
	{"人民币", "CNY"}, {"人民幣", "CNY"}, {"新台币", "TWD"}, {"新臺幣", "TWD"}, {"新台幣", "TWD"},
	{"澳门元", "MOP"}, {"澳門元", "MOP"}, {"澳门币", "MOP"}, {"澳門幣", "MOP"},
	{"美元", "USD"}, {"美金", "USD"}, {"港元", "HKD"}, {"港币", "HKD"}, {"港幣", "HKD"},
	{"欧元", "EUR"}, {"歐元", "EUR"}, {"英镑", "GBP"}, {"英鎊", "GBP"},
	{"日元", "JPY"}, {"日圆", "JPY"}, {"日圓", "JPY"}, {"韩元", "KRW"}, {"韓元", "KRW"},
	{"台币", "TWD"}, {"台幣", "TWD"}, {"澳元", "AUD"}, {"加元", "CAD"}, {"卢布", "RUB"}, {"盧布", "RUB"},
}

// currencyNames are English words and common lower-case codes, matched as a whole
// word ignoring case. Any other ISO 4217 code is accepted in upper case only, so that
// English words that happen to be codes ("all", "top", "try") are not taken for
// currencies. "dollar" alone is taken for US dollars.
var currencyNames = map[string]string{
	"rmb": "CNY", "yuan": "CNY", "renminbi": "CNY", "cny": "CNY",
	"usd": "USD", "dollar": "USD", "dollars": "USD",
	"eur": "EUR", "euro": "EUR", "euros": "EUR",
	"hkd": "HKD", "gbp": "GBP", "jpy": "JPY", "twd": "TWD",
}

// yuan is the unit of account 元 (or its formal form 圆/圓): it says the amount is in
// yuan, that is CNY, unless another currency is stated ("新台币100元" is TWD).
func yuan(t string) int {
	for _, w := range [...]string{"元", "圆", "圓"} {
		if strings.HasPrefix(t, w) {
			return len(w)
		}
	}
	return 0
}

// currencyAt reads a currency mark at the start of t: a symbol, a Chinese name, or a
// word or code. It returns the ISO code and the length of the mark, or 0 if there is
// none. Yuan (元) is not read here.
func currencyAt(t string) (code string, n int) {
	if t == "" || isDigit(t[0]) || t[0] == '.' { // the common case: no mark
		return "", 0
	}
	for _, m := range currencySymbols {
		if hasPrefixFold(t, m.text) {
			return m.code, len(m.text)
		}
	}
	if t[0] >= utf8.RuneSelf {
		for _, m := range currencyWords {
			if strings.HasPrefix(t, m.text) {
				return m.code, len(m.text)
			}
		}
	}
	w := letters(t)
	if w == "" || len(w) > 8 {
		return "", 0
	}
	if _, ok := isoCurrencies[w]; ok {
		return w, len(w)
	}
	var buf [8]byte
	if code, ok := currencyNames[string(lowerASCII(buf[:0], w))]; ok {
		return code, len(w)
	}
	return "", 0
}

// letters returns the run of ASCII letters at the start of t.
func letters(t string) string {
	i := 0
	for i < len(t) && ('a' <= t[i] && t[i] <= 'z' || 'A' <= t[i] && t[i] <= 'Z') {
		i++
	}
	return t[:i]
}

// lowerASCII appends s in lower case to b. Callers look the result up in a map as
// m[string(b)], which does not allocate.
func lowerASCII(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b = append(b, c)
	}
	return b
}
