package gen

import (
	"math"
	"strconv"
)

// flowCount is the number of flows of a channel: a share of the flows left after the
// listings (one per listed firm).
func (p *polWorld) flowCount(share float64) int {
	return int(float64(max(0, p.w.opts.Flows-p.w.res.ListedFirms)) * share)
}

var grantTypes = []struct{ kind, project string }{
	{"研发补助", "研发费用补助"}, {"技术改造补助", "技术改造项目补助"}, {"奖励", "高新技术企业认定奖励"},
	{"贴息", "贷款贴息"}, {"补贴", "首台套保险补偿"}, {"奖励", "知识产权资助"}, {"补贴", "稳岗补贴"},
}

// writeGrants writes flows/grants.csv: central awards to little giants for the three
// years after their designation (from 2021, the special fund's years), and
// subsidies from central, provincial and municipal bodies to technology firms.
func (p *polWorld) writeGrants() error {
	w := p.w
	r := w.rng(105)
	c, err := w.newCSV("flows/grants.csv", "grant_id", "grantor_id", "recipient_id", "program_id", "amount", "currency", "date",
		"year", "program_name", "project_name", "grant_type", "accounting_type")
	if err != nil {
		return err
	}
	n := p.flowCount(0.45)
	row := func(grantor, i int, prog, progName, project, kind string, date int32, amount float64) {
		c.field("GR" + pad(c.rows+1, 8))
		c.field(govID(grantor))
		c.field(w.firmID(i))
		c.field(prog)
		c.field(yuan(amount))
		c.field("CNY")
		c.date(date)
		y := yearOf(date)
		c.int(y)
		c.field(progName)
		c.field(project)
		c.field(kind)
		c.field("与收益相关")
		c.end()
		p.grantSum[firmYear(i, y)] += amount / 10000
		p.addReach(grantor, chGrant, i, amount)
	}
	for i := range w.firms {
		y := int(p.lgYear[i])
		if y == 0 {
			continue
		}
		for k := 1; k <= 3 && c.rows < n; k++ {
			date := days(y+k, 3, 1) + int32(r.IntN(240))
			if y+k < 2021 || date > dayEnd {
				continue
			}
			amount := float64(100+r.IntN(500)) * 10000
			row(govMOF, i, progSMEFund, "中小企业发展专项资金", "专精特新“小巨人”企业奖补", "奖补", date, amount)
		}
	}
	cum := p.cumWeights(func(i int, f *firm) float64 {
		switch {
		case f.flags&fFund != 0:
			return 0
		case !p.isTech(i):
			return 0.2 * float64(f.activity)
		}
		return float64(f.activity) * (1 + float64(p.rate[i]))
	})
	for c.rows < n {
		i := drawFirm(r, cum)
		if i < 0 {
			break
		}
		f := &w.firms[i]
		date := between(r, max(f.founded+90, days(polFirstYear, 1, 1)), dayEnd)
		gt := grantTypes[r.IntN(len(grantTypes))]
		prog, progName := "", ""
		amount := lognormal(r, 300000, 1.1)
		var grantor int
		gov, indus, fin := p.localGov(int(f.city))
		switch x := r.Float64(); {
		case x < 0.1:
			grantor = p.miit
			if r.Float64() < 0.5 {
				grantor = p.sci
			}
			amount *= 5
			if y := yearOf(date); y >= 2016 && y <= 2020 && r.Float64() < 0.5 {
				grantor, prog, progName = govMOF, progUpgradeFund, "工业转型升级（中国制造2025）资金"
			}
		case x < 0.4:
			pr := w.d.cities[f.city].prov
			grantor = []int{p.provIndus[pr], p.provFin[pr], p.provSci[pr]}[r.IntN(3)]
			amount *= 2
		default:
			grantor = []int{gov, indus, fin, fin}[r.IntN(4)]
		}
		row(grantor, i, prog, progName, gt.project, gt.kind, date, math.Max(1000, math.Round(amount/1000)*1000))
	}
	p.res.Grants = c.rows
	return c.close()
}

// writeLoans writes flows/loans.csv: policy-bank loans, some of the Export-Import
// Bank's in US dollars.
func (p *polWorld) writeLoans() error {
	w := p.w
	r := w.rng(106)
	c, err := w.newCSV("flows/loans.csv", "loan_id", "lender_id", "borrower_id", "amount", "currency", "date", "year",
		"maturity_date", "interest_rate", "loan_type", "purpose")
	if err != nil {
		return err
	}
	n := p.flowCount(0.20)
	cum := p.cumWeights(func(i int, f *firm) float64 {
		x := float64(f.activity) * math.Pow(float64(f.capital), 0.3)
		switch {
		case f.flags&fFund != 0:
			return 0
		case f.flags&fSOE != 0:
			x *= 5
		case f.flags&fListed != 0:
			x *= 3
		case !p.isTech(i):
			x *= 0.5
		}
		return x
	})
	purposes := []string{"项目建设", "技术改造", "研发投入", "流动资金", "设备购置", "海外并购"}
	for c.rows < n {
		i := drawFirm(r, cum)
		if i < 0 {
			break
		}
		f := &w.firms[i]
		date := between(r, max(f.founded+180, days(polFirstYear, 1, 1)), dayEnd)
		lender, kind := 0, "政策性贷款"
		switch x := r.Float64(); {
		case x < 0.3:
			lender, kind = 1, "中长期贷款"
		case x < 0.35:
			lender = 2
		case x < 0.5:
			kind = "银团贷款"
		}
		cny := math.Max(100, math.Round(lognormal(r, 5000, 1.1))) * 10000
		currency, amount := "CNY", cny
		if lender == 1 && r.Float64() < 0.4 {
			currency, kind = "USD", "出口信贷"
			amount = math.Max(10000, math.Round(cny/p.fxRate(date)/10000)*10000)
			cny = amount * p.fxRate(date)
			p.res.USDFlows++
		}
		c.field("LN" + pad(c.rows+1, 8))
		c.field(policyBanks[lender].id)
		c.field(w.firmID(i))
		c.field(yuan(amount))
		c.field(currency)
		c.date(date)
		y := yearOf(date)
		c.int(y)
		c.date(date + int32(3+r.IntN(13))*365)
		c.field(strconv.FormatFloat(2.5+float64(r.IntN(250))/100, 'f', 2, 64))
		c.field(kind)
		c.field(purposes[r.IntN(len(purposes))])
		c.end()
		p.loanSum[firmYear(i, y)] += cny / 10000
	}
	p.res.Loans = c.rows
	return c.close()
}

var procCategories = []string{"信息技术服务", "计算机设备", "通信设备", "医疗设备", "检验检测仪器", "软件开发服务", "电子设备", "专用设备"}
var procedures = []string{"公开招标", "公开招标", "公开招标", "竞争性磋商", "竞争性谈判", "询价", "单一来源", "邀请招标"}

// writeContracts writes flows/contracts.csv: procurement by government bodies, most of
// their own province.
func (p *polWorld) writeContracts() error {
	w := p.w
	r := w.rng(107)
	c, err := w.newCSV("flows/contracts.csv", "contract_id", "buyer_id", "supplier_id", "title", "amount", "currency", "date",
		"procedure", "project_number", "category", "region")
	if err != nil {
		return err
	}
	n := p.flowCount(0.25)
	cum := p.cumWeights(func(i int, f *firm) float64 {
		switch {
		case f.flags&fFund != 0:
			return 0
		case f.flags&fSOE != 0:
			return 3 * float64(f.activity)
		case !p.isTech(i):
			return 0.3 * float64(f.activity)
		}
		return float64(f.activity)
	})
	for c.rows < n {
		i := drawFirm(r, cum)
		if i < 0 {
			break
		}
		f := &w.firms[i]
		date := between(r, max(f.founded+90, days(2014, 1, 1)), dayEnd)
		city := int(f.city)
		if r.Float64() < 0.3 {
			city = w.d.citySampler.pick(r)
		}
		var buyer int
		switch x := r.Float64(); {
		case x < 0.1:
			buyer = p.d.central[r.IntN(len(p.d.central))].gov
		case x < 0.35:
			pr := w.d.cities[city].prov
			buyer = []int{p.provGov[pr], p.provIndus[pr], p.provSci[pr]}[r.IntN(3)]
		default:
			g, indus, _ := p.localGov(city)
			buyer = []int{g, g, indus}[r.IntN(3)]
		}
		b := p.gov(buyer)
		cat := procCategories[r.IntN(len(procCategories))]
		amount := math.Max(1000, math.Round(lognormal(r, 800000, 1.2)/100)*100)
		y := yearOf(date)
		c.field("CT" + pad(c.rows+1, 8))
		c.field(govID(buyer))
		c.field(w.firmID(i))
		c.field(b.short + cat + "采购项目")
		c.field(yuan(amount))
		c.field("CNY")
		c.date(date)
		c.field(procedures[r.IntN(len(procedures))])
		c.field("CG" + strconv.Itoa(y) + pad(c.rows+1, 8))
		c.field(cat)
		c.field(b.region)
		c.end()
		p.addReach(buyer, chContract, i, amount)
	}
	p.res.Contracts = c.rows
	return c.close()
}

// writeListings writes flows/listings.csv: one listing for every listed firm of the
// registry, on the board of its stock code; a board's listings start when the board
// opened (STAR Market 2019-07-22).
func (p *polWorld) writeListings() error {
	w := p.w
	r := w.rng(108)
	c, err := w.newCSV("flows/listings.csv", "listing_id", "firm_id", "exchange", "board", "stock_code", "short_name",
		"listing_date", "amount_raised", "currency", "sponsor_name")
	if err != nil {
		return err
	}
	sponsors := []string{"中信证券股份有限公司", "中信建投证券股份有限公司", "华泰联合证券有限责任公司", "国泰君安证券股份有限公司",
		"海通证券股份有限公司", "中国国际金融股份有限公司", "招商证券股份有限公司", "民生证券股份有限公司"}
	for i := range w.firms {
		f := &w.firms[i]
		if f.stock < 0 {
			continue
		}
		exchange, board, opened, median := "SSE", "主板", days(1990, 12, 19), 8e8
		switch code := f.stock; {
		case code >= 688000 && code < 690000:
			board, opened, median = "科创板", days(2019, 7, 22), 12e8
		case code < 10000:
			exchange, opened = "SZSE", days(1991, 7, 3)
		case code >= 300000 && code < 400000:
			exchange, board, opened, median = "SZSE", "创业板", days(2009, 10, 30), 6e8
		case code >= 400000 && code < 600000 || code >= 800000:
			exchange, board, opened, median = "BSE", "北交所", days(2021, 11, 15), 2e8
		}
		date := min(f.founded+int32(3+f.stock%8)*365, dayEnd)
		if date < opened {
			date = min(opened+int32(r.IntN(3*365)), dayEnd)
		}
		amount := math.Round(lognormal(r, median, 0.7)/10000) * 10000
		c.field("LS" + pad(c.rows+1, 7))
		c.field(w.firmID(i))
		c.field(exchange)
		c.field(board)
		c.field(stockString(f.stock))
		short := w.shortName(f, f.short)
		if f.short == shortNone {
			short = w.shortName(f, shortIndustry)
		}
		c.field(short)
		c.date(date)
		c.field(yuan(amount))
		c.field("CNY")
		c.field(sponsors[r.IntN(len(sponsors))])
		c.end()
	}
	p.res.Listings = c.rows
	return c.close()
}
