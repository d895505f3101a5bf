package firmname

import (
	"strings"
	"unicode/utf8"
)

// Region levels, as in data/regions.tsv.
const (
	LevelCountry          = "country"           // China as a whole (中国, 国家)
	LevelProvince         = "province"          // 省
	LevelMunicipality     = "municipality"      // 直辖市: 北京, 天津, 上海, 重庆
	LevelAutonomousRegion = "autonomous-region" // 自治区
	LevelSAR              = "sar"               // 特别行政区: 香港, 澳门
	LevelPrefecture       = "prefecture"        // 地级市, 地区, 自治州, 盟; Taiwan's cities
	LevelCounty           = "county"            // the few county-level units listed
)

// Region is an administrative region of China as data/regions.tsv describes it.
type Region struct {
	// Code is the GB/T 2260 code: 2 digits for a province-level unit, 4 for a
	// prefecture-level one, 6 for a county-level one; "" for Taiwan's cities and
	// China as a whole.
	Code string
	// Name is the full official name (广东省, 深圳市, 延边朝鲜族自治州).
	Name string
	// Short is the normalised form Name.Region holds (广东, 深圳, 延边); it keeps a
	// suffix where it would otherwise be ambiguous (吉林市, 海南州).
	Short string
	// Level is one of the Level constants.
	Level string
	// Province is the short name of the province-level unit (广东); "" for China.
	Province string
	// City is the short name of the prefecture-level unit the region is or
	// belongs to (深圳; 苏州 for 昆山); a municipality or SAR is its own city; ""
	// for a province and for China.
	City string
	// Latin is the form English names use: Hanyu Pinyin written together (shenzhen,
	// xian) or the established English form (shaanxi, inner mongolia, harbin).
	Latin string
}

// ProvinceCode maps the 2-digit GB/T 2260 codes of the 34 province-level units
// to their short names: "11" 北京, "44" 广东, "71" 台湾, "81" 香港, "82" 澳门. The
// first two digits of an administrative division code (characters 3-4 of a unified
// social credit code) are one of these; ProvinceOfDivision decodes them.
var ProvinceCode = provinceCodes()

// provinceCodes reads the province lines of data/regions.tsv without building the
// other tables, so that the package's initialisation stays cheap. A test checks
// that all 34 are read.
func provinceCodes() map[string]string {
	m := map[string]string{}
	_ = readLines("data/regions.tsv", func(n int, f []string) error {
		if len(f) == 9 && len(f[0]) == 2 {
			m[f[0]] = f[2]
		}
		return nil
	})
	return m
}

// Regions returns every region of data/regions.tsv, in the file's order:
// China, the 34 province-level units, the 333 prefecture-level units by province,
// then the listed county-level units and Taiwan's cities.
func Regions() []Region {
	t := mustLoad()
	out := make([]Region, len(t.regions))
	for i, r := range t.regions {
		out[i] = *r
	}
	return out
}

// LookupRegion finds the region that v names. v may be any form a dataset uses
// for a province or city column: a full or short name (广东省, 广东, 深圳市, 深圳,
// 恩施州), a name with its province (广东省深圳市), a Latin form (Guangdong,
// Hong Kong, xian), traditional characters (廣東), or a GB/T 2260 code of 2, 4 or
// 6 digits ("44", "4403", "440305", read as by RegionOfDivision). ok is false when
// v names no region in the table.
func LookupRegion(v string) (Region, bool) {
	t := mustLoad()
	f := t.fold(v)
	if f == "" {
		return Region{}, false
	}
	if isDigits(f) {
		return RegionOfDivision(f)
	}
	if r := t.regionKeys[f]; r != nil {
		return *r, true
	}
	if scriptOf(f) == Latin {
		if r := t.regionKeys[latinKey(f)]; r != nil {
			return *r, true
		}
		toks := words(tokenize(f))
		if r, n := t.latinRegion(toks); r != nil && n == len(toks) {
			return *r, true
		}
		return Region{}, false
	}
	if r, _, n := t.leadingRegion(f, 0); r != nil && n == len(f) {
		return *r, true
	}
	return Region{}, false
}

// RegionOfDivision decodes an administrative division code (GB/T 2260), such as
// characters 3-8 of a unified social credit code, to the most specific region the
// table knows: the county-level unit for the few listed (320583 昆山), else the
// prefecture-level unit (440305 → 4403 深圳), else the province-level unit
// (110108 → 11 北京; 4499xx → 44 广东). Former prefecture codes that credit codes
// issued before a change still carry are read as today's unit (3712 莱芜 → 济南).
// ok is false when the first two digits are not a province code, as for the
// national registration authority's 100000.
func RegionOfDivision(code string) (Region, bool) {
	t := mustLoad()
	code = strings.TrimSpace(code)
	if len(code) < 2 || !isDigits(code[:2]) {
		return Region{}, false
	}
	if len(code) >= 6 && isDigits(code[:6]) {
		if r := t.codes[code[:6]]; r != nil {
			return *r, true
		}
	}
	if len(code) >= 4 && isDigits(code[:4]) {
		if r := t.codes[code[:4]]; r != nil {
			return *r, true
		}
	}
	if r := t.codes[code[:2]]; r != nil {
		return *r, true
	}
	return Region{}, false
}

// ProvinceOfDivision decodes the first two digits of an administrative division
// code (characters 3-4 of a unified social credit code) to the province-level
// unit: "440300" and "44" give 广东. ok is false when they are not one of the 34
// province codes of ProvinceCode.
func ProvinceOfDivision(code string) (Region, bool) {
	t := mustLoad()
	code = strings.TrimSpace(code)
	if len(code) < 2 || !isDigits(code[:2]) {
		return Region{}, false
	}
	if r := t.codes[code[:2]]; r != nil {
		return *r, true
	}
	return Region{}, false
}

// SplitRegion takes the administrative region out of a Chinese firm name: a
// region at the start, with or without its suffix (深圳市华为 and 深圳华为 → 深圳,
// 华为), a province followed by one of its prefectures (广东省深圳市 → 深圳), and a
// district or county after them (北京市海淀区, 上海市浦东新区: the region stays the
// city); or a region in brackets anywhere (航天华明科技(北京) → 北京, 航天华明科技).
// A leading region wins over a bracketed one; brackets that hold no region are
// left. English names are read too: a region's Latin form in the first tokens or in
// brackets (GUANGZHOU HAIGE → 广州; Huawei (Shenzhen)). s is folded first (see
// FoldWidthAndBrackets). ok is false, and rest is the folded s, when no region is
// found.
func SplitRegion(s string) (region Region, rest string, ok bool) {
	t := mustLoad()
	f := t.fold(s)
	if scriptOf(f) == Latin {
		toks := tokenize(f)
		r, toks := t.bracketLatin(toks)
		if r2, rest := t.leadingLatin(words(toks)); r2 != nil {
			return *r2, strings.Join(rest, " "), true
		}
		if r != nil {
			return *r, strings.Join(words(toks), " "), true
		}
		return Region{}, f, false
	}
	r, _, rest := t.splitRegionZh(f)
	if r == nil {
		return Region{}, f, false
	}
	return *r, rest, true
}

// splitRegionZh is SplitRegion on a folded Chinese name. text is the leading
// region as written, without a suffix when it is the full name ("北京" for 北京市),
// for a trade name that turns out to be nothing but industry words; "" when the
// region was in brackets.
func (t *tables) splitRegionZh(s string) (r *Region, text, rest string) {
	r, text, n := t.leadingRegion(s, 2)
	// Keep at least two characters of name after the region.
	if r != nil && utf8.RuneCountInString(s[n:]) < 2 {
		r, text, n = nil, "", 0
	}
	rest = s[n:]
	if br, without := t.bracketRegion(rest); br != nil {
		rest = without
		if r == nil {
			r = br
		}
	}
	return r, text, rest
}

// leadingRegion matches the region at the start of s: the longest key, then a
// prefecture of a province, then a county-level unit of either (from the table,
// or a run of two to four characters ending in 区, 县, 市 or 旗). It returns the
// most specific region, the text of that region as written (without its suffix
// when it is written in full), and the bytes consumed. A county-level name is
// taken only if at least keep characters follow it.
func (t *tables) leadingRegion(s string, keep int) (r *Region, text string, n int) {
	for _, w := range t.notRegions {
		if strings.HasPrefix(s, w) {
			return nil, "", 0
		}
	}
	r, k := t.regionPrefix(s, nil)
	if r == nil {
		return nil, "", 0
	}
	text, n = s[:k], k
	if r.Level == LevelProvince || r.Level == LevelAutonomousRegion {
		if r2, k2 := t.regionPrefix(s[n:], r); r2 != nil {
			r, text, n = r2, s[n:n+k2], n+k2
		}
	}
	if r.Level != LevelCounty && r.Level != LevelCountry {
		if r2, k2 := t.regionPrefix(s[n:], r); r2 != nil && r2.Level == LevelCounty {
			r, text, n = r2, s[n:n+k2], n+k2
		} else if k2 := countyPrefix(s[n:], keep); k2 > 0 {
			n += k2
		}
	}
	if text == r.Name {
		text = r.Short
	}
	return r, text, n
}

// regionPrefix returns the region whose key is the longest prefix of s, and the
// key's length in bytes. With a parent, only regions inside it count: a
// prefecture or county of a province, a county of a prefecture.
func (t *tables) regionPrefix(s string, parent *Region) (*Region, int) {
	first, _ := utf8.DecodeRuneInString(s)
	longest := t.zhRegionFirst[first] // the longest key starting with first, in runes
	var ends [16]int                  // ends[k-1] is the byte offset after k runes
	m := 0
	for i := 0; i < len(s) && m < min(len(ends), longest); m++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		ends[m] = i
	}
	for k := m; k >= 2; k-- {
		key := s[:ends[k-1]]
		r := t.zhRegions[key]
		if r == nil || parent != nil && !within(r, parent) {
			continue
		}
		return r, len(key)
	}
	return nil, 0
}

// within reports whether r lies inside parent and is more specific.
func within(r, parent *Region) bool {
	switch parent.Level {
	case LevelProvince, LevelAutonomousRegion:
		return r.Province == parent.Short && (r.Level == LevelPrefecture || r.Level == LevelCounty)
	case LevelMunicipality, LevelPrefecture:
		return r.Level == LevelCounty && r.City == parent.Short
	}
	return false
}

// countySuffix holds the last characters of a county-level unit's name that
// countyPrefix reads; countyGuard the characters that, right after such a suffix,
// show it to be the start of a word instead (区块链, 市场, 市政, 县城, 旗舰).
var (
	countySuffix = map[rune]bool{'区': true, '县': true, '市': true, '旗': true}
	countyGuard  = map[rune]bool{'块': true, '域': true, '场': true, '政': true, '民': true, '级': true,
		'城': true, '舰': true, '下': true, '帜': true, '委': true, '间': true, '别': true, '分': true,
		'值': true, '面': true, '镇': true, '长': true, '属': true, '内': true, '外': true}
)

// countyPrefix returns the length in bytes of a county-level name at the start of
// s (海淀区, 浦东新区, 昆山市): two to four Han characters ending in 区, 县, 市 or
// 旗, not followed by a character of countyGuard, and leaving at least keep
// characters; 0 if there is none.
func countyPrefix(s string, keep int) int {
	rs := []rune(s)
	for l := 2; l <= 4 && l < len(rs); l++ {
		if !isHan(rs[l-1]) {
			return 0
		}
		if !countySuffix[rs[l]] {
			continue
		}
		if len(rs)-(l+1) < keep || l+1 < len(rs) && countyGuard[rs[l+1]] {
			return 0
		}
		return len(string(rs[:l+1]))
	}
	return 0
}

// bracketRegion finds the first bracket group in s whose content is a region
// ((北京), (中国), (苏州工业园区)) and returns the region and s without the group.
func (t *tables) bracketRegion(s string) (*Region, string) {
	for i := 0; i < len(s); {
		open := strings.IndexByte(s[i:], '(')
		if open < 0 {
			break
		}
		open += i
		end := strings.IndexByte(s[open:], ')')
		if end < 0 {
			break
		}
		end += open
		c := strings.TrimSpace(s[open+1 : end])
		if r := t.regionKeys[c]; r != nil {
			return r, s[:open] + s[end+1:]
		}
		if r, _, n := t.leadingRegion(c, 0); r != nil && n == len(c) {
			return r, s[:open] + s[end+1:]
		}
		i = end + 1
	}
	return nil, s
}

// leadingLatin matches a region at the start of English tokens: the longest run
// of one to three tokens whose letters, written together, are a region's Latin
// form (Guangzhou, Hong Kong, Chong Qing), then a prefecture of a province, and a
// following "city", "province" or the like. It returns the region and the tokens
// after it; nil when none matches or nothing would be left.
func (t *tables) leadingLatin(toks []string) (*Region, []string) {
	r, n := t.latinRegion(toks)
	if r == nil || n >= len(toks) {
		return nil, toks
	}
	return r, toks[n:]
}

// latinRegion is leadingLatin without the need for tokens after the region: it
// returns the region and the number of tokens it takes.
func (t *tables) latinRegion(toks []string) (*Region, int) {
	r, n := t.latinPrefix(toks, nil)
	if r == nil {
		return nil, 0
	}
	if r.Level == LevelProvince || r.Level == LevelAutonomousRegion {
		if r2, n2 := t.latinPrefix(toks[n:], r); r2 != nil {
			r, n = r2, n+n2
		}
	}
	for n < len(toks) && regionWord[toks[n]] {
		n++
	}
	return r, n
}

// regionWord holds the words that may follow a region's name in English.
var regionWord = map[string]bool{"city": true, "province": true, "municipality": true,
	"prefecture": true, "shi": true, "sheng": true, "sar": true}

func (t *tables) latinPrefix(toks []string, parent *Region) (*Region, int) {
	var buf [64]byte
	for k := min(3, len(toks)); k >= 1; k-- {
		key := buf[:0]
		for _, w := range toks[:k] {
			key = append(key, w...)
		}
		r := t.enRegions[string(key)] // tokens are lower-case letters and digits already
		if r == nil || parent != nil && !within(r, parent) {
			continue
		}
		return r, k
	}
	return nil, 0
}

// bracketLatin finds the first bracket group of English tokens that is a region
// ((Shenzhen), (China), (HK)) and returns it and the tokens without the group.
func (t *tables) bracketLatin(toks []token) (*Region, []token) {
	for i := 0; i < len(toks); {
		g := toks[i].group
		if g == 0 {
			i++
			continue
		}
		j := i
		var b strings.Builder
		for j < len(toks) && toks[j].group == g {
			b.WriteString(toks[j].text)
			j++
		}
		if r := t.enRegions[latinKey(b.String())]; r != nil && j-i < len(toks) {
			out := append(append([]token(nil), toks[:i]...), toks[j:]...)
			return r, out
		}
		i = j
	}
	return nil, toks
}

func isDigits(s string) bool {
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
