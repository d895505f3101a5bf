package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// How a firm's name places its region.
const (
	styleCity     = iota // 深圳市华信科技有限公司
	styleBare            // 北京华信科技有限公司
	styleBracket         // 华信科技（深圳）有限公司
	styleNone            // 华信科技有限公司
	styleChina           // 中国华信控股集团有限公司 (central SOE groups)
	styleProvince        // 广东省华信控股集团有限公司 (provincial SOE groups)
)

// zhName is a Chinese firm name in parts: prefix + trade + industry + bracket + form.
type zhName struct {
	prefix, trade, industry, bracket, form string
}

func (z *zhName) String() string { return z.prefix + z.trade + z.industry + z.bracket + z.form }

func (w *world) tradeString(t tname) string {
	var b strings.Builder
	for k := 0; k < int(t.n); k++ {
		b.WriteRune(w.d.chars[t.c[k]].r)
	}
	return b.String()
}

// tradePinyin writes a trade name in pinyin: Huaxin, Hua'an (with an apostrophe
// before a syllable that starts with a vowel), or spaced: Hua Xin.
func (w *world) tradePinyin(t tname, spaced bool) string {
	var b strings.Builder
	for k := 0; k < int(t.n); k++ {
		p := w.d.chars[t.c[k]].pinyin
		switch {
		case k > 0 && spaced:
			b.WriteByte(' ')
			b.WriteString(capital(p))
		case k > 0:
			if strings.IndexByte("aoe", p[0]) >= 0 {
				b.WriteByte('\'')
			}
			b.WriteString(p)
		default:
			b.WriteString(capital(p))
		}
	}
	return b.String()
}

func capital(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// names returns the trade name, industry and legal form of a firm's current or
// previous name.
func (f *firm) names(old bool) (tname, int, int) {
	if old {
		return f.oldTrade, int(f.oldIndustry), int(f.oldForm)
	}
	return f.trade, int(f.industry), int(f.form)
}

// regionPrefix is the prefix of a province-style name: 广东省, 北京市, 广西.
func (w *world) regionPrefix(p int) string {
	pr := &w.d.provinces[p]
	if strings.HasSuffix(pr.name, "省") || strings.HasSuffix(pr.name, "市") {
		return pr.name
	}
	return pr.short
}

// zhParts returns a firm's current or previous registered name in parts.
func (w *world) zhParts(f *firm, old bool) zhName {
	t, ind, form := f.names(old)
	z := zhName{trade: w.tradeString(t), industry: w.d.industries[ind].word, form: w.d.forms[form].zh}
	c := &w.d.cities[f.city]
	switch f.style {
	case styleCity:
		z.prefix = c.name + "市"
	case styleBare:
		z.prefix = c.name
	case styleBracket:
		z.bracket = "（" + c.name + "）"
	case styleChina:
		z.prefix = "中国"
	case styleProvince:
		z.prefix = w.regionPrefix(c.prov)
	}
	return z
}

func (w *world) zhName(f *firm, old bool) string {
	z := w.zhParts(f, old)
	return z.String()
}

// shortName is the firm's short name (简称) in the given style.
func (w *world) shortName(f *firm, style uint8) string {
	t := w.tradeString(f.trade)
	switch style {
	case shortTrade:
		return t
	case shortJSC:
		return t + "股份"
	}
	ind := []rune(w.d.industries[f.industry].word)
	if len(ind) > 2 {
		ind = ind[:2]
	}
	return t + string(ind)
}

// enOpts say how to write an English name.
type enOpts struct {
	noRegion bool // leave the region out
	abbr     bool // vendor style: HUAXIN TECH CO LTD
	spaced   bool // Hua Xin
	noForm   bool // leave the legal form out
}

// enName writes a firm's name in English: the region, the trade name in pinyin, the
// industry word translated, the legal form: Shenzhen Huaxin Technology Co., Ltd.
func (w *world) enName(f *firm, old bool, o enOpts) string {
	t, ind, form := f.names(old)
	c := &w.d.cities[f.city]
	region := ""
	switch f.style {
	case styleCity, styleBare, styleBracket:
		region = c.en
	case styleChina:
		region = "China"
	case styleProvince:
		region = w.d.provinces[c.prov].en
	}
	if o.noRegion && f.style != styleChina {
		region = ""
	}
	in := &w.d.industries[ind]
	industry := in.en
	if in.en == "Technology" {
		switch {
		case f.enStyle < 12:
		case f.enStyle < 17:
			industry = "Science and Technology"
		default:
			industry = "Sci-Tech"
		}
	}
	fm := &w.d.forms[form]
	formEN := fm.en
	if o.abbr {
		industry, formEN = in.abbr, fm.abbr
		region = strings.ToUpper(strings.ReplaceAll(region, "'", ""))
	}
	if o.noForm {
		formEN = ""
	}
	trade := w.tradePinyin(t, o.spaced)
	if o.abbr {
		trade = strings.ToUpper(strings.ReplaceAll(trade, "'", ""))
	}
	parts := make([]string, 0, 5)
	if region != "" && f.style != styleBracket {
		parts = append(parts, region)
	}
	parts = append(parts, trade, industry)
	if region != "" && f.style == styleBracket {
		parts = append(parts, "("+region+")")
	}
	if formEN != "" {
		parts = append(parts, formEN)
	}
	return strings.Join(parts, " ")
}

// pinyinName writes a firm's Chinese name in pinyin: Huaxin Keji (kind 0),
// SHENZHEN HUAXIN KEJI YOUXIAN GONGSI (kind 1) or huaxinkeji (kind 2).
func (w *world) pinyinName(f *firm, old bool, kind int) string {
	t, ind, form := f.names(old)
	trade := strings.ReplaceAll(w.tradePinyin(t, false), "'", "")
	in := w.d.industries[ind].pinyin
	switch kind {
	case 1:
		s := trade + " " + in + " " + w.d.forms[form].pinyin
		if f.style != styleNone && f.style != styleChina && f.style != styleProvince {
			s = w.d.cities[f.city].pinyin + " " + s
		}
		return strings.ToUpper(strings.ReplaceAll(s, "'", ""))
	case 2:
		return strings.ToLower(trade + in)
	}
	return trade + " " + in
}

// address is the registered address: 广东省深圳市南山区科技南路88号.
func (w *world) address(f *firm, province bool) string {
	c := &w.d.cities[f.city]
	var b strings.Builder
	if province && !c.municipality {
		b.WriteString(w.d.provinces[c.prov].name)
	}
	b.WriteString(c.name)
	b.WriteString("市")
	if f.district >= 0 {
		b.WriteString(c.districts[f.district].name)
	}
	b.WriteString(w.d.roads[f.road])
	b.WriteString(strconv.Itoa(int(f.roadNo)))
	b.WriteString("号")
	return b.String()
}

// otherCity draws a wrong city for a firm: in the same province for 60%.
func (w *world) otherCity(r *rand.Rand, c int) int {
	cs := w.d.provCities[w.d.cities[c].prov]
	if len(cs) > 1 && r.Float64() < 0.6 {
		for {
			if o := cs[r.IntN(len(cs))]; o != c {
				return o
			}
		}
	}
	for {
		if o := w.d.citySampler.pick(r); o != c {
			return o
		}
	}
}

// noisyZh applies a source's noise to a Chinese name and returns it with the
// noise tags added.
func (w *world) noisyZh(r *rand.Rand, f *firm, z zhName, sp *sourceSpec, tags []string) (string, []string) {
	c := &w.d.cities[f.city]
	cityPrefix := z.prefix == c.name+"市" || z.prefix == c.name
	hasRegion := cityPrefix || z.bracket != "" || f.style == styleProvince
	// Region: one kind of change at most.
	x := r.Float64()
	switch {
	case x < sp.regionDrop:
		if hasRegion {
			z.prefix, z.bracket = "", ""
			tags = append(tags, "region_drop")
		}
	case x < sp.regionDrop+sp.regionShi:
		if z.prefix == c.name+"市" {
			z.prefix = c.name
			tags = append(tags, "region_shi")
		}
	case x < sp.regionDrop+sp.regionShi+sp.regionBracket:
		switch {
		case cityPrefix:
			z.prefix, z.bracket = "", "（"+c.name+"）"
			tags = append(tags, "region_bracket")
		case z.bracket != "":
			z.prefix, z.bracket = c.name+"市", ""
			tags = append(tags, "region_bracket")
		}
	case x < sp.regionDrop+sp.regionShi+sp.regionBracket+sp.regionAdd:
		if !hasRegion && f.style != styleChina {
			z.prefix = c.name + "市"
			tags = append(tags, "region_add")
		}
	case x < sp.regionDrop+sp.regionShi+sp.regionBracket+sp.regionAdd+sp.regionWrong:
		if cityPrefix || z.bracket != "" {
			o := w.d.cities[w.otherCity(r, int(f.city))].name
			if z.bracket != "" {
				z.bracket = "（" + o + "）"
			} else {
				z.prefix = o + "市"
			}
			tags = append(tags, "region_wrong")
		}
	}
	// Legal form: one kind of change at most.
	x = r.Float64()
	switch {
	case x < sp.formMissing:
		if z.form != "" {
			z.form = ""
			tags = append(tags, "form_missing")
		}
	case x < sp.formMissing+sp.formOther:
		if o := otherForm(r, z.form); o != z.form {
			z.form = o
			tags = append(tags, "form_other")
		}
	case x < sp.formMissing+sp.formOther+sp.formGroup:
		if z.form != "" && !strings.Contains(z.form, "集团") && !strings.Contains(z.form, "合伙") {
			z.form = "集团" + z.form
			tags = append(tags, "form_group")
		}
	}
	// Typing errors.
	if r.Float64() < sp.typo {
		if t, ok := w.typo(r, z.trade); ok {
			z.trade = t
			tags = append(tags, "typo")
		}
	}
	if r.Float64() < sp.drop {
		switch {
		case utf8.RuneCountInString(z.trade) >= 3:
			rs := []rune(z.trade)
			k := r.IntN(len(rs))
			z.trade = string(append(rs[:k:k], rs[k+1:]...))
			tags = append(tags, "drop")
		case utf8.RuneCountInString(z.industry) >= 3:
			rs := []rune(z.industry)
			k := 1 + r.IntN(len(rs)-1)
			z.industry = string(append(rs[:k:k], rs[k+1:]...))
			tags = append(tags, "drop")
		}
	}
	s := z.String()
	if r.Float64() < sp.trad {
		if t := w.d.traditional(s); t != s {
			s = t
			tags = append(tags, "trad")
		}
	}
	if strings.Contains(s, "（") && r.Float64() < 0.3 {
		s = strings.NewReplacer("（", "(", "）", ")").Replace(s)
	}
	return s, tags
}

// typo replaces one character of a trade name with a look-alike.
func (w *world) typo(r *rand.Rand, trade string) (string, bool) {
	rs := []rune(trade)
	start := r.IntN(len(rs))
	for k := 0; k < len(rs); k++ {
		i := (start + k) % len(rs)
		if ci, ok := w.d.charIndex[rs[i]]; ok {
			if sim := w.d.chars[ci].similar; len(sim) > 0 {
				rs[i] = sim[r.IntN(len(sim))]
				return string(rs), true
			}
		}
	}
	return trade, false
}

// otherForm returns a different legal form, as sources mix them up.
func otherForm(r *rand.Rand, form string) string {
	switch form {
	case "有限公司":
		if r.Float64() < 0.6 {
			return "股份有限公司"
		}
		return "有限责任公司"
	case "股份有限公司", "有限责任公司":
		return "有限公司"
	case "集团有限公司":
		if r.Float64() < 0.5 {
			return "有限公司"
		}
		return "集团股份有限公司"
	case "合伙企业（有限合伙）":
		return "有限合伙企业"
	}
	return form
}
