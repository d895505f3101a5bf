package resolve

import (
	"strings"
	"unicode/utf8"

	"github.com/cipmap/cipmap/firmname"
)

// pname is a parsed firm name as the comparisons use it.
type pname struct {
	zh     bool   // written in Chinese characters
	full   string // the folded full name
	key    string // trade name and industry word: the name without region and legal form
	trade  []rune // the trade name (字号), Chinese, or Latin in lower case
	latin  []rune // the Latin form: the pinyin of a Chinese trade name, or the Latin trade name; no spaces
	legal  string // the legal form, canonical
	region string // a region the name names (深圳, 北京), canonical
	// industry is the concepts of its industry words (see industryConcepts), for
	// comparing across scripts: 科技 and technology are both "technology".
	industry string
	// tkey and skey are its tradeKey and soundKey, made once.
	tkey, skey string
}

// parseName parses a firm name with package firmname; ok is false for a name with
// nothing to compare.
func parseName(raw string) (pname, bool) {
	n := firmname.Parse(raw)
	if n.Folded == "" {
		return pname{}, false
	}
	p := pname{zh: n.Script != firmname.Latin, full: n.Folded, key: n.Key, legal: n.LegalForm, region: n.Region}
	p.trade = []rune(n.TradeName)
	if n.Region != "" && (n.TradeName == n.Region || !p.zh && regionLatin(n.Region) == strings.ReplaceAll(n.TradeName, " ", "")) {
		// A name of a region and industry words only (上海银行, 中国电子, Hainan
		// Airlines): the region stands in as its trade name, which says nothing
		// alone; the whole name is the trade name.
		p.trade = []rune(n.Key)
	}
	if n.Industry != "" {
		p.industry = industryConcepts(n.Industry, p.zh)
	}
	if p.zh {
		p.latin = []rune(strings.ReplaceAll(n.Pinyin, " ", ""))
	} else {
		p.latin = []rune(strings.ReplaceAll(n.TradeName, " ", ""))
		if n.Industry == "" {
			// A name in pinyin only: Tongze Keji is 通泽科技.
			if rest, ind := splitPinyinIndustry(n.TradeName); rest != strings.ReplaceAll(n.TradeName, " ", "") {
				p.latin, p.trade = []rune(rest), []rune(rest)
				if ind != "" {
					p.industry = industryConcepts(ind, false)
				}
			}
		}
	}
	if len(p.trade) == 0 && p.key == "" {
		p.key = n.Folded
	}
	p.tkey, p.skey = tradeKey(&p), soundKey(&p)
	return p, true
}

// regionOf gives a record's province and city, canonical: from its province, city
// and region properties (names or GB/T 2260 codes), else from the administrative
// division in its credit code, else from a region its names name.
func regionOf(r *Record, names []pname) (province, city string) {
	for _, v := range []string{r.City, r.Region, r.Province} {
		if reg, ok := firmname.LookupRegion(v); ok {
			if reg.Province != "" && province == "" {
				province = reg.Province
			}
			if reg.City != "" && city == "" {
				city = reg.City
			}
		}
	}
	if province == "" && len(r.USCC) == 18 {
		if reg, ok := firmname.RegionOfDivision(r.USCC[2:8]); ok {
			province, city = reg.Province, reg.City
		}
	}
	if province == "" {
		for _, n := range names {
			if reg, ok := firmname.LookupRegion(n.region); ok && reg.Province != "" {
				province, city = reg.Province, reg.City
				break
			}
		}
	}
	return province, city
}

// blockKeys are the keys under which a record is compared with others: its
// Chinese trade names, the Latin forms of all its names (so that 华为 meets HUAWEI),
// each Latin name's full key, and the province with the first two characters of a
// Chinese trade name and its industry (so that a typo in the rest of the trade
// name still meets),
// the first four and the last three characters of a Chinese trade name (so that a
// name cut short, or one that lost or gained its first character, still meets).
func blockKeys(names []pname, province string) []string {
	var keys []string
	for _, n := range names {
		if n.zh && len(n.trade) >= 2 {
			keys = append(keys, "t:"+string(n.trade))
			if province != "" {
				keys = append(keys, "r:"+province+":"+string(n.trade[:2])+":"+n.industry)
			}
			if len(n.trade) >= 4 {
				// The start of a long trade name, for names cut short
				// (中国航天系统科学 for 中国航天系统科学与工程研究院).
				keys = append(keys, "p:"+string(n.trade[:4]))
			}
			if len(n.trade) >= 3 {
				// The end of the trade name, for names whose start was lost or
				// added to (圳市科卫泰 for 深圳市科卫泰, 四范式 for 第四范式).
				keys = append(keys, "s:"+string(n.trade[len(n.trade)-3:]))
			}
		}
		if utf8.RuneCountInString(string(n.latin)) >= 3 {
			keys = append(keys, "l:"+string(n.latin))
		}
		if !n.zh && n.key != "" {
			keys = append(keys, "k:"+n.key)
		}
		if len(n.trade) == 0 && n.key != "" {
			keys = append(keys, "k:"+n.key)
		}
	}
	return dedupe(keys)
}

// regionLatin is the Latin form of a region's short name, lower case, no spaces.
func regionLatin(short string) string {
	if r, ok := firmname.LookupRegion(short); ok {
		return strings.ReplaceAll(strings.ToLower(r.Latin), " ", "")
	}
	return ""
}
