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
	// sound2 is the pinyin of the first two characters of a Chinese trade name,
	// without spaces: a block key that homophone typos (弘中, 宏中) share.
	sound2 string
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
		if f := strings.Fields(n.Pinyin); len(f) >= 2 && len(p.trade) >= 2 {
			p.sound2 = f[0] + f[1]
		}
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

// regionOf gives a record's province and city, canonical: from the administrative
// division in its credit code (where the firm is registered), else from a region its
// names name (a Chinese firm name carries the region of its registration), else
// from its province, city and region properties (names or GB/T 2260 codes), which
// sources fill with where a contract or a patent was, not always where the firm is.
func regionOf(r *Record, names []pname) (province, city string) {
	if len(r.USCC) == 18 {
		if reg, ok := firmname.RegionOfDivision(r.USCC[2:8]); ok {
			return reg.Province, reg.City
		}
	}
	for _, n := range names {
		if reg, ok := firmname.LookupRegion(n.region); ok && reg.Province != "" {
			province, city = reg.Province, reg.City
			break
		}
	}
	for _, v := range []string{r.City, r.Region, r.Province} {
		if reg, ok := firmname.LookupRegion(v); ok {
			if province != "" && reg.Province != province {
				continue
			}
			if reg.Province != "" && province == "" {
				province = reg.Province
			}
			if reg.City != "" && city == "" {
				city = reg.City
			}
		}
	}
	return province, city
}

// blockKeys are the keys under which a record is compared with others: its
// Chinese trade names (t:), the Latin forms of all its names (l:, so that 华为 meets
// HUAWEI), each Latin name's full key (k:), the province with the sound of the first
// two characters of a Chinese trade name and its industry (y:, so that a typo in
// the trade name still meets: 弘中 and 宏中 sound the same), the first four
// characters of the name without region and legal form (q:, for names cut short or
// with a character dropped at the end: 明科伟机器 for 明科伟机器人, 信星集成路 for
// 信星集成电路), and the last three characters of the trade name (s:, for names
// whose start was lost or added to: 四范式 for 第四范式). (The last three characters
// of the name were tried too: mostly a trade name's last character and 科技, they
// made blocks of hundreds and quadrupled the pairs.)
func blockKeys(names []pname, province string) []string {
	var keys []string
	for _, n := range names {
		if n.zh && len(n.trade) >= 2 {
			keys = append(keys, "t:"+string(n.trade))
			if province != "" && n.sound2 != "" {
				keys = append(keys, "y:"+province+":"+n.sound2+":"+n.industry)
			}
			if len(n.trade) >= 3 {
				keys = append(keys, "s:"+string(n.trade[len(n.trade)-3:]))
			}
			if k := []rune(n.key); len(k) >= 4 {
				keys = append(keys, "q:"+string(k[:4]))
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
