package gen

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The planted effects of the policy layer (truth/effects.json says the same).
const (
	patentGrowth         = 1.07 // patent applications grow 7% a year for every firm
	effLittleGiantPatent = 1.40 // ×, from the year after designation
	effChampionPatent    = 1.20 // ×, from the year after designation
	effFundPatent        = 1.25 // ×, from the year after the first guidance-fund investment
	effFundRevenue       = 0.10 // log points of revenue a year, for the 3 years after the first investment
	effLittleGiantRD     = 0.02 // R&D intensity (R&D / revenue), from the year after designation
)

// Effect is one planted effect, as truth/effects.json writes it.
type Effect struct {
	Name      string  `json:"name"`
	Treatment string  `json:"treatment"`
	Outcome   string  `json:"outcome"`
	Timing    string  `json:"timing"`
	Kind      string  `json:"kind"` // multiplicative, additive_log, additive
	Value     float64 `json:"value"`
	LogEffect float64 `json:"log_effect,omitempty"`
	Selection string  `json:"selection"`
	Files     string  `json:"files"`
}

var plantedEffects = []Effect{
	{Name: "little_giant_patents", Treatment: "专精特新“小巨人” designation (state/designations.csv, program PG0005)",
		Outcome: "patent applications a firm-year (outcomes/patents.csv, by application_date)",
		Timing:  "from the calendar year after the designation year on, constant; none before (no anticipation)",
		Kind:    "multiplicative", Value: effLittleGiantPatent, LogEffect: math.Log(effLittleGiantPatent),
		Selection: "firms are chosen with probability proportional to their (time-constant) patenting propensity, doubled for chips, robots, machine tools, materials and instruments: selection on levels, which firm fixed effects absorb; a naive treated-vs-untreated comparison overstates the effect",
		Files:     "truth/treatments.csv (little_giant_year, patent_rate)"},
	{Name: "champion_patents", Treatment: "制造业单项冠军 designation (program PG0006)", Outcome: "patent applications a firm-year",
		Timing: "from the year after designation", Kind: "multiplicative", Value: effChampionPatent, LogEffect: math.Log(effChampionPatent),
		Selection: "probability proportional to patenting propensity times registered capital, firms at least ten years old",
		Files:     "truth/treatments.csv (champion_year)"},
	{Name: "fund_patents", Treatment: "first investment by a government guidance fund (flows/investments.csv)", Outcome: "patent applications a firm-year",
		Timing: "from the year after the first investment's year", Kind: "multiplicative", Value: effFundPatent, LogEffect: math.Log(effFundPatent),
		Selection: "funds draw candidates of their topic and region and keep the one with the higher patenting propensity",
		Files:     "truth/treatments.csv (first_fund_year)"},
	{Name: "fund_revenue", Treatment: "first investment by a government guidance fund", Outcome: "log revenue (outcomes/financials.csv)",
		Timing: "+0.10 in each of the three years after the first investment's year: +0.10, +0.20, +0.30, then +0.30 for good",
		Kind:   "additive_log", Value: effFundRevenue, Selection: "as fund_patents; revenue levels do not enter the selection",
		Files: "truth/treatments.csv (first_fund_year)"},
	{Name: "little_giant_rd_intensity", Treatment: "专精特新“小巨人” designation", Outcome: "R&D expense / revenue (outcomes/financials.csv rd_expense)",
		Timing: "from the year after designation", Kind: "additive", Value: effLittleGiantRD, Selection: "as little_giant_patents",
		Files: "truth/treatments.csv"},
	{Name: "little_giant_revenue_null", Treatment: "专精特新“小巨人” designation", Outcome: "log revenue",
		Timing: "none: a planted null that evaluation must not reject", Kind: "additive_log", Value: 0, Selection: "as little_giant_patents",
		Files: "truth/treatments.csv"},
	{Name: "grants_null", Treatment: "subsidies (flows/grants.csv)", Outcome: "patent applications and revenue",
		Timing: "none: grants go to active, innovative firms but change nothing (selection only)", Kind: "multiplicative", Value: 1,
		Selection: "grant recipients are drawn with weight activity × (1 + patenting propensity)", Files: "flows/grants.csv"},
}

// patentMult is firm i's patenting in year y relative to its base rate: growth, the
// share of the year it existed, and the planted effects.
func (p *polWorld) patentMult(i, y int) float64 {
	f := &p.w.firms[i]
	fy := yearOf(f.founded)
	if y < fy {
		return 0
	}
	m := math.Pow(patentGrowth, float64(y-polFirstYear))
	if y == fy {
		m *= float64(days(y, 12, 31)-f.founded+1) / 365
	}
	if d := int(p.lgYear[i]); d > 0 && y > d {
		m *= effLittleGiantPatent
	}
	if d := int(p.chYear[i]); d > 0 && y > d {
		m *= effChampionPatent
	}
	if d := int(p.fundYear[i]); d > 0 && y > d {
		m *= effFundPatent
	}
	return m
}

// patentScale is the factor that makes the expected number of patents the target.
func (p *polWorld) patentScale() float64 {
	total := 0.0
	for i := range p.w.firms {
		if p.rate[i] == 0 {
			continue
		}
		s := 0.0
		for y := polFirstYear; y <= patLastYear; y++ {
			s += p.patentMult(i, y)
		}
		total += float64(p.rate[i]) * s
	}
	if total == 0 {
		return 0
	}
	return float64(p.w.opts.Patents) / total
}

var patentTitles = []string{"一种{t}", "一种{t}及其制备方法", "{t}的控制方法、装置及存储介质", "一种用于{t}的检测装置", "一种高可靠性{t}", "{t}及电子设备"}

// cnCheck is the check character of a CNIPA application number's twelve digits.
func cnCheck(digits string) byte {
	ws := [12]int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5}
	s := 0
	for k := 0; k < 12; k++ {
		s += int(digits[k]-'0') * ws[k]
	}
	if c := s % 11; c == 10 {
		return 'X'
	} else {
		return byte('0' + c)
	}
}

// writePatents writes outcomes/patents.csv: each firm-year a Poisson number of
// applications around its base rate times patentMult, so that the planted effects
// hold in expectation; IPC codes from the firm's industry; the applicant's name as
// registered at the application date.
func (p *polWorld) writePatents() error {
	w := p.w
	r := w.rng(109)
	c, err := w.newCSV("outcomes/patents.csv", "patent_id", "application_number", "office", "patent_type", "title", "applicant_id",
		"applicant_name", "region", "ipc", "ipc_main", "application_date", "publication_date", "grant_date", "status")
	if err != nil {
		return err
	}
	scale := p.patentScale()
	serial := make([][3]int, patLastYear-polFirstYear+1)
	for k := range serial {
		for t := 0; t < 3; t++ {
			serial[k][t] = r.IntN(1000)
		}
	}
	pct, us := 0, 0
	types := []string{"发明", "实用新型", "外观设计"}
	var ipcs []string
	for i := range w.firms {
		if p.rate[i] == 0 {
			continue
		}
		f := &w.firms[i]
		ind := &w.d.industries[f.industry]
		t := p.topicOf[f.industry]
		var terms []string
		if t >= 0 {
			terms = p.d.topics[t].terms
		} else {
			terms = []string{"控制系统", "管理平台", "装置"}
		}
		for y := polFirstYear; y <= patLastYear; y++ {
			n := poisson(r, scale*float64(p.rate[i])*p.patentMult(i, y))
			for ; n > 0; n-- {
				date := between(r, max(days(y, 1, 1), f.founded), min(days(y, 12, 31), dayEnd))
				typ := 0
				switch x := r.Float64(); {
				case x < 0.45:
				case x < 0.90:
					typ = 1
				default:
					typ = 2
				}
				office := "CN"
				var number string
				switch x := r.Float64(); {
				case x < 0.02:
					office, typ = "WO", 0
					pct++
					number = "PCT/CN" + strconv.Itoa(y) + "/" + pad(pct, 6)
				case x < 0.03:
					office, typ = "US", 0
					us++
					number = "US" + strconv.Itoa(16+(y-polFirstYear)/3) + "/" + pad(us, 6)
				default:
					k := y - polFirstYear
					serial[k][typ] += 1 + r.IntN(4)
					digits := strconv.Itoa(y) + strconv.Itoa(typ+1) + pad(serial[k][typ], 7)
					number = "CN" + digits + "." + string(cnCheck(digits))
				}
				var grant, pub int32
				status := "实质审查"
				switch typ {
				case 0:
					if r.Float64() < 0.55 {
						grant = date + 540 + int32(r.IntN(720))
					}
					if date+548 <= dayEnd {
						pub = date + 548
						if grant == 0 && date+1260 < dayEnd {
							status = "驳回"
						}
					} else {
						status = "审查中"
					}
				case 1:
					if r.Float64() < 0.92 {
						grant = date + 180 + int32(r.IntN(220))
					} else {
						status = "驳回"
					}
				default:
					if r.Float64() < 0.95 {
						grant = date + 120 + int32(r.IntN(180))
					} else {
						status = "驳回"
					}
				}
				if grant > dayEnd {
					grant, status = 0, "审查中"
				}
				if grant > 0 {
					status = "授权"
					if typ > 0 {
						pub = grant
					}
				}
				ipcs = ipcs[:0]
				main := ipcGroup(r, ind.ipc[r.IntN(len(ind.ipc))])
				if typ == 2 {
					main = "" // designs have Locarno classes, not IPC
				} else {
					ipcs = append(ipcs, main)
					for k := r.IntN(3); k > 0; k-- {
						x := ipcGroup(r, ind.ipc[r.IntN(len(ind.ipc))])
						if x != main {
							ipcs = append(ipcs, x)
						}
					}
				}
				title := strings.ReplaceAll(patentTitles[r.IntN(len(patentTitles))], "{t}", terms[r.IntN(len(terms))])
				old := f.rename != renameNone && date < f.renamed
				c.field(number)
				c.field(number)
				c.field(office)
				c.field(types[typ])
				c.field(title)
				c.field(w.firmID(i))
				c.field(w.zhName(f, old))
				c.field(w.d.cities[f.city].code)
				c.field(strings.Join(ipcs, ";"))
				c.field(main)
				c.date(date)
				c.date(pub)
				c.date(grant)
				c.field(status)
				c.end()
			}
		}
	}
	p.res.Patents = c.rows
	return c.close()
}

// writeFinancials writes outcomes/financials.csv: a row for every firm (but funds)
// and year from 2015 (or its founding) to 2024, in 万元, with the subsidies and loans
// of flows/grants.csv and flows/loans.csv of that year and the planted revenue and R&D
// effects.
func (p *polWorld) writeFinancials() error {
	w := p.w
	r := w.rng(110)
	c, err := w.newCSV("outcomes/financials.csv", "firm_id", "year", "revenue", "export_revenue", "loans", "subsidies",
		"employees", "rd_expense")
	if err != nil {
		return err
	}
	for i := range w.firms {
		f := &w.firms[i]
		if f.flags&fFund != 0 {
			continue
		}
		level := math.Log(float64(f.capital)) + 0.7 + 0.6*r.NormFloat64() + 0.5*math.Log(float64(f.activity))
		growth := 0.06 + 0.06*r.NormFloat64()
		prod := lognormal(r, 60, 0.4)
		export := 0.0
		if p.isTech(i) && r.Float64() < 0.3 {
			export = 0.05 + 0.45*r.Float64()
		}
		rd := 0.005 + 0.015*r.Float64()
		if p.isTech(i) {
			rd = 0.03 + 0.09*r.Float64()
		}
		noise := 0.0
		fy := yearOf(f.founded)
		for y := min(max(fy, finFirstYear)-3, finFirstYear); y <= finLastYear; y++ {
			noise = 0.5*noise + 0.1*r.NormFloat64()
			if y < max(fy, finFirstYear) {
				continue // burn in the noise
			}
			logR := level + growth*float64(y-fy) + noise
			if y == fy {
				logR += math.Log(math.Max(0.05, float64(days(y, 12, 31)-f.founded+1)/365))
			}
			if d := int(p.fundYear[i]); d > 0 && y > d {
				logR += effFundRevenue * float64(min(y-d, 3))
			}
			rev := math.Exp(logR)
			intensity := rd
			if d := int(p.lgYear[i]); d > 0 && y > d {
				intensity += effLittleGiantRD
			}
			c.field(w.firmID(i))
			c.int(y)
			c.field(yuan(rev))
			c.field(yuan(rev * export))
			c.field(yuan(p.loanSum[firmYear(i, y)]))
			c.field(yuan(p.grantSum[firmYear(i, y)]))
			c.int(max(3, int(rev/prod+0.5)))
			c.field(yuan(rev * intensity))
			c.end()
		}
	}
	p.res.Financials = c.rows
	return c.close()
}

// writeTreatments writes truth/treatments.csv: every firm's treatments and its base
// patenting rate (expected applications in 2010 at full exposure, before effects).
func (p *polWorld) writeTreatments() error {
	w := p.w
	c, err := w.newCSV("truth/treatments.csv", "firm_id", "little_giant_year", "champion_year", "first_fund_year", "patent_rate")
	if err != nil {
		return err
	}
	scale := p.patentScale()
	yr := func(v int16) {
		if v == 0 {
			c.field("")
		} else {
			c.int(int(v))
		}
	}
	for i := range w.firms {
		c.field(w.firmID(i))
		yr(p.lgYear[i])
		yr(p.chYear[i])
		yr(p.fundYear[i])
		c.field(strconv.FormatFloat(scale*float64(p.rate[i]), 'f', 5, 64))
		c.end()
	}
	return c.close()
}

// writeReach writes truth/gov_reach.csv: for every government body and firm, by
// channel, the number of flows and the amount in CNY the body gave the firm (for
// guidance funds, its attributed share: the sum of truth/fund_attribution.csv).
func (p *polWorld) writeReach() error {
	c, err := p.w.newCSV("truth/gov_reach.csv", "gov_id", "firm_id", "channel", "flows", "amount_cny")
	if err != nil {
		return err
	}
	for _, k := range sortedKeys(p.reach) {
		s := p.reach[k]
		c.field(govID(int(k >> 40)))
		c.field(p.w.firmID(int(k & 0xFFFFFFFF)))
		c.field(channelNames[(k>>32)&0xFF])
		c.int(int(s.flows))
		c.field(yuan(s.amount))
		c.end()
	}
	p.res.GovReach = c.rows
	p.reach = nil
	return c.close()
}

const effectsDoc = `# Planted effects of this world

Written by '{command}'. truth/effects.json lists the same effects for programs;
truth/treatments.csv gives every firm's treatment years and its base patenting rate
(expected applications a year at the 2010 level, before effects), so an estimate can be
checked against the exact expectation.

## Patents (outcomes/patents.csv)

A firm's expected applications in year y are its base rate × 1.07^(y−2010) × the share
of the year it existed × the effects below, and the count is Poisson. Applications are
dated by application_date; offices CN (97%), WO and US.

| treatment | effect on patent applications | from |
|---|---|---|
| 专精特新"小巨人" designation (PG0005) | × {lg} (log {lglog}) | the year after designation |
| 制造业单项冠军 designation (PG0006) | × {ch} (log {chlog}) | the year after designation |
| first guidance-fund investment | × {fp} (log {fplog}) | the year after its year |
| subsidies (grants) | none | — |

Selection: little giants are drawn with probability proportional to their base rate
(doubled in chips, robots, machine tools, materials and instruments); funds keep the
more innovative of two candidates; grant recipients are weighted by 1 + base rate. All
selection is on time-constant levels: firm fixed effects absorb it, and a naive
comparison of treated with untreated firms overstates every effect. Designations come
in batches (2019-2024 for little giants, 2016-2023 for champions): staggered adoption.

## Financials (outcomes/financials.csv, 万元)

log revenue = firm level + firm growth × age + AR(1) noise (ρ 0.5, σ 0.1), plus
{fr} in each of the three years after the first guidance-fund investment (+{fr1}, +{fr2},
+{fr3}, and +{fr3} after). Little-giant designation has no effect on revenue (a planted
null). R&D expense (rd_expense, not a column of the financials fact table) is revenue ×
a firm's intensity, + {rd} after little-giant designation. subsidies and loans are the
sums of flows/grants.csv and flows/loans.csv in the year (USD loans at truth's rate).

## Money (truth/fund_attribution.csv, truth/gov_reach.csv)

Every guidance-fund investment is attributed to the government bodies that hold the
fund, directly or through funds of funds (up to three levels: national → provincial →
municipal): the row's share is the product of the shares along the chain, and
attributed_cny = amount_cny × share. Stakes held through state-owned firms (an SOE as a
limited partner) are not attributed to their SASAC here. Amounts in USD are converted
with gen/data/fx.csv (yuan per dollar, yearly average of the investment's year).
gov_reach.csv sums, for each body and firm, the attributed fund money, the subsidies
it paid and the contracts it awarded, by channel.
`

// writeEffects writes truth/effects.json and truth/effects.md.
func (p *polWorld) writeEffects() error {
	w := p.w
	b, err := json.MarshalIndent(plantedEffects, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(w.dir, "truth", "effects.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }
	l := func(v float64) string { return strconv.FormatFloat(math.Log(v), 'f', 3, 64) }
	doc := strings.NewReplacer("{command}", p.command(), "{lg}", f(effLittleGiantPatent), "{lglog}", l(effLittleGiantPatent),
		"{ch}", f(effChampionPatent), "{chlog}", l(effChampionPatent), "{fp}", f(effFundPatent), "{fplog}", l(effFundPatent),
		"{fr}", f(effFundRevenue), "{fr1}", f(effFundRevenue), "{fr2}", f(2*effFundRevenue), "{fr3}", f(3*effFundRevenue),
		"{rd}", f(effLittleGiantRD)).Replace(effectsDoc)
	if err := os.WriteFile(filepath.Join(w.dir, "truth", "effects.md"), []byte(doc), 0o644); err != nil {
		return err
	}
	w.res.Files = append(w.res.Files, "truth/effects.json", "truth/effects.md")
	return nil
}
