package gen

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// anchorPolicy is a policy every world has: the documents that set up its programs.
type anchorPolicy struct {
	title, short, number, issuer, date, doctype string
	topics                                      []string // tags
	instruments                                 []string
}

// The anchors' titles and numbers are those of the real documents.
var anchorPolicies = []anchorPolicy{
	{"国务院关于印发《中国制造2025》的通知", "中国制造2025", "国发〔2015〕28号", "国务院", "2015-05-08", "通知",
		[]string{"semiconductors", "industrial-robots", "cnc-machine-tools", "new-energy-vehicles", "aviation-equipment", "biomedical-engineering", "new-materials"},
		[]string{"guidance-fund", "subsidy", "tax-relief", "credit", "procurement", "standards", "talent"}},
	{"国务院关于印发新一代人工智能发展规划的通知", "新一代人工智能发展规划", "国发〔2017〕35号", "国务院", "2017-07-08", "规划",
		[]string{"artificial-intelligence"}, []string{"guidance-fund", "subsidy", "talent", "standards"}},
	{"国务院关于印发新时期促进集成电路产业和软件产业高质量发展若干政策的通知", "集成电路和软件产业若干政策", "国发〔2020〕8号", "国务院", "2020-07-27", "通知",
		[]string{"semiconductors", "software-it-services"}, []string{"tax-relief", "guidance-fund", "listing", "talent", "credit"}},
	{"国务院办公厅关于印发新能源汽车产业发展规划（2021—2035年）的通知", "新能源汽车产业发展规划", "国办发〔2020〕39号", "国务院办公厅", "2020-10-20", "规划",
		[]string{"new-energy-vehicles", "power-batteries"}, []string{"subsidy", "tax-relief", "procurement", "standards"}},
	{"工业和信息化部办公厅关于开展专精特新“小巨人”企业培育工作的通知", "专精特新小巨人培育", "工信厅企业函〔2018〕381号", "工业和信息化部", "2018-11-26", "通知",
		nil, []string{"subsidy", "credit", "listing"}},
}

// instrumentText is a sentence that names an instrument by one of its keywords
// (policy/data/instruments.tsv), with {t} for the technology.
var instrumentText = []struct{ code, keyword, text string }{
	{"guidance-fund", "产业投资基金", "发挥政府引导基金作用，设立{t}产业投资基金，以市场化方式投资{t}领域企业"},
	{"subsidy", "补助", "对{t}企业的研发投入按比例给予最高{n}万元补助"},
	{"tax-relief", "加计扣除", "落实研发费用加计扣除等税收优惠政策"},
	{"credit", "贷款贴息", "鼓励政策性银行为{t}重大项目提供中长期贷款，对符合条件的项目给予贷款贴息"},
	{"procurement", "首台套", "将{t}首台套产品纳入政府采购目录并优先采购"},
	{"listing", "科创板", "支持符合条件的{t}企业在科创板上市融资"},
	{"land", "建设用地", "优先保障{t}重大项目建设用地"},
	{"talent", "高层次人才", "加大{t}领域高层次人才引进和培养力度"},
	{"standards", "行业标准", "加快制定{t}国家标准和行业标准"},
}

var policyTitles = []struct{ title, doctype string }{
	{"关于印发《{t}产业发展行动计划（{y}—{y2}年）》的通知", "通知"},
	{"关于加快推动{t}产业高质量发展的指导意见", "意见"},
	{"关于促进{t}产业发展的若干政策措施", "措施"},
	{"关于支持{t}产业创新发展的实施意见", "意见"},
	{"{t}产业发展专项资金管理办法", "办法"},
	{"关于开展{t}领域首台套推广应用工作的通知", "通知"},
}

// docNumbers hands out unique document numbers per abbreviation and year.
type docNumbers struct {
	next map[string]int
	used map[string]bool
}

func (dn *docNumbers) number(r *rand.Rand, abbr string, year int) string {
	k := abbr + strconv.Itoa(year)
	n, ok := dn.next[k]
	if !ok {
		n = 1 + r.IntN(30)
	}
	for {
		s := abbr + "〔" + strconv.Itoa(year) + "〕" + strconv.Itoa(n) + "号"
		n += 1 + r.IntN(6)
		if !dn.used[s] {
			dn.used[s] = true
			dn.next[k] = n
			return s
		}
	}
}

// writePolicies writes state/policies.csv, state/issuances.csv and
// state/targetings.csv: the anchors and generated central, provincial and municipal
// policies naming technologies and instruments in their text.
func (p *polWorld) writePolicies() error {
	w := p.w
	r := w.rng(102)
	pol, err := w.newCSV("state/policies.csv", "policy_id", "title", "short_title", "document_number", "issuer_name", "date",
		"published_date", "level", "region", "document_type", "text", "status")
	if err != nil {
		return err
	}
	iss, err := w.newCSV("state/issuances.csv", "policy_id", "gov_id", "role", "rank")
	if err != nil {
		return err
	}
	tgt, err := w.newCSV("state/targetings.csv", "targeting_id", "policy_id", "target_tag", "instrument", "original_label",
		"weight", "evidence", "method")
	if err != nil {
		return err
	}
	dn := &docNumbers{next: map[string]int{}, used: map[string]bool{}}
	topicByTag := map[string]int{}
	for t, tp := range p.d.topics {
		topicByTag[tp.tag] = t
	}
	nPol := min(max(w.opts.Firms/250, 80), 8000)
	id := 0
	writeOne := func(title, short, number, issuerName string, issuers []int, date int32, level, region, doctype, text string,
		topics []int, instruments []int, anchor bool) {
		id++
		pid := "PO" + pad(id, 6)
		for _, v := range []string{pid, title, short, number, issuerName, dateString(date), dateString(min(date+int32(r.IntN(20)), dayEnd)),
			level, region, doctype, text} {
			pol.field(v)
		}
		if !anchor && date < days(2016, 1, 1) && r.Float64() < 0.3 {
			pol.field("已失效")
		} else {
			pol.field("现行有效")
		}
		pol.end()
		for k, g := range issuers {
			iss.field(pid)
			iss.field(govID(g))
			if k == 0 {
				iss.field("牵头")
			} else {
				iss.field("联合")
			}
			iss.int(k + 1)
			iss.end()
			p.res.Issuances++
		}
		for _, t := range topics {
			tgt.field("TG" + pad(tgt.rows+1, 7))
			tgt.field(pid)
			tgt.field(p.d.topics[t].tag)
			tgt.field("")
			tgt.field(p.d.topics[t].zh)
			tgt.field(strconv.FormatFloat(1/float64(len(topics)), 'f', 4, 64))
			tgt.field(p.d.topics[t].zh)
			tgt.field("human")
			tgt.end()
		}
		for _, k := range instruments {
			tgt.field("TG" + pad(tgt.rows+1, 7))
			tgt.field(pid)
			tgt.field("")
			tgt.field(instrumentText[k].code)
			tgt.field(instrumentText[k].keyword)
			tgt.field("1")
			tgt.field(instrumentText[k].keyword)
			tgt.field("human")
			tgt.end()
		}
	}
	instrIndex := map[string]int{}
	for k, it := range instrumentText {
		instrIndex[it.code] = k
	}
	for _, a := range anchorPolicies {
		var ts, is []int
		for _, t := range a.topics {
			ts = append(ts, topicByTag[t])
		}
		for _, x := range a.instruments {
			is = append(is, instrIndex[x])
		}
		dn.used[a.number] = true
		g := -1
		for _, c := range p.d.central {
			if p.gov(c.gov).name == a.issuer {
				g = c.gov
			}
		}
		text := p.policyText(r, "", ts, is)
		y, _ := strconv.Atoi(a.date[:4])
		m, _ := strconv.Atoi(a.date[5:7])
		dd, _ := strconv.Atoi(a.date[8:10])
		writeOne(a.title, a.short, a.number, a.issuer, []int{g}, days(y, m, dd), "central", "", a.doctype, text, ts, is, true)
	}
	for id < nPol {
		date := between(r, days(polFirstYear, 1, 1), dayEnd-30)
		year := yearOf(date)
		nt := 1 + r.IntN(2)
		var ts []int
		for len(ts) < nt {
			t := p.d.topicSample.pick(r)
			if !containsInt(ts, t) {
				ts = append(ts, t)
			}
		}
		ni := 1 + r.IntN(4)
		var is []int
		for len(is) < ni {
			k := r.IntN(len(instrumentText))
			if !containsInt(is, k) {
				is = append(is, k)
			}
		}
		tp := policyTitles[r.IntN(len(policyTitles))]
		tname := p.d.topics[ts[0]].zh
		if len(ts) > 1 {
			tname += "和" + p.d.topics[ts[1]].zh
		}
		title := strings.NewReplacer("{t}", tname, "{y2}", strconv.Itoa(year+3), "{y}", strconv.Itoa(year+1)).Replace(tp.title)
		var issuers []int
		var level, region, number, issuerName, place string
		switch x := r.Float64(); {
		case x < 0.25:
			level = "central"
			lead := p.d.central[r.IntN(len(p.d.central))]
			issuers = append(issuers, lead.gov)
			abbr := lead.abbr
			if lead.abbr != "国发" && lead.abbr != "国办发" && r.Float64() < 0.35 {
				for k := 1 + r.IntN(3); k > 0; k-- {
					c := p.d.central[r.IntN(len(p.d.central))]
					if !containsInt(issuers, c.gov) && c.abbr != "国发" && c.abbr != "国办发" {
						issuers = append(issuers, c.gov)
					}
				}
				if len(issuers) > 1 {
					abbr = lead.joint
				}
			}
			number = dn.number(r, abbr, year)
		case x < 0.6:
			level = "provincial"
			pr := w.d.cities[w.d.citySampler.pick(r)].prov
			region = w.d.provinces[pr].code + "0000"
			place = w.d.provinces[pr].name
			abbr := p.d.provAbbr[w.d.provinces[pr].code]
			switch y := r.Float64(); {
			case y < 0.5:
				issuers = append(issuers, p.provGov[pr])
			case y < 0.8:
				issuers = append(issuers, p.provIndus[pr])
				abbr = string([]rune(abbr)[0]) + "工信"
			default:
				issuers = append(issuers, p.provFin[pr], p.provIndus[pr])
				abbr = string([]rune(abbr)[0]) + "财企"
			}
			number = dn.number(r, abbr, year)
		default:
			level = "municipal"
			c := w.d.citySampler.pick(r)
			for w.d.cities[c].municipality {
				c = w.d.citySampler.pick(r)
			}
			ci := &w.d.cities[c]
			region, place = ci.code, ci.name+"市"
			first := string([]rune(ci.name)[0])
			switch y := r.Float64(); {
			case y < 0.6:
				issuers = append(issuers, p.cityGov[c])
				number = dn.number(r, first+"府", year)
			case y < 0.85:
				issuers = append(issuers, p.cityIndus[c])
				number = dn.number(r, first+"工信", year)
			default:
				issuers = append(issuers, p.cityFin[c], p.cityIndus[c])
				number = dn.number(r, first+"财企", year)
			}
		}
		var names []string
		for _, g := range issuers {
			names = append(names, p.gov(g).name)
		}
		issuerName = strings.Join(names, "、")
		if level != "central" && r.Float64() < 0.5 {
			title = place + strings.TrimPrefix(title, "关于")
		}
		text := p.policyText(r, place, ts, is)
		writeOne(title, "", number, issuerName, issuers, date, level, region, tp.doctype, text, ts, is, false)
	}
	p.res.Policies = id
	p.res.Targetings = tgt.rows
	for _, c := range []*csvFile{pol, iss, tgt} {
		if err := c.close(); err != nil {
			return err
		}
	}
	return nil
}

// policyText writes a policy's text: its purpose naming the technologies, and one
// numbered measure per instrument.
func (p *polWorld) policyText(r *rand.Rand, place string, ts, is []int) string {
	var b strings.Builder
	var names []string
	for _, t := range ts {
		names = append(names, p.d.topics[t].zh)
	}
	tn := strings.Join(names, "、")
	if len(names) == 0 {
		names, tn = []string{"专精特新中小企业"}, "中小企业"
	}
	b.WriteString("为加快" + place + tn + "产业发展，提升产业链供应链韧性和安全水平，现提出如下措施。")
	nums := []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"}
	for k, i := range is {
		t := names[r.IntN(len(names))]
		s := strings.NewReplacer("{t}", t, "{n}", strconv.Itoa((1+r.IntN(10))*100)).Replace(instrumentText[i].text)
		b.WriteString(nums[k] + "、" + s + "。")
	}
	return b.String()
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// Program ids of the policy layer.
const (
	progMIC2025     = "PG0001"
	progBigFund1    = "PG0002" // PG0003, PG0004: phases II and III
	progLittleGiant = "PG0005"
	progChampion    = "PG0006"
	progSMEFund     = "PG0007"
	progUpgradeFund = "PG0008"
)

var programs = []struct {
	id, name, short, en, kind, phase, start, end, level, issuer, policy, sectors string
}{
	{progMIC2025, "中国制造2025", "中国制造2025", "Made in China 2025", "规划", "", "2015-05-08", "2025-12-31", "central", "国务院", "PO000001",
		"新一代信息技术产业、高档数控机床和机器人、航空航天装备、海洋工程装备及高技术船舶、先进轨道交通装备、节能与新能源汽车、电力装备、农机装备、新材料、生物医药及高性能医疗器械"},
	{"PG0002", "国家集成电路产业投资基金（一期）", "大基金一期", "China Integrated Circuit Industry Investment Fund, phase I", "投资基金", "一期", "2014-09-26", "", "central", "财政部", "", "集成电路"},
	{"PG0003", "国家集成电路产业投资基金（二期）", "大基金二期", "China Integrated Circuit Industry Investment Fund, phase II", "投资基金", "二期", "2019-10-22", "", "central", "财政部", "", "集成电路"},
	{"PG0004", "国家集成电路产业投资基金（三期）", "大基金三期", "China Integrated Circuit Industry Investment Fund, phase III", "投资基金", "三期", "2024-05-24", "", "central", "财政部", "", "集成电路"},
	{progLittleGiant, "专精特新“小巨人”企业", "小巨人", "Specialised and sophisticated 'little giant' enterprises", "认定名单", "", "2019-01-01", "", "central", "工业和信息化部", "PO000005",
		"制造业核心基础零部件、先进基础工艺、关键基础材料和产业技术基础"},
	{progChampion, "制造业单项冠军企业", "单项冠军", "Manufacturing single champions", "认定名单", "", "2016-01-01", "", "central", "工业和信息化部", "PO000001", "制造业细分领域"},
	{progSMEFund, "中小企业发展专项资金（专精特新奖补）", "专精特新奖补", "SME development special fund (little giant awards)", "专项资金", "", "2021-01-01", "2025-12-31", "central", "财政部", "", "专精特新中小企业"},
	{progUpgradeFund, "工业转型升级（中国制造2025）资金", "工业转型升级资金", "Industrial transformation and upgrading (Made in China 2025) fund", "专项资金", "", "2016-01-01", "2020-12-31", "central", "财政部", "PO000001", "智能制造、工业强基、绿色制造"},
}

// Little-giant batches: the year, the date the list was published, and the real
// batch sizes (248, 1,584, 2,930, 4,357, 3,671 and about 3,000), which weight the
// world's batches.
var littleGiantBatches = []struct {
	year   int
	date   int32
	weight float64
}{
	{2019, days(2019, 6, 18), 248}, {2020, days(2020, 11, 13), 1584}, {2021, days(2021, 7, 19), 2930},
	{2022, days(2022, 8, 3), 4357}, {2023, days(2023, 7, 14), 3671}, {2024, days(2024, 7, 31), 3000},
}

var batchNames = []string{"第一批", "第二批", "第三批", "第四批", "第五批", "第六批", "第七批", "第八批"}

// writePrograms writes state/programs.csv and state/designations.csv: little giants
// by batch and single champions by year (the Big Fund portfolios are added by
// writeFunds, which closes the file).
func (p *polWorld) writePrograms() error {
	w := p.w
	r := w.rng(103)
	c, err := w.newCSV("state/programs.csv", "program_id", "name", "short_name", "name_en", "program_type", "phase", "start_date",
		"end_date", "level", "issuer_name", "policy_id", "sectors")
	if err != nil {
		return err
	}
	for _, pg := range programs {
		for _, v := range []string{pg.id, pg.name, pg.short, pg.en, pg.kind, pg.phase, pg.start, pg.end, pg.level, pg.issuer, pg.policy, pg.sectors} {
			c.field(v)
		}
		c.end()
	}
	p.res.Programs = len(programs)
	if err := c.close(); err != nil {
		return err
	}
	if p.desig, err = w.newCSV("state/designations.csv", "designation_id", "program_id", "firm_id", "year", "date", "end_date",
		"batch", "list_name", "level", "document_number", "status"); err != nil {
		return err
	}
	dn := &docNumbers{next: map[string]int{}, used: map[string]bool{}}
	// Little giants: private tech firms, not listed, at least three years old; the
	// more a firm patents, the likelier (selection on levels, which a firm fixed
	// effect absorbs); equipment, materials and chips count double.
	priority := map[string]float64{"semiconductors": 2, "industrial-robots": 2, "cnc-machine-tools": 2, "new-materials": 2, "analytical-instruments": 2}
	cum := p.cumWeights(func(i int, f *firm) float64 {
		if !p.isTech(i) || f.flags&(fSOE|fListed) != 0 {
			return 0
		}
		x := float64(p.rate[i])
		if v, ok := priority[p.d.topics[p.topicOf[f.industry]].tag]; ok {
			x *= v
		}
		return x
	})
	eligible := 0
	for i := range w.firms {
		if p.isTech(i) && w.firms[i].flags&(fSOE|fListed) == 0 {
			eligible++
		}
	}
	total := int(float64(eligible)*0.015 + 0.5)
	sumW := 0.0
	for _, b := range littleGiantBatches {
		sumW += b.weight
	}
	for k, b := range littleGiantBatches {
		n := int(float64(total)*b.weight/sumW + 0.5)
		number := dn.number(r, "工信厅企业函", b.year)
		for m, tries := 0, 0; m < n && tries < 50*n+100; tries++ {
			i := drawFirm(r, cum)
			if i < 0 {
				break
			}
			if p.lgYear[i] != 0 || w.firms[i].founded > days(b.year-3, 12, 31) {
				continue
			}
			p.lgYear[i] = int16(b.year)
			p.designation(progLittleGiant, i, b.year, b.date, b.date+3*365, batchNames[k], "专精特新“小巨人”企业名单", number)
			p.res.LittleGiants++
			m++
		}
	}
	// Single champions: older manufacturing firms, state-owned ones too, weighted by
	// patenting and capital.
	cum = p.cumWeights(func(i int, f *firm) float64 {
		if !p.isTech(i) {
			return 0
		}
		return float64(p.rate[i]) * float64(f.capital) / 1000
	})
	nc := max(1, len(w.firms)/1500)
	for y := 2016; y <= 2023; y++ {
		n := nc / 8
		if y-2016 < nc%8 {
			n++
		}
		date := days(y, 11, 10+r.IntN(15))
		number := dn.number(r, "工信部联产业函", y)
		for m, tries := 0, 0; m < n && tries < 50*n+100; tries++ {
			i := drawFirm(r, cum)
			if i < 0 {
				break
			}
			if p.chYear[i] != 0 || w.firms[i].founded > days(y-10, 12, 31) {
				continue
			}
			p.chYear[i] = int16(y)
			p.designation(progChampion, i, y, date, date+3*365, batchNames[y-2016], "制造业单项冠军企业名单", number)
			p.res.Champions++
			m++
		}
	}
	return nil
}

// designation writes one row of state/designations.csv.
func (p *polWorld) designation(prog string, i, year int, date, end int32, batch, list, number string) {
	c := p.desig
	c.field("DS" + pad(c.rows+1, 7))
	c.field(prog)
	c.field(p.w.firmID(i))
	c.int(year)
	c.date(date)
	if end > 0 {
		c.date(end)
	} else {
		c.field("")
	}
	c.field(batch)
	c.field(list)
	c.field("national")
	c.field(number)
	c.field("有效")
	c.end()
	p.res.Designations++
}
