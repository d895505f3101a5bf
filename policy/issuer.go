package policy

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Level is the tier of government a policy's issuer belongs to.
type Level int

// The levels, from the State Council down. LevelUnknown is the zero value: no rule
// recognised the issuer.
const (
	LevelUnknown    Level = iota
	LevelCentral          // the State Council, its ministries and bureaus, central Party and state organs
	LevelProvincial       // provinces, autonomous regions, the four municipalities, SARs
	LevelMunicipal        // prefecture-level cities, 地区, 自治州, 盟
	LevelCounty           // districts, counties, county-level cities, banners
)

var levelNames = [...]string{"unknown", "central", "provincial", "municipal", "county"}

// String returns the level's name: central, provincial, municipal, county or
// unknown.
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// parseLevel is the inverse of Level.String for the four known levels.
func parseLevel(s string) (Level, bool) {
	for i, n := range levelNames[1:] {
		if n == s {
			return Level(i + 1), true
		}
	}
	return LevelUnknown, false
}

// Region is the administrative region an issuer governs.
type Region struct {
	// Code is the GB/T 2260 code as far as it is known: 2 digits for a
	// province-level unit (44), 4 for a prefecture (4403), 6 for a county-level
	// unit (310115); "" for the whole country or when unknown.
	Code string
	// Name is the region's full name (广东省, 深圳市, 浦东新区), or 中华人民共和国
	// for a central issuer; "" when unknown.
	Name string
}

// FullCode returns Code padded to the six digits GB/T 2260 publishes (44 →
// 440000), or "" when Code is empty.
func (r Region) FullCode() string {
	if r.Code == "" {
		return ""
	}
	return r.Code + strings.Repeat("0", max(0, 6-len(r.Code)))
}

// China is the region of central issuers.
var China = Region{Name: "中华人民共和国"}

// Issuer is one issuing body with the level and region IssuerLevel inferred.
type Issuer struct {
	// Name is the name as given, folded and trimmed; Canonical is the name the
	// central-bodies table gives it (国家发展改革委 for 国家发展和改革委员会),
	// or Name when the table does not list it.
	Name, Canonical string
	Level           Level
	Region          Region
	// Rule says which rule decided, as "id: detail"; see IssuerLevel.
	Rule string
}

// SplitIssuers splits an issuer field into its bodies: joint issuers are
// separated by 、，,；; or white space (工业和信息化部、应急管理部; 国家发展改革委
// 国家能源局). A trailing 等 ("and others") is dropped, and so is a bracketed alias
// (国家移民局（中国出入境管理局）).
func SplitIssuers(s string) []string {
	s = foldString(s)
	// Drop bracketed asides.
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch r {
		case '(', '[', '【', '〔', '﹝', '〖':
			depth++
			continue
		case ')', ']', '】', '〕', '﹞', '〗':
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	parts := strings.FieldsFunc(b.String(), func(r rune) bool {
		return isSpace(r) || r == '、' || r == '，' || r == ',' || r == '；' || r == ';' || r == '/' || r == '|'
	})
	out := parts[:0]
	for _, p := range parts {
		p = strings.TrimSuffix(p, "等")
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ParseIssuers splits an issuer field with SplitIssuers and infers each body's
// level and region.
func ParseIssuers(s string) []Issuer {
	var out []Issuer
	for _, p := range SplitIssuers(s) {
		out = append(out, inferIssuer(p))
	}
	return out
}

// IssuerLevel infers the level of government and the region of a policy's
// issuer, and returns the rule that decided as "id: detail". The rules, in order:
//
//   - central-table: the name, or its beginning, is a central body or alias in
//     data/central-bodies.tsv (财政部, 国家数据局综合司);
//   - region: the name begins with a region in data/regions.tsv, read as deep as
//     the table goes (广东省 → provincial, 深圳市 → municipal, 浦东新区 or
//     北京市海淀区 → county);
//   - region-suffix: below a listed region, an unlisted unit ending in 区, 县 or
//     旗 is county-level and one ending in 市 is a city one level down
//     (苏州市吴中区人民政府 → county, region 苏州市);
//   - central-pattern: no region, and the name begins 国务院, 国家, 中央, 中共中央,
//     全国, 中国 or 最高人民, or ends in 部, 总局 or 总署;
//   - joint: several issuers (split as SplitIssuers does); the highest level
//     wins, and the region is the highest issuer's when they agree on it;
//   - unknown: no rule matched; the level is LevelUnknown.
func IssuerLevel(issuer string) (Level, Region, string) {
	parts := ParseIssuers(issuer)
	switch len(parts) {
	case 0:
		return LevelUnknown, Region{}, "unknown: empty issuer"
	case 1:
		return parts[0].Level, parts[0].Region, parts[0].Rule
	}
	best := -1
	var unknown []string
	for i, p := range parts {
		if p.Level == LevelUnknown {
			unknown = append(unknown, p.Name)
			continue
		}
		if best < 0 || p.Level < parts[best].Level {
			best = i
		}
	}
	if best < 0 {
		return LevelUnknown, Region{}, fmt.Sprintf("unknown: none of %d joint issuers recognised", len(parts))
	}
	top := parts[best]
	region := top.Region
	for _, p := range parts {
		if p.Level == top.Level && p.Region != top.Region {
			region = Region{}
		}
	}
	rule := fmt.Sprintf("joint: %d issuers, highest %s (%s: %s)", len(parts), top.Level, top.Name, top.Rule)
	if len(unknown) > 0 {
		rule += "; not recognised: " + strings.Join(unknown, ", ")
	}
	return top.Level, region, rule
}

// countySuffixes end the name of a county-level unit.
var countySuffixes = []rune{'区', '县', '旗'}

// zoneWords mark development zones, whose administrative level varies; an
// unlisted unit containing one is not read as a county.
var zoneWords = []string{"园区", "开发区", "高新区", "合作区", "保税区", "示范区", "试验区", "新区管委会"}

// bodyRunes are characters that belong to a body's name, not to a place name: an
// unlisted unit name must not contain one (科技创新委员会 is not a county).
const bodyRunes = "政府委局厅办会部院署司处所组室党"

// inferIssuer infers the level and region of one issuing body.
func inferIssuer(name string) Issuer {
	t := mustLoad()
	name = strings.TrimSpace(foldString(name))
	is := Issuer{Name: name, Canonical: name}
	s := strings.TrimPrefix(name, "中华人民共和国")
	if s == "" {
		s = name
	}
	// Central table: exact, then the longest listed name that begins s.
	if b, ok := t.central[s]; ok {
		is.Canonical = b.name
		is.Level, is.Region = LevelCentral, China
		is.Rule = "central-table: " + b.name
		return is
	}
	if b, n := longestPrefix(s, t.centralMax, func(k string) bool { _, ok := t.central[k]; return ok }); n > 0 {
		c := t.central[b]
		is.Canonical = c.name + s[n:]
		is.Level, is.Region = LevelCentral, China
		is.Rule = fmt.Sprintf("central-table: %s (beginning of %s)", c.name, s)
		return is
	}
	// Regions, read as deep as the table goes. A Party committee (中共广东省委)
	// belongs to its region.
	rs := s
	for _, p := range []string{"中国共产党", "中共"} {
		if strings.HasPrefix(rs, p) {
			rs = strings.TrimPrefix(rs, p)
			break
		}
	}
	if reg, rest := t.matchRegions(rs); reg != nil {
		lv := regionLevel(reg.level)
		is.Level, is.Region = lv, Region{Code: reg.code, Name: reg.name}
		is.Rule = fmt.Sprintf("region: %s (%s)", reg.name, reg.level)
		if unit, ulv, ok := unlistedUnit(rest, reg); ok {
			is.Level = ulv
			is.Rule = fmt.Sprintf("region-suffix: %s under %s (%s; region code is %s's)", unit, reg.name, ulv, reg.name)
		}
		return is
	}
	for _, p := range []string{"国务院", "国家", "中央", "中共中央", "全国", "中国", "最高人民"} {
		if strings.HasPrefix(s, p) {
			is.Level, is.Region = LevelCentral, China
			is.Rule = fmt.Sprintf("central-pattern: begins with %s", p)
			return is
		}
	}
	for _, p := range []string{"部", "总局", "总署"} {
		if strings.HasSuffix(s, p) && utf8.RuneCountInString(s) <= 12 && utf8.RuneCountInString(s) > utf8.RuneCountInString(p) {
			is.Level, is.Region = LevelCentral, China
			is.Rule = fmt.Sprintf("central-pattern: ends with %s and names no region", p)
			return is
		}
	}
	if unit, lv, ok := unlistedUnit(s, nil); ok {
		is.Level = lv
		is.Rule = fmt.Sprintf("region-suffix: %s (%s; not in the region table or ambiguous, region unknown)", unit, lv)
		return is
	}
	is.Rule = "unknown: no rule matched " + s
	return is
}

// matchRegions reads the regions at the start of s, each inside the previous
// (北京市海淀区), and returns the deepest and the rest of s after it.
func (t *tables) matchRegions(s string) (*region, string) {
	var cur *region
	for {
		var found *region
		k, n := longestPrefix(s, t.regionMax, func(k string) bool {
			// A short form followed by an administrative suffix is another
			// unit's name: 朝阳区 is not 朝阳(市) + 区.
			next, _ := utf8.DecodeRuneInString(s[len(k):])
			suffixed := strings.ContainsRune("区县市旗州盟", next)
			for _, r := range t.regionKey[k] {
				if t.fits(r, cur) && (k == r.name || !suffixed) {
					return true
				}
			}
			return false
		})
		if n == 0 {
			return cur, s
		}
		next, _ := utf8.DecodeRuneInString(s[len(k):])
		suffixed := strings.ContainsRune("区县市旗州盟", next)
		for _, r := range t.regionKey[k] {
			if t.fits(r, cur) && (k == r.name || !suffixed) && (found == nil || regionLevel(r.level) < regionLevel(found.level)) {
				found = r
			}
		}
		cur = found
		s = s[len(k):]
		if cur.level == "county" {
			return cur, s
		}
	}
}

// fits reports whether region r may be read after parent (nil at the start of a
// name): inside it, or anywhere at the start unless r is flagged child.
func (t *tables) fits(r, parent *region) bool {
	if parent == nil {
		return !r.hasFlag("child")
	}
	if r.code == "" || parent.code == "" || r == parent {
		return false
	}
	return len(r.code) > len(parent.code) && strings.HasPrefix(r.code, parent.code)
}

// regionLevel maps a region table level to the level of its government.
func regionLevel(l string) Level {
	switch l {
	case "province", "municipality", "autonomous-region", "sar":
		return LevelProvincial
	case "prefecture":
		return LevelMunicipal
	case "county":
		return LevelCounty
	}
	return LevelUnknown
}

// unlistedUnit looks at the start of rest, the name after a listed region (parent)
// or a whole name (parent nil), for an administrative unit the table lacks: 2 to 7
// characters ending in 区, 县 or 旗 (a county-level unit), or in 市 (a county-level
// city below a prefecture, else read as a prefecture-level city). It returns the
// unit and its level.
func unlistedUnit(rest string, parent *region) (string, Level, bool) {
	if parent != nil && parent.level == "county" {
		return "", 0, false
	}
	rs := []rune(rest)
	for i := 1; i < len(rs) && i <= 6; i++ {
		if strings.ContainsRune(bodyRunes, rs[i-1]) || !isHan(rs[i-1]) {
			return "", 0, false
		}
		r := rs[i]
		unit := string(rs[:i+1])
		head := string(rs[:min(len(rs), i+4)])
		for _, z := range zoneWords {
			if strings.Contains(head, z) {
				return "", 0, false
			}
		}
		for _, c := range countySuffixes {
			if r == c {
				return unit, LevelCounty, true
			}
		}
		if r == '市' {
			if parent != nil && parent.level == "prefecture" {
				return unit, LevelCounty, true
			}
			return unit, LevelMunicipal, true
		}
	}
	return "", 0, false
}

// longestPrefix returns the longest prefix of s, at most maxRunes runes, for which
// ok is true, and its length in bytes (0 when none).
func longestPrefix(s string, maxRunes int, ok func(string) bool) (string, int) {
	ends := make([]int, 0, maxRunes)
	for i := range s {
		if i > 0 {
			ends = append(ends, i)
		}
		if len(ends) >= maxRunes {
			break
		}
	}
	if len(ends) < maxRunes {
		ends = append(ends, len(s))
	}
	for j := len(ends) - 1; j >= 0; j-- {
		if k := s[:ends[j]]; ok(k) {
			return k, len(k)
		}
	}
	return "", 0
}
