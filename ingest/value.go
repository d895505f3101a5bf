package ingest

import (
	"math"
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
	// numeric is set for fact-table columns, which store numbers, not their text: a
	// scaled amount then skips making its exact decimal string.
	numeric bool
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
func convert(p *propPlan, raw string, dates parse.DateOptions, out []value) ([]value, error) {
	if p.spec.Split == "" {
		if parse.IsEmpty(raw) {
			return out, nil
		}
		v, err := convertOne(p, raw, dates)
		if err != nil {
			return out, err
		}
		return append(out, v), nil
	}
	parts := strings.FieldsFunc(raw, func(r rune) bool { return strings.ContainsRune(p.spec.Split, r) })
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
				if p.numeric {
					// Rounded to a millionth of a unit, so 1.1 × 10000 is 11000, not
					// 11000.000000000002.
					v.num = math.Round(f*p.spec.Scale*1e6) / 1e6
					v.norm = s
				} else {
					v.norm = scaleDecimal(s, p.spec.Scale)
					v.num, _ = strconv.ParseFloat(v.norm, 64)
				}
				v.currency = p.spec.Currency
				return v, nil
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

// scaleDecimal multiplies the plain decimal s by scale: exactly, by moving the
// decimal point, when scale is a power of ten (10000 for 万元), else through big.Rat.
func scaleDecimal(s string, scale float64) string {
	k := 0
	for x := scale; x >= 10 && x == math.Trunc(x); x /= 10 {
		k++
	}
	if math.Pow10(k) != scale {
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			return s
		}
		return ratString(r.Mul(r, new(big.Rat).SetFloat64(scale)))
	}
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, _ := strings.Cut(s, ".")
	for ; k > 0; k-- {
		if frac != "" {
			intPart, frac = intPart+frac[:1], frac[1:]
		} else {
			intPart += "0"
		}
	}
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if frac != "" {
		out += "." + frac
	}
	if neg && out != "0" {
		out = "-" + out
	}
	return out
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
