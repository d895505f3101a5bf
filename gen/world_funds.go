package gen

import (
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
)

// gfund is a government guidance fund of the policy layer.
type gfund struct {
	name, short, ftype, form, program string
	level                             int // 0 national, 1 provincial, 2 municipal
	prov, city, topic, parent         int // -1 where none
	founded                           int32
	partners                          []fpartner
	paths                             []gpath // government capital, looked through the funds above
	weight                            float64 // how often it invests
	deployed                          float64 // 万元 (CNY): investments and commitments to funds below
	capital                           int64   // 万元
}

// fpartner is a limited (or general) partner or shareholder of a fund.
type fpartner struct {
	kind uint8 // partGov, partFund, partFirm, partBank
	idx  int
	bp   int // hundredths of a percent
	role string
}

const (
	partGov = iota
	partFund
	partFirm
	partBank
)

var partnerKinds = []string{"gov", "fund", "firm", "firm"}

// gpath is a government body's share of a fund through one chain of funds: the
// government holds a share of chain[0], which holds a share of chain[1], ... down to
// the fund.
type gpath struct {
	gov   int
	chain []int
	share float64
}

func fundID(k int) string { return "FD" + pad(k+1, 5) }

var nationalFunds = []struct {
	name, short, ftype, founded, topic, program string
}{
	{"国家集成电路产业投资基金股份有限公司", "大基金一期", "产业投资基金", "2014-09-26", "semiconductors", "PG0002"},
	{"国家集成电路产业投资基金二期股份有限公司", "大基金二期", "产业投资基金", "2019-10-22", "semiconductors", "PG0003"},
	{"国家集成电路产业投资基金三期股份有限公司", "大基金三期", "产业投资基金", "2024-05-24", "semiconductors", "PG0004"},
	{"国家制造业转型升级基金股份有限公司", "制造业转型升级基金", "产业投资基金", "2019-11-18", "", ""},
	{"国家中小企业发展基金有限公司", "中小企业发展基金", "政府引导基金", "2020-08-24", "", ""},
	{"国家新兴产业创业投资引导基金有限公司", "新兴产业引导基金", "政府引导基金", "2015-07-01", "", ""},
}

// fundBuilder draws the funds' partners.
type fundBuilder struct {
	p         *polWorld
	r         *rand.Rand
	central   []int   // roots of central SOE groups
	provRoots [][]int // roots of provincial groups, by province
	cityRoots map[int][]int
	holding   []int // private holding firms
	funds     []gfund
}

// writeFunds draws national, provincial and municipal guidance funds (three levels:
// a municipal fund's partners include a provincial or national fund), their partners,
// and their investments in firms; writes state/funds.csv, state/fund_partners.csv,
// flows/investments.csv and truth/fund_attribution.csv, and closes
// state/designations.csv after the Big Fund portfolios.
func (p *polWorld) writeFunds() error {
	w := p.w
	b := &fundBuilder{p: p, r: w.rng(104), provRoots: make([][]int, len(w.d.provinces)), cityRoots: map[int][]int{}}
	r := b.r
	for _, g := range w.groups {
		switch g.level {
		case levelCentral:
			b.central = append(b.central, g.root)
		case levelProvincial:
			pr := w.d.cities[g.city].prov
			b.provRoots[pr] = append(b.provRoots[pr], g.root)
		default:
			b.cityRoots[g.city] = append(b.cityRoots[g.city], g.root)
		}
	}
	for i := range w.firms {
		if f := &w.firms[i]; f.flags&fHolding != 0 && f.flags&fSOE == 0 && len(b.holding) < 5000 {
			b.holding = append(b.holding, i)
		}
	}
	topicByTag := map[string]int{}
	for t, tp := range p.d.topics {
		topicByTag[tp.tag] = t
	}
	// National funds.
	for _, nf := range nationalFunds {
		y, _ := strconv.Atoi(nf.founded[:4])
		m, _ := strconv.Atoi(nf.founded[5:7])
		d, _ := strconv.Atoi(nf.founded[8:10])
		t := -1
		if nf.topic != "" {
			t = topicByTag[nf.topic]
		}
		f := gfund{name: nf.name, short: nf.short, ftype: nf.ftype, form: "公司制", program: nf.program, level: 0, prov: -1, city: -1,
			topic: t, parent: -1, founded: days(y, m, d), weight: 1}
		fixed := []fpartner{{partGov, govMOF, 1500 + r.IntN(2000), "股东"}, {partBank, 0, 1000 + r.IntN(1000), "股东"}}
		for n := 1 + r.IntN(2); n > 0; n-- {
			pr := r.IntN(len(w.d.provinces))
			fixed = append(fixed, fpartner{partGov, p.provGov[pr], 300 + r.IntN(500), "股东"})
		}
		var rest []fpartner
		for n := 2 + r.IntN(3); n > 0 && len(b.central) > 0; n-- {
			rest = append(rest, fpartner{partFirm, b.central[r.IntN(len(b.central))], 0, "股东"})
		}
		if len(rest) == 0 {
			rest = append(rest, fpartner{partGov, govHuijin, 0, "股东"})
		}
		f.partners = b.shares(fixed, rest)
		b.funds = append(b.funds, f)
	}
	nNational := len(b.funds)
	// Provincial funds: one general fund of funds a province, then topic funds.
	n2 := min(max(w.opts.Firms/20000, len(w.d.provinces)), 200)
	names := map[string]int{}
	for k := 0; k < n2; k++ {
		pr, t := k, -1
		if k >= len(w.d.provinces) {
			pr = w.d.cities[w.d.citySampler.pick(r)].prov
			t = p.d.topicSample.pick(r)
		}
		prov := &w.d.provinces[pr]
		f := gfund{ftype: "政府引导基金", form: "有限合伙", level: 1, prov: pr, city: -1, topic: t, parent: -1,
			founded: between(r, days(2015, 1, 1), days(2021, 12, 31)), weight: math.Exp(0.5 * r.NormFloat64())}
		if t < 0 {
			f.name = prov.name + "政府投资引导基金"
			f.short = prov.short + "引导基金"
		} else {
			f.name = prov.name + p.d.topics[t].zh + "产业投资基金"
			f.short = prov.short + p.d.topics[t].zh + "基金"
			f.ftype = "产业投资基金"
		}
		f.name = numbered(names, f.name) + "合伙企业（有限合伙）"
		fixed := []fpartner{{partGov, p.provGov[pr], 2000 + r.IntN(3000), "有限合伙人"}}
		if r.Float64() < 0.3 {
			fixed[0].idx = p.provFin[pr]
		}
		if par := b.parentFund(0, nNational, f.founded, t, -1); par >= 0 && r.Float64() < 0.6 {
			f.parent = par
			fixed = append(fixed, fpartner{partFund, par, 1000 + r.IntN(2000), "有限合伙人"})
		}
		if r.Float64() < 0.5 {
			fixed = append(fixed, fpartner{partGov, govProv0 + pr, 500 + r.IntN(1000), "有限合伙人"})
		}
		fixed = append(fixed, fpartner{partFirm, b.gp(b.provRoots[pr]), 100, "普通合伙人"})
		var rest []fpartner
		for n := 1 + r.IntN(3); n > 0; n-- {
			if len(b.provRoots[pr]) > 0 && r.Float64() < 0.6 {
				rest = append(rest, fpartner{partFirm, b.provRoots[pr][r.IntN(len(b.provRoots[pr]))], 0, "有限合伙人"})
			} else if len(b.holding) > 0 {
				rest = append(rest, fpartner{partFirm, b.holding[r.IntN(len(b.holding))], 0, "有限合伙人"})
			}
		}
		if len(rest) == 0 {
			fixed[0].bp += 10000 - sumBP(fixed)
		}
		f.partners = b.shares(fixed, rest)
		b.funds = append(b.funds, f)
	}
	nProvincial := len(b.funds)
	// Municipal funds and sub-funds, each under a provincial fund of its province or
	// a national one.
	n3 := min(max(w.opts.Firms/2000, 20), 2000)
	for k := 0; k < n3; k++ {
		c := w.d.citySampler.pick(r)
		ci := &w.d.cities[c]
		t := p.d.topicSample.pick(r)
		if r.Float64() < 0.2 {
			t = -1
		}
		founded := between(r, days(2016, 1, 1), days(2024, 6, 30))
		par := b.parentFund(nNational, nProvincial, founded, -1, ci.prov)
		if par < 0 || r.Float64() < 0.15 {
			if q := b.parentFund(0, nNational, founded, t, -1); q >= 0 {
				par = q
			}
		}
		f := gfund{ftype: "产业投资基金", form: "有限合伙", level: 2, prov: ci.prov, city: c, topic: t, parent: par,
			founded: founded, weight: math.Exp(0.5 * r.NormFloat64())}
		prefix := ci.name + "市"
		if ci.municipality {
			prefix = w.d.provinces[ci.prov].name
		}
		trade := w.tradeString(w.newTrade(r))
		if t < 0 {
			f.name = prefix + trade + "创业投资基金"
			f.short = ci.name + trade + "创投基金"
			f.ftype = "创业投资基金"
		} else {
			f.name = prefix + trade + p.d.topics[t].zh + "产业基金"
			f.short = ci.name + trade + "基金"
		}
		f.name = numbered(names, f.name) + "合伙企业（有限合伙）"
		gov, _, fin := p.localGov(c)
		if r.Float64() < 0.4 {
			gov = fin
		}
		fixed := []fpartner{{partGov, gov, 1000 + r.IntN(2000), "有限合伙人"}, {partFirm, b.gp(b.cityRoots[c]), 100, "普通合伙人"}}
		if par >= 0 {
			fixed = append(fixed, fpartner{partFund, par, 2000 + r.IntN(2000), "有限合伙人"})
		}
		if r.Float64() < 0.4 {
			fixed = append(fixed, fpartner{partGov, w.municipalGov(c), 500 + r.IntN(1500), "有限合伙人"})
		}
		var rest []fpartner
		for n := 1 + r.IntN(3); n > 0; n-- {
			if roots := b.cityRoots[c]; len(roots) > 0 && r.Float64() < 0.4 {
				rest = append(rest, fpartner{partFirm, roots[r.IntN(len(roots))], 0, "有限合伙人"})
			} else if len(b.holding) > 0 {
				rest = append(rest, fpartner{partFirm, b.holding[r.IntN(len(b.holding))], 0, "有限合伙人"})
			}
		}
		if len(rest) == 0 {
			fixed[0].bp += 10000 - sumBP(fixed)
		}
		f.partners = b.shares(fixed, rest)
		b.funds = append(b.funds, f)
	}
	// Government capital, looked through: funds come after the funds they hold.
	for k := range b.funds {
		f := &b.funds[k]
		for _, pt := range f.partners {
			s := float64(pt.bp) / 10000
			switch pt.kind {
			case partGov:
				f.paths = append(f.paths, gpath{gov: pt.idx, chain: []int{k}, share: s})
			case partFund:
				for _, up := range b.funds[pt.idx].paths {
					ch := append(append([]int(nil), up.chain...), k)
					f.paths = append(f.paths, gpath{gov: up.gov, chain: ch, share: up.share * s})
				}
			}
		}
	}
	p.res.Funds = len(b.funds)
	if err := b.investments(nNational, nProvincial); err != nil {
		return err
	}
	if err := p.desig.close(); err != nil {
		return err
	}
	return b.writeFunds()
}

// numbered makes fund names unique: the second 江苏省集成电路产业投资基金 is 二期.
func numbered(seen map[string]int, name string) string {
	seen[name]++
	if n := seen[name]; n > 1 {
		phases := []string{"", "", "二期", "三期", "四期", "五期", "六期", "七期", "八期", "九期"}
		if n < len(phases) {
			return name + phases[n]
		}
		return name + strconv.Itoa(n) + "期"
	}
	return name
}

func sumBP(ps []fpartner) int {
	t := 0
	for _, x := range ps {
		t += x.bp
	}
	return t
}

// shares gives the rest partners what the fixed ones leave, merging a partner that
// appears twice, so that the shares add up to 100%.
func (b *fundBuilder) shares(fixed, rest []fpartner) []fpartner {
	left := 10000 - sumBP(fixed)
	if left < len(rest) {
		fixed[0].bp -= len(rest) - left
		left = len(rest)
	}
	ws := make([]float64, len(rest))
	t := 0.0
	for k := range ws {
		ws[k] = 0.3 + b.r.Float64()
		t += ws[k]
	}
	given := 0
	for k := range rest {
		rest[k].bp = max(1, int(float64(left)*ws[k]/t))
		given += rest[k].bp
	}
	if len(rest) > 0 {
		rest[len(rest)-1].bp += left - given
	}
	var out []fpartner
	for _, x := range append(fixed, rest...) {
		merged := false
		for k := range out {
			if out[k].kind == x.kind && out[k].idx == x.idx {
				out[k].bp += x.bp
				merged = true
				break
			}
		}
		if !merged {
			out = append(out, x)
		}
	}
	return out
}

// gp draws a general partner: a local SOE's root or a private holding firm.
func (b *fundBuilder) gp(roots []int) int {
	if len(roots) > 0 && b.r.Float64() < 0.5 {
		return roots[b.r.IntN(len(roots))]
	}
	if len(b.holding) > 0 {
		return b.holding[b.r.IntN(len(b.holding))]
	}
	if len(b.central) > 0 {
		return b.central[b.r.IntN(len(b.central))]
	}
	return 0
}

// parentFund draws a fund of [lo, hi) founded before the day, of the topic (or any
// when none has it) or province when given, or -1.
func (b *fundBuilder) parentFund(lo, hi int, before int32, topic, prov int) int {
	var cands, exact []int
	for k := lo; k < hi; k++ {
		f := &b.funds[k]
		if f.founded+90 > before || prov >= 0 && f.prov != prov {
			continue
		}
		cands = append(cands, k)
		if topic >= 0 && f.topic == topic {
			exact = append(exact, k)
		}
	}
	if len(exact) > 0 && b.r.Float64() < 0.8 {
		return exact[b.r.IntN(len(exact))]
	}
	if len(cands) == 0 {
		return -1
	}
	return cands[b.r.IntN(len(cands))]
}

// investments writes flows/investments.csv and truth/fund_attribution.csv.
func (b *fundBuilder) investments(nNational, nProvincial int) error {
	p, w, r := b.p, b.p.w, b.r
	inv, err := w.newCSV("flows/investments.csv", "investment_id", "investor_id", "investee_id", "amount", "currency", "date",
		"round", "instrument", "percentage", "sector_label", "role")
	if err != nil {
		return err
	}
	attr, err := w.newCSV("truth/fund_attribution.csv", "gov_id", "chain", "investment_id", "investor_id", "firm_id", "date",
		"currency", "amount", "amount_cny", "share", "attributed_cny")
	if err != nil {
		return err
	}
	listed := 0
	for i := range w.firms {
		if w.firms[i].flags&fListed != 0 {
			listed++
		}
	}
	n := int(float64(max(0, w.opts.Flows-listed)) * 0.10)
	levels := [3][2]int{{0, nNational}, {nNational, nProvincial}, {nProvincial, len(b.funds)}}
	var cum [3][]float64
	for l, lh := range levels {
		t := 0.0
		for k := lh[0]; k < lh[1]; k++ {
			t += b.funds[k].weight
			cum[l] = append(cum[l], t)
		}
	}
	np := len(w.d.provinces)
	portfolio := map[[2]int]bool{}
	for k := 0; k < n; k++ {
		l := 2
		switch x := r.Float64(); {
		case x < 0.08:
			l = 0
		case x < 0.35:
			l = 1
		}
		if len(cum[l]) == 0 {
			continue
		}
		fk := levels[l][0] + searchCum(cum[l], r.Float64()*cum[l][len(cum[l])-1])
		f := &b.funds[fk]
		date := between(r, max(f.founded+60, days(2012, 1, 1)), dayEnd)
		t := f.topic
		if t < 0 {
			t = p.d.topicSample.pick(r)
		}
		var list []int32
		switch l {
		case 0:
			list = p.byTopic[t]
		default:
			list = p.byTopProv[t*np+f.prov]
			if len(list) == 0 {
				list = p.byTopic[t]
			}
		}
		if len(list) == 0 {
			continue
		}
		// Draw two eligible candidates and keep the more innovative one: funds pick
		// firms on their level.
		pick := -1
		for try := 0; try < 30; try++ {
			i := int(list[r.IntN(len(list))])
			fi := &w.firms[i]
			if fi.founded+180 > date || l == 2 && f.city >= 0 && int(fi.city) != f.city && r.Float64() < 0.7 && try < 20 {
				continue
			}
			if pick < 0 || p.rate[i] > p.rate[pick] {
				pick = i
			}
			if r.Float64() < 0.5 {
				break
			}
		}
		if pick < 0 {
			continue
		}
		median := [3]float64{30000, 5000, 1500}[l]
		wan := math.Max(100, math.Round(lognormal(r, median, 0.8)))
		currency, amount := "CNY", wan*10000
		cny := amount
		if r.Float64() < [3]float64{0.08, 0.08, 0.03}[l] {
			currency = "USD"
			amount = math.Max(10000, math.Round(cny/p.fxRate(date)/10000)*10000)
			cny = amount * p.fxRate(date)
			p.res.USDFlows++
		}
		id := "IV" + pad(inv.rows+1, 8)
		fid := w.firmID(pick)
		inv.field(id)
		inv.field(fundID(fk))
		inv.field(fid)
		inv.field(yuan(amount))
		inv.field(currency)
		inv.date(date)
		inv.field(rounds[r.IntN(len(rounds))])
		inv.field("增资")
		inv.field(strconv.FormatFloat(float64(5+r.IntN(16)), 'f', 0, 64) + "%")
		inv.field(p.d.topics[t].zh)
		if r.Float64() < 0.6 {
			inv.field("领投")
		} else {
			inv.field("跟投")
		}
		inv.end()
		f.deployed += cny / 10000
		y := yearOf(date)
		if p.fundYear[pick] == 0 || int(p.fundYear[pick]) > y {
			p.fundYear[pick] = int16(y)
		}
		for _, g := range f.paths {
			var chain []string
			for _, c := range g.chain {
				chain = append(chain, fundID(c))
			}
			att := cny * g.share
			for _, v := range []string{govID(g.gov), strings.Join(chain, ">"), id, fundID(fk), fid, dateString(date), currency,
				yuan(amount), yuan(cny), strconv.FormatFloat(g.share, 'f', 8, 64), yuan(att)} {
				attr.field(v)
			}
			attr.end()
			p.addReach(g.gov, chFund, pick, att)
		}
		if f.program != "" && !portfolio[[2]int{fk, pick}] {
			portfolio[[2]int{fk, pick}] = true
			p.designation(f.program, pick, y, date, 0, "", "投资组合", "")
		}
	}
	p.res.Investments = inv.rows
	p.res.Attributions = attr.rows
	for i := range p.fundYear {
		if p.fundYear[i] != 0 {
			p.res.FundedFirms++
		}
	}
	if err := inv.close(); err != nil {
		return err
	}
	return attr.close()
}

// writeFunds sets each fund's capital from what it deployed (municipal funds first,
// so that their commitments count in the funds above) and writes state/funds.csv and
// state/fund_partners.csv.
func (b *fundBuilder) writeFunds() error {
	p, w, r := b.p, b.p.w, b.r
	for l := 2; l >= 0; l-- {
		for k := range b.funds {
			f := &b.funds[k]
			if f.level != l {
				continue
			}
			u := 0.55 + 0.35*r.Float64()
			f.capital = max(10000, int64(math.Ceil(f.deployed/u/100))*100)
			for _, pt := range f.partners {
				if pt.kind == partFund {
					b.funds[pt.idx].deployed += float64(f.capital) * float64(pt.bp) / 10000
				}
			}
		}
	}
	fc, err := w.newCSV("state/funds.csv", "fund_id", "name", "short_name", "fund_type", "legal_form", "level", "sponsor_name",
		"registered_capital", "currency", "vintage", "founded", "investment_stage", "sectors", "region", "province", "city")
	if err != nil {
		return err
	}
	pc, err := w.newCSV("state/fund_partners.csv", "partner_row_id", "fund_id", "partner_kind", "partner_id", "role", "share",
		"commitment", "currency", "start_date")
	if err != nil {
		return err
	}
	levels := []string{"central", "provincial", "municipal"}
	for k := range b.funds {
		f := &b.funds[k]
		sponsor, region, prov, city := "中华人民共和国财政部", "", "", ""
		if f.prov >= 0 {
			pr := &w.d.provinces[f.prov]
			sponsor, region, prov = pr.name+"人民政府", pr.code+"0000", pr.name
		}
		if f.city >= 0 {
			g, _, _ := p.localGov(f.city)
			ci := &w.d.cities[f.city]
			sponsor, region, city = p.gov(g).name, ci.code, ci.name+"市"
		}
		sectors := "战略性新兴产业"
		if f.topic >= 0 {
			sectors = p.d.topics[f.topic].zh
		}
		stage := "成长期"
		if f.level == 0 || f.parent < 0 && f.level == 1 {
			stage = "母基金"
		}
		for _, v := range []string{fundID(k), f.name, f.short, f.ftype, f.form, levels[f.level], sponsor,
			strconv.FormatInt(f.capital*10000, 10), "CNY", strconv.Itoa(yearOf(f.founded)), dateString(f.founded), stage, sectors,
			region, prov, city} {
			fc.field(v)
		}
		fc.end()
		for _, pt := range f.partners {
			pc.field("FP" + pad(pc.rows+1, 7))
			pc.field(fundID(k))
			pc.field(partnerKinds[pt.kind])
			switch pt.kind {
			case partGov:
				pc.field(govID(pt.idx))
			case partFund:
				pc.field(fundID(pt.idx))
			case partFirm:
				pc.field(w.firmID(pt.idx))
			case partBank:
				pc.field(policyBanks[pt.idx].id)
			}
			pc.field(pt.role)
			pc.field(shareString(pt.bp))
			pc.field(strconv.FormatInt(f.capital*int64(pt.bp), 10))
			pc.field("CNY")
			pc.date(f.founded)
			pc.end()
		}
	}
	p.res.FundPartners = pc.rows
	if err := fc.close(); err != nil {
		return err
	}
	return pc.close()
}
