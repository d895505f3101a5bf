package gen

import (
	"math"
	"math/rand/v2"
	"strings"
)

// group is an SOE group: firms [root, end) of the firm list, the root first, each
// member after its parent.
type group struct {
	level     uint8 // levelCentral, levelProvincial, levelMunicipal
	gov, gov2 int   // the root's owners (gov2 -1 for none)
	root, end int
	city      int
	trade     tname
	execs     []int32 // the persons who sit on the group's boards
}

const (
	levelCentral = iota
	levelProvincial
	levelMunicipal
)

// govBody is a state owner: a SASAC, the Ministry of Finance or Central Huijin.
type govBody struct {
	name, short, en, level, kind, parent, region string
	province, city                               int // -1 where none
}

type foreignFirm struct {
	name, country string
	founded       int32
}

// Gov body indexes: the central ones, then one SASAC per province, then one per
// city that is not a municipality.
const (
	govSASAC  = 0
	govMOF    = 1
	govHuijin = 2
	govProv0  = 3
)

// govBodies lists the state owners.
func (w *world) govBodies() {
	w.gov = []govBody{
		{name: "国务院国有资产监督管理委员会", short: "国务院国资委", en: "State-owned Assets Supervision and Administration Commission of the State Council",
			level: "central", kind: "国资委", parent: "国务院", province: -1, city: -1},
		{name: "中华人民共和国财政部", short: "财政部", en: "Ministry of Finance of the People's Republic of China",
			level: "central", kind: "部委", parent: "国务院", province: -1, city: -1},
		{name: "中央汇金投资有限责任公司", short: "中央汇金", en: "Central Huijin Investment Ltd.",
			level: "central", kind: "国有资本投资公司", parent: "中国投资有限责任公司", province: -1, city: -1},
	}
	for p, pr := range w.d.provinces {
		gov := "Provincial"
		if strings.HasSuffix(pr.name, "市") {
			gov = "Municipal"
		} else if strings.HasSuffix(pr.name, "自治区") {
			gov = "Autonomous Region"
		}
		w.gov = append(w.gov, govBody{name: pr.name + "人民政府国有资产监督管理委员会", short: pr.name + "国资委",
			en:    "State-owned Assets Supervision and Administration Commission of the " + pr.en + " " + gov + " People's Government",
			level: "provincial", kind: "国资委", parent: pr.name + "人民政府", region: pr.code + "0000", province: p, city: -1})
	}
	for _, c := range w.d.nonMunicipal {
		ci := w.d.cities[c]
		w.gov = append(w.gov, govBody{name: ci.name + "市人民政府国有资产监督管理委员会", short: ci.name + "市国资委",
			en:    "State-owned Assets Supervision and Administration Commission of the " + ci.en + " Municipal People's Government",
			level: "municipal", kind: "国资委", parent: ci.name + "市人民政府", region: ci.code, province: ci.prov, city: c})
	}
	w.res.GovBodies = len(w.gov)
}

// municipalGov returns the gov body index of a city's SASAC.
func (w *world) municipalGov(c int) int {
	for k, x := range w.d.nonMunicipal {
		if x == c {
			return govProv0 + len(w.d.provinces) + k
		}
	}
	return govProv0 + w.d.cities[c].prov
}

// makeGroups lays out the SOE groups over the first 8% of firm indexes.
func (w *world) makeGroups(r *rand.Rand) {
	n := w.opts.Firms
	if n < 100 {
		return
	}
	nSOE := n * 8 / 100
	shares := [3]float64{0.40, 0.35, 0.25}
	avg := [3]int{100, 60, 30}
	next := 0
	for level := 0; level < 3; level++ {
		nl := int(float64(nSOE) * shares[level])
		if level == 2 {
			nl = nSOE - next
		}
		g := max(1, nl/avg[level])
		if level == levelCentral {
			g = min(g, 97)
		}
		g = min(g, nl/2)
		if g == 0 {
			continue
		}
		// Sizes: two each, the rest in proportion to log-normal weights.
		ws := make([]float64, g)
		t := 0.0
		for k := range ws {
			ws[k] = math.Exp(r.NormFloat64())
			t += ws[k]
		}
		rest := nl - 2*g
		sizes := make([]int, g)
		given := 0
		for k := range sizes {
			sizes[k] = 2 + int(float64(rest)*ws[k]/t)
			given += sizes[k]
		}
		for k := 0; given < nl; k = (k + 1) % g {
			sizes[k]++
			given++
		}
		for k := 0; k < g; k++ {
			gr := group{level: uint8(level), gov2: -1, root: next, end: next + sizes[k]}
			next += sizes[k]
			switch level {
			case levelCentral:
				gr.city = w.cityNamed("北京")
				switch x := r.Float64(); {
				case x < 0.9:
					gr.gov = govSASAC
				case x < 0.95:
					gr.gov, gr.gov2 = govMOF, govHuijin
				default:
					gr.gov = govHuijin
				}
				if r.Float64() < 0.2 {
					gr.city = w.d.citySampler.pick(r)
				}
			case levelProvincial:
				p := w.d.cities[w.d.citySampler.pick(r)].prov
				gr.gov, gr.city = govProv0+p, w.d.provinces[p].capital
			default:
				c := w.d.citySampler.pick(r)
				for w.d.cities[c].municipality {
					c = w.d.citySampler.pick(r)
				}
				gr.gov, gr.city = w.municipalGov(c), c
			}
			w.groups = append(w.groups, gr)
		}
	}
	w.res.SOEGroups = len(w.groups)
	w.res.SOEFirms = next
}

func (w *world) cityNamed(name string) int {
	for i, c := range w.d.cities {
		if c.name == name {
			return i
		}
	}
	return 0
}

// tradeKey is the key of the uniqueness rule: city, industry word, trade name.
func tradeKey(city, ind int, t tname) uint64 {
	return uint64(t.c[0]) | uint64(t.c[1])<<8 | uint64(t.c[2])<<16 | uint64(t.c[3])<<24 | uint64(t.n)<<32 |
		uint64(ind)<<40 | uint64(city)<<48
}

func (w *world) newTrade(r *rand.Rand) tname {
	var t tname
	switch x := r.Float64(); {
	case x < 0.35:
		t.n = 2
	case x < 0.90:
		t.n = 3
	default:
		t.n = 4
	}
	for k := 0; k < int(t.n); k++ {
		c := uint8(w.d.charSampler.pick(r))
		for k > 0 && c == t.c[k-1] {
			c = uint8(w.d.charSampler.pick(r))
		}
		t.c[k] = c
	}
	return t
}

// uniqueTrade draws a trade name not yet registered with this industry word in
// this city.
func (w *world) uniqueTrade(r *rand.Rand, used map[uint64]struct{}, city, ind int) tname {
	for {
		t := w.newTrade(r)
		k := tradeKey(city, ind, t)
		if _, ok := used[k]; !ok {
			used[k] = struct{}{}
			return t
		}
	}
}

// privateStyle draws how a private firm's name places its region.
func (w *world) privateStyle(r *rand.Rand, city int) uint8 {
	x := r.Float64()
	if w.d.cities[city].municipality {
		switch {
		case x < 0.75:
			return styleBare
		case x < 0.85:
			return styleCity
		case x < 0.95:
			return styleBracket
		}
		return styleNone
	}
	switch {
	case x < 0.80:
		return styleCity
	case x < 0.85:
		return styleBare
	case x < 0.95:
		return styleBracket
	}
	return styleNone
}

// makeFirms draws every firm: SOE group members first, then private firms.
func (w *world) makeFirms(r *rand.Rand) {
	n := w.opts.Firms
	w.firms = make([]firm, n)
	used := make(map[uint64]struct{}, n)
	depth := make([]uint8, w.res.SOEFirms)
	for gi := range w.groups {
		g := &w.groups[gi]
		for i := g.root; i < g.end; i++ {
			f := &w.firms[i]
			f.group, f.parent, f.flags = int32(gi), -1, fSOE
			if i == g.root {
				w.makeRoot(r, used, g, f)
				f.founded = between(r, day1990, days(2010, 12, 31))
				continue
			}
			// The parent: the root for a third, else an earlier member less than
			// four levels down.
			p := g.root
			if r.Float64() > 0.35 {
				for try := 0; try < 10; try++ {
					q := g.root + r.IntN(i-g.root)
					if depth[q] < 4 {
						p = q
						break
					}
				}
			}
			f.parent, depth[i] = int32(p), depth[p]+1
			pf := &w.firms[p]
			f.founded = min(between(r, pf.founded+180, min(pf.founded+15*365, dayEnd-400)), dayEnd-30)
			w.makeMember(r, used, g, f, int(pf.city))
		}
	}
	for i := w.res.SOEFirms; i < n; i++ {
		f := &w.firms[i]
		f.group, f.parent = -1, -1
		city := w.d.citySampler.pick(r)
		f.city = uint8(city)
		x := r.Float64()
		switch {
		case x < 0.04:
			f.flags |= fFund
			f.industry = uint8(w.d.fundSampler.pick(r))
			f.form = formLP
			f.style = styleCity
			if r.Float64() < 0.15 {
				f.style = styleBracket
			}
		case x < 0.10:
			f.flags |= fHolding
			f.industry = uint8(w.d.holdingSampler.pick(r))
			f.form = formLtd
			if r.Float64() < 0.2 {
				f.form = formGroup
			}
			f.style = w.privateStyle(r, city)
		default:
			f.industry = uint8(w.d.techSampler.pick(r))
			switch y := r.Float64(); {
			case y < 0.60:
				f.form = formLtd
			case y < 0.80:
				f.form = formLLC
			case y < 0.98:
				f.form = formJSC
			default:
				f.form = formGroup
			}
			f.style = w.privateStyle(r, city)
		}
		f.trade = w.uniqueTrade(r, used, city, int(f.industry))
		// Founding: recent years are more frequent; funds after 2010.
		y := 2025 - int(r.ExpFloat64()*8)
		if f.flags&fFund != 0 {
			y = 2025 - int(r.ExpFloat64()*5)
			y = max(y, 2010)
		}
		y = max(y, 1990)
		f.founded = between(r, days(y, 1, 1), min(days(y, 12, 31), dayEnd-30))
	}
	w.shared()
	w.attributes(r)
}

// makeRoot names an SOE group's parent company.
func (w *world) makeRoot(r *rand.Rand, used map[uint64]struct{}, g *group, f *firm) {
	f.flags |= fRoot
	f.city = uint8(g.city)
	f.form = formGroup
	if r.Float64() < 0.6 {
		f.industry = uint8(w.d.holdingSampler.pick(r))
		f.flags |= fHolding
	} else {
		f.industry = uint8(w.d.techSampler.pick(r))
	}
	switch g.level {
	case levelCentral:
		f.style = styleChina
	case levelProvincial:
		f.style = styleProvince
	default:
		f.style = styleCity
		if r.Float64() < 0.5 {
			f.form = formLtd
		}
	}
	f.trade = w.uniqueTrade(r, used, g.city, int(f.industry))
	g.trade = f.trade
}

// makeMember places and names a member of an SOE group.
func (w *world) makeMember(r *rand.Rand, used map[uint64]struct{}, g *group, f *firm, parentCity int) {
	city := parentCity
	if r.Float64() > 0.5 {
		switch g.level {
		case levelCentral:
			city = w.d.citySampler.pick(r)
		case levelProvincial:
			cs := w.d.provCities[w.d.cities[g.city].prov]
			city = cs[r.IntN(len(cs))]
			if r.Float64() < 0.15 {
				city = w.d.citySampler.pick(r)
			}
		default:
			city = g.city
			if r.Float64() < 0.15 {
				city = w.d.citySampler.pick(r)
			}
		}
	}
	f.city = uint8(city)
	switch x := r.Float64(); {
	case x < 0.50:
		f.form = formLtd
	case x < 0.75:
		f.form = formLLC
	case x < 0.95:
		f.form = formJSC
	default:
		f.form = formGroup
	}
	if r.Float64() < 0.3 {
		// The group's trade name with another industry word, often with the city
		// in brackets: 华信电子（苏州）有限公司.
		for try := 0; try < 5; try++ {
			ind := w.d.techSampler.pick(r)
			if r.Float64() < 0.2 {
				ind = w.d.holdingSampler.pick(r)
			}
			k := tradeKey(city, ind, g.trade)
			if _, ok := used[k]; ok {
				continue
			}
			used[k] = struct{}{}
			f.trade, f.industry = g.trade, uint8(ind)
			f.style = styleCity
			if city != g.city && r.Float64() < 0.5 {
				f.style = styleBracket
			}
			if w.d.industries[ind].kind == "holding" {
				f.flags |= fHolding
			}
			return
		}
	}
	f.industry = uint8(w.d.techSampler.pick(r))
	if r.Float64() < 0.15 {
		f.industry = uint8(w.d.holdingSampler.pick(r))
		f.flags |= fHolding
	}
	f.style = w.privateStyle(r, city)
	f.trade = w.uniqueTrade(r, used, city, int(f.industry))
}

// sharesGroupTrade reports whether a group member has its group's trade name: its
// short name then needs the industry word (华信电子, not 华信).
func (w *world) sharesGroupTrade(f *firm) bool {
	return f.group >= 0 && f.flags&fRoot == 0 && f.trade == w.groups[f.group].trade
}

// shared measures how many firms share their trade name and industry word with a
// firm in another city.
func (w *world) shared() {
	type cell struct {
		city  uint8
		count int32 // -1 once two cities are seen
	}
	seen := make(map[uint64]cell, len(w.firms))
	for i := range w.firms {
		f := &w.firms[i]
		k := tradeKey(0, int(f.industry), f.trade)
		c, ok := seen[k]
		switch {
		case !ok:
			seen[k] = cell{f.city, 1}
		case c.count > 0 && c.city == f.city:
			c.count++
			seen[k] = c
		default:
			c.count = -1
			seen[k] = c
		}
	}
	sharedN := 0
	for i := range w.firms {
		f := &w.firms[i]
		if seen[tradeKey(0, int(f.industry), f.trade)].count < 0 {
			sharedN++
		}
	}
	if len(w.firms) > 0 {
		w.res.TradeNameShared = float64(sharedN) / float64(len(w.firms))
	}
}

// Stock boards: code ranges and the share of listings.
var boards = []struct {
	lo, hi int32
	weight float64
}{
	{600000, 601999, 0.20}, {603000, 603999, 0.10}, {605000, 605999, 0.05}, {688000, 689999, 0.15},
	{1, 3999, 0.25}, {300000, 301999, 0.20}, {430000, 439999, 0.02}, {830000, 839999, 0.02}, {870000, 889999, 0.01},
}

// stockSuffix is the exchange suffix of an A-share code.
func stockSuffix(code int32) string {
	switch {
	case code < 10000 || code >= 300000 && code < 400000:
		return "SZ"
	case code >= 400000 && code < 600000 || code >= 800000:
		return "BJ"
	}
	return "SH"
}

// attributes draws what every firm has besides its name: renames, English and
// short names, listing, district, credit code, capital, activity, address.
func (w *world) attributes(r *rand.Rand) {
	next := make([]int32, len(boards))
	var bw []float64
	for k, b := range boards {
		next[k] = b.lo
		bw = append(bw, b.weight)
	}
	board := newSampler(bw, nil)
	r1, r2 := r.Uint64N(100_000_000), r.Uint64N(887_503_681)
	for i := range w.firms {
		f := &w.firms[i]
		soe, fund := f.flags&fSOE != 0, f.flags&fFund != 0
		f.stock = -1
		// Listing.
		p := 0.015
		if soe {
			p = 0.08
			if f.flags&fRoot != 0 {
				p = 0.3
			}
		}
		if !fund && f.founded < days(2022, 1, 1) && r.Float64() < p {
			b := board.pick(r)
			for k := 0; k < len(boards) && f.stock < 0; k++ {
				bb := (b + k) % len(boards)
				if next[bb] <= boards[bb].hi {
					f.stock = next[bb]
					next[bb] += 1 + int32(r.IntN(2))
				}
			}
			if f.stock >= 0 {
				f.flags |= fListed
				if f.form != formGroup {
					f.form = formJSC
				}
				w.res.ListedFirms++
			}
		}
		// Renames: restructuring into a joint-stock company, a new industry word, or
		// a new trade name.
		f.oldTrade, f.oldIndustry, f.oldForm = f.trade, f.industry, f.form
		if !fund && f.founded+365 < dayEnd-60 && r.Float64() < 0.05 {
			f.renamed = between(r, f.founded+365, dayEnd-60)
			switch x := r.Float64(); {
			case x < 0.4 && f.form == formJSC:
				f.rename, f.oldForm = renameForm, formLtd
			case x < 0.7 && w.d.industries[f.industry].kind == "tech":
				f.rename = renameIndustry
				for f.oldIndustry == f.industry {
					f.oldIndustry = uint8(w.d.techSampler.pick(r))
				}
			default:
				f.rename = renameTrade
				for f.oldTrade == f.trade {
					f.oldTrade = w.newTrade(r)
				}
			}
			w.res.RenamedFirms++
		}
		// English and short names.
		pEN, pShort := 0.35, 0.20
		switch {
		case f.flags&fListed != 0:
			pEN, pShort = 1, 1
		case soe:
			pEN, pShort = 0.8, 0.4
		case fund:
			pEN, pShort = 0.3, 0
		}
		if r.Float64() < pEN {
			f.flags |= fEN
			w.res.EnglishNames++
		}
		f.enStyle = uint8(r.IntN(20)) // 科技: Technology, Science and Technology or Sci-Tech
		if r.Float64() < pShort {
			w.res.ShortNames++
			f.short = shortIndustry
			if f.trade.n >= 3 && r.Float64() < 0.5 && !w.sharesGroupTrade(f) {
				f.short = shortTrade
			}
			if f.flags&fListed != 0 && r.Float64() < 0.3 {
				f.short = shortJSC
			}
		}
		// District and credit code.
		c := &w.d.cities[f.city]
		f.district = -1
		division := c.code
		if len(c.districts) > 0 && (c.municipality || r.Float64() < 0.7) {
			f.district = int8(r.IntN(len(c.districts)))
			if c.municipality || r.Float64() < 0.4 {
				division = c.districts[f.district].code
			}
		}
		f.uscc = worldUSCC(division, uint64(i), f.founded, r1, r2)
		// Capital (万元), activity, address.
		capital := math.Exp(6 + 1.4*r.NormFloat64())
		if soe {
			capital *= 5
		}
		if f.flags&fListed != 0 {
			capital *= 10
		}
		f.capital = int32(min(max(capital, 1), 5e6))
		a := math.Exp(0.8 * r.NormFloat64())
		if soe || f.flags&fListed != 0 {
			a *= 2
		}
		f.activity = float32(min(a, 15))
		f.road, f.roadNo = uint8(r.IntN(len(w.d.roads))), uint16(1+r.IntN(999))
	}
}

// worldUSCC makes firm i's credit code: 9 (market regulator) 1 (enterprise), the
// division, an organisation code unique to i (eight digits before late 2015, MA and
// six characters after) with its own check character, and the code's check
// character.
func worldUSCC(division string, i uint64, founded int32, r1, r2 uint64) [18]byte {
	var b [18]byte
	copy(b[:], "91")
	copy(b[2:], division)
	if founded < dayUSCC {
		v := (i*7777771 + r1) % 100_000_000
		for k := 15; k >= 8; k-- {
			b[k] = byte('0' + v%10)
			v /= 10
		}
	} else {
		b[8], b[9] = 'M', 'A'
		v := (i*1000003 + r2) % 887_503_681 // 31^6
		for k := 15; k >= 10; k-- {
			b[k] = usccChars[v%31]
			v /= 31
		}
	}
	// The organisation code's check character (GB 11714).
	ow := [8]int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k := 0; k < 8; k++ {
		c := b[8+k]
		v := int(c - '0')
		if c >= 'A' {
			v = int(c-'A') + 10
		}
		sum += v * ow[k]
	}
	switch c := (11 - sum%11) % 11; c {
	case 10:
		b[16] = 'X'
	default:
		b[16] = byte('0' + c)
	}
	sum = 0
	for k := 0; k < 17; k++ {
		sum += indexByte(usccChars, b[k]) * usccWeights[k]
	}
	b[17] = usccChars[(31-sum%31)%31]
	return b
}

// makeForeign draws the foreign firms that hold stakes in Chinese ones.
func (w *world) makeForeign(r *rand.Rand) {
	n := max(5, w.opts.Firms/150)
	seen := map[string]bool{}
	for len(w.foreign) < n {
		name := w.d.fWords[r.IntN(len(w.d.fWords))]
		if r.Float64() < 0.5 {
			name += " " + w.d.fWords[r.IntN(len(w.d.fWords))]
		}
		if len(seen) > 2000 {
			name += " " + strings.ToUpper(string(rune('A'+r.IntN(26)))) + pad(r.IntN(1000), 3)
		}
		ff := w.d.fForms[r.IntN(len(w.d.fForms))]
		name += " " + w.d.fNouns[r.IntN(len(w.d.fNouns))] + " " + ff.suffix
		if seen[name] {
			continue
		}
		seen[name] = true
		w.foreign = append(w.foreign, foreignFirm{name: name, country: ff.country, founded: between(r, days(1970, 1, 1), days(2015, 12, 31))})
	}
	w.res.ForeignFirms = n
}
