package ingest

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
)

// propPlan is a compiled ValueSpec for one property or fact column.
type propPlan struct {
	prop   *cipmap.Property
	spec   ValueSpec
	typ    cipmap.PropertyType
	format string
	tmpl   []templatePart
}

// value is one parsed value with the currency an amount stated, if any.
type value struct {
	norm     string
	original string
	currency string
	num      float64
}

// currencyNames maps the ways sources write currencies to ISO 4217 codes.
var currencyNames = map[string]string{
	"元": "CNY", "人民币": "CNY", "RMB": "CNY", "CNY": "CNY", "人民币元": "CNY", "¥": "CNY", "￥": "CNY",
	"美元": "USD", "USD": "USD", "US$": "USD", "$": "USD",
	"欧元": "EUR", "EUR": "EUR", "€": "EUR",
	"港元": "HKD", "港币": "HKD", "HKD": "HKD", "HK$": "HKD",
	"日元": "JPY", "JPY": "JPY", "英镑": "GBP", "GBP": "GBP",
}

// convert parses one raw cell into zero or more values of the plan's type. An empty
// cell gives no value and no error.
func convert(p *propPlan, raw string, dates parse.DateOptions) ([]value, error) {
	parts := []string{raw}
	if p.spec.Split != "" {
		parts = strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(p.spec.Split, r) })
	}
	out := make([]value, 0, len(parts))
	for _, part := range parts {
		if parse.IsEmpty(part) {
			continue
		}
		v, err := convertOne(p, part, dates)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func convertOne(p *propPlan, raw string, dates parse.DateOptions) (value, error) {
	v := value{original: raw}
	if p.spec.MinYear != 0 {
		dates.MinYear = p.spec.MinYear
	}
	if p.spec.MaxYear != 0 {
		dates.MaxYear = p.spec.MaxYear
	}
	switch p.typ {
	case cipmap.TypeDate:
		d, err := parse.Date(raw, dates)
		if err != nil {
			return v, err
		}
		v.norm = d
	case cipmap.TypeYear:
		d, err := parse.Date(raw, dates)
		if err != nil {
			return v, err
		}
		v.norm = d[:4]
		v.num, _ = strconv.ParseFloat(v.norm, 64)
	case cipmap.TypeAmount:
		if p.spec.Scale != 0 {
			if s, f, err := parse.Number(raw); err == nil {
				r, ok := new(big.Rat).SetString(s)
				if ok {
					r.Mul(r, new(big.Rat).SetFloat64(p.spec.Scale))
					v.norm = ratString(r)
					v.num = f * p.spec.Scale
					v.currency = p.spec.Currency
					return v, nil
				}
			}
		}
		m, err := parse.ParseMoney(raw, p.spec.Currency)
		if err != nil {
			return v, err
		}
		v.norm, v.num, v.currency = m.Amount, m.Value, m.Currency
	case cipmap.TypeCurrency:
		f := parse.Fold(raw)
		c, ok := currencyNames[strings.ToUpper(f)]
		if !ok {
			if len(f) == 3 && strings.ToUpper(f) == f {
				c = f
			} else {
				return v, cipmap.Errorf(cipmap.EINVALID, "%q is not a currency; expected an ISO 4217 code such as CNY or USD, or 元/美元", raw)
			}
		}
		v.norm = c
	case cipmap.TypePercentage:
		pc, err := parse.Percentage(raw)
		if err != nil {
			return v, err
		}
		v.norm = pc.String()
		v.num = pc.Low
	case cipmap.TypeNumber:
		s, f, err := parse.Number(raw)
		if err != nil {
			return v, err
		}
		v.norm, v.num = s, f
	case cipmap.TypeInteger:
		n, err := parse.Integer(raw)
		if err != nil {
			return v, err
		}
		v.norm = strconv.FormatInt(n, 10)
		v.num = float64(n)
	case cipmap.TypeIdentifier:
		var err error
		switch p.format {
		case "uscc":
			v.norm, err = parse.USCC(raw)
		case "lei":
			v.norm, err = parse.LEI(raw)
		case "org_code":
			v.norm, err = parse.OrgCode(raw)
		case "stock_code":
			var s parse.Stock
			s, err = parse.StockCode(raw)
			v.norm = s.String()
		default:
			v.norm = parse.Fold(raw)
		}
		if err != nil {
			return v, err
		}
	case cipmap.TypeText:
		v.norm = strings.TrimSpace(parse.Fold(raw))
	default: // name, code, country, url
		v.norm = parse.Fold(raw)
	}
	return v, nil
}

// ratString writes r as a plain decimal without exponent or trailing zeros.
func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	s := r.FloatString(12)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}
