package gen

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"time"
)

// PolicyStats says what the policy layer of World wrote (WorldOptions.Policy).
type PolicyStats struct {
	GovBodies    int     `json:"gov_bodies"` // besides the registry's state owners
	Banks        int     `json:"policy_banks"`
	Policies     int     `json:"policies"`
	Issuances    int     `json:"issuances"`
	Targetings   int     `json:"targetings"`
	Programs     int     `json:"programs"`
	Designations int     `json:"designations"`
	LittleGiants int     `json:"little_giants"`
	Champions    int     `json:"champions"`
	Funds        int     `json:"funds"`
	FundPartners int     `json:"fund_partners"`
	Investments  int     `json:"investments"`
	Grants       int     `json:"grants"`
	Loans        int     `json:"loans"`
	Contracts    int     `json:"contracts"`
	Listings     int     `json:"listings"`
	Flows        int     `json:"flows"`
	USDFlows     int     `json:"usd_flows"`
	Patents      int     `json:"patents"`
	Financials   int     `json:"financial_rows"`
	Attributions int     `json:"attribution_rows"`
	GovReach     int     `json:"gov_reach_rows"`
	FundedFirms  int     `json:"funded_firms"`
	Seconds      float64 `json:"seconds"`
}

// Years of the policy layer: flows, patents and designations fall in
// [polFirstYear, 2025]; firm-year financials run from finFirstYear to finLastYear.
const (
	polFirstYear = 2010
	finFirstYear = 2015
	finLastYear  = 2024
	patLastYear  = 2024
)

// topic is a technology that policies, programs and funds target (data/policy_topics.csv).
type topic struct {
	tag, zh    string
	industries []string
	weight     float64
	terms      []string
}

// centralBody is a central issuer of documents (data/policy_bodies.csv, and the
// registry's 财政部 and 国务院国资委).
type centralBody struct {
	gov         int // index into the world's gov bodies (registry and policy layer)
	abbr, joint string
}

// policyData holds the policy layer's tables.
type policyData struct {
	topics      []topic
	topicSample sampler
	central     []centralBody
	provAbbr    map[string]string // province code (2 digits) → 京政发
	fx          map[int]float64   // year → yuan per dollar
}

func loadPolicyData(d *worldData) (*policyData, error) {
	p := &policyData{provAbbr: map[string]string{}, fx: map[int]float64{}}
	rows, err := readTable("policy_topics.csv")
	if err != nil {
		return nil, err
	}
	var ws []float64
	seen := map[string]string{}
	for _, r := range rows {
		t := topic{tag: r["tag"], zh: r["zh"], industries: strings.Fields(r["industries"]), terms: strings.Fields(r["terms"])}
		if t.weight, err = parseWeight("policy_topics.csv", r["weight"]); err != nil {
			return nil, err
		}
		for _, word := range t.industries {
			if _, ok := d.industryByWord[word]; !ok {
				return nil, fmt.Errorf("gen/data/policy_topics.csv: %s: industry word %q is not in industries.csv", t.tag, word)
			}
			if o, dup := seen[word]; dup {
				return nil, fmt.Errorf("gen/data/policy_topics.csv: industry word %q in %s and %s", word, o, t.tag)
			}
			seen[word] = t.tag
		}
		if len(t.terms) == 0 {
			return nil, fmt.Errorf("gen/data/policy_topics.csv: %s: no terms", t.tag)
		}
		p.topics = append(p.topics, t)
		ws = append(ws, t.weight)
	}
	p.topicSample = newSampler(ws, nil)
	if rows, err = readTable("policy_provinces.csv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		p.provAbbr[r["code"]] = r["abbr"]
	}
	for _, pr := range d.provinces {
		if p.provAbbr[pr.code] == "" {
			return nil, fmt.Errorf("gen/data/policy_provinces.csv: no abbreviation for %s %s", pr.code, pr.name)
		}
	}
	if rows, err = readTable("fx.csv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		y, err1 := strconv.Atoi(r["year"])
		v, err2 := strconv.ParseFloat(r["usd_cny"], 64)
		if err1 != nil || err2 != nil || v <= 0 {
			return nil, fmt.Errorf("gen/data/fx.csv: %q, %q: expected a year and a rate", r["year"], r["usd_cny"])
		}
		p.fx[y] = v
	}
	for y := polFirstYear; y <= 2025; y++ {
		if p.fx[y] == 0 {
			return nil, fmt.Errorf("gen/data/fx.csv: no rate for %d", y)
		}
	}
	return p, nil
}

// bank is a policy bank: a Firm entity of the policy layer.
type bank struct {
	id, name, short, en, founded string
}

var policyBanks = []bank{
	{"B001", "国家开发银行", "国开行", "China Development Bank", "1994-03-17"},
	{"B002", "中国进出口银行", "进出口银行", "The Export-Import Bank of China", "1994-04-26"},
	{"B003", "中国农业发展银行", "农发行", "Agricultural Development Bank of China", "1994-11-18"},
}

// polWorld is the policy layer's state: indexes over the firms, the new government
// bodies, and each firm's treatments, which the outcomes (patents, financials) read.
type polWorld struct {
	w   *world
	d   *policyData
	res *PolicyStats

	topicOf   []int     // industry → topic, -1 for holding and fund words
	byTopic   [][]int32 // tech firms of each topic
	byTopProv [][]int32 // topic*provinces + province
	bodies    []govBody // the policy layer's gov bodies; index len(w.gov)+k
	provGov   []int     // per province: 人民政府, 工业和信息化厅, 财政厅, 科学技术厅
	provIndus []int
	provFin   []int
	provSci   []int
	cityGov   map[int]int // per non-municipal city: 市人民政府, 市工业和信息化局, 市财政局
	cityIndus map[int]int
	cityFin   map[int]int
	miit      int // gov indexes of central bodies
	sci       int

	// Treatments, per firm.
	lgYear   []int16   // designated a little giant in this year, 0 for never
	chYear   []int16   // designated a single champion
	fundYear []int16   // first guidance-fund investment
	rate     []float32 // patent applications a year before effects (base)
	// Flows per firm-year, in 万元 (CNY), for the financials.
	grantSum map[uint32]float64
	loanSum  map[uint32]float64
	// reach sums what each gov body gave each firm, by channel (see reachKey).
	reach map[uint64]*reachSum
	// Designations are written by programs and by the funds (Big Fund portfolios).
	desig *csvFile
}

type reachSum struct {
	amount float64 // CNY
	flows  int32
}

// Channels of truth/gov_reach.csv.
const (
	chFund = iota
	chGrant
	chContract
)

var channelNames = []string{"guidance-fund", "subsidy", "procurement"}

func reachKey(gov, channel, firm int) uint64 {
	return uint64(gov)<<40 | uint64(channel)<<32 | uint64(firm)
}

func firmYear(i, year int) uint32 { return uint32(i)<<5 | uint32(year-polFirstYear) }

func (p *polWorld) addReach(gov, channel, firm int, cny float64) {
	k := reachKey(gov, channel, firm)
	s := p.reach[k]
	if s == nil {
		s = &reachSum{}
		p.reach[k] = s
	}
	s.amount += cny
	s.flows++
}

// govName is the name of gov body g (registry or policy layer).
func (p *polWorld) gov(g int) *govBody {
	if g < len(p.w.gov) {
		return &p.w.gov[g]
	}
	return &p.bodies[g-len(p.w.gov)]
}

// fxRate is the yuan per dollar of a date's year.
func (p *polWorld) fxRate(day int32) float64 { return p.d.fx[yearOf(day)] }

// writePolicy writes the policy layer (see World): state/, flows/, outcomes/, and
// its truth.
func (w *world) writePolicy() error {
	start := time.Now()
	d, err := loadPolicyData(w.d)
	if err != nil {
		return err
	}
	n := len(w.firms)
	p := &polWorld{w: w, d: d, res: &PolicyStats{}, cityGov: map[int]int{}, cityIndus: map[int]int{}, cityFin: map[int]int{},
		lgYear: make([]int16, n), chYear: make([]int16, n), fundYear: make([]int16, n), rate: make([]float32, n),
		grantSum: map[uint32]float64{}, loanSum: map[uint32]float64{}, reach: map[uint64]*reachSum{}}
	w.res.Policy = p.res
	p.index()
	p.baseRates(w.rng(101))
	for _, step := range []func() error{p.writeBodies, p.writePolicies, p.writePrograms, p.writeFunds, p.writeGrants,
		p.writeLoans, p.writeContracts, p.writeListings, p.writePatents, p.writeFinancials, p.writeTreatments,
		p.writeReach, p.writeEffects, p.writeMappings} {
		if err := step(); err != nil {
			return err
		}
	}
	p.res.Flows = p.res.Investments + p.res.Grants + p.res.Loans + p.res.Contracts + p.res.Listings
	p.res.Seconds = time.Since(start).Seconds()
	return nil
}

// index builds the topic of each industry and the lists of tech firms by topic and
// province.
func (p *polWorld) index() {
	w := p.w
	p.topicOf = make([]int, len(w.d.industries))
	for k := range p.topicOf {
		p.topicOf[k] = -1
	}
	for t, tp := range p.d.topics {
		for _, word := range tp.industries {
			p.topicOf[w.d.industryByWord[word]] = t
		}
	}
	nt, np := len(p.d.topics), len(w.d.provinces)
	p.byTopic = make([][]int32, nt)
	p.byTopProv = make([][]int32, nt*np)
	for i := range w.firms {
		f := &w.firms[i]
		t := p.topicOf[f.industry]
		if t < 0 || f.flags&(fFund|fHolding) != 0 {
			continue
		}
		p.byTopic[t] = append(p.byTopic[t], int32(i))
		pr := w.d.cities[f.city].prov
		p.byTopProv[t*np+pr] = append(p.byTopProv[t*np+pr], int32(i))
	}
}

// isTech reports whether firm i is a technology firm (not a fund or holding).
func (p *polWorld) isTech(i int) bool {
	f := &p.w.firms[i]
	return f.flags&(fFund|fHolding) == 0 && p.topicOf[f.industry] >= 0
}

// baseRates draws each firm's patenting propensity before any planted effect.
func (p *polWorld) baseRates(r *rand.Rand) {
	for i := range p.w.firms {
		f := &p.w.firms[i]
		x := float64(f.activity) * math.Exp(0.5*r.NormFloat64()) * math.Pow(float64(f.capital), 0.15)
		switch {
		case f.flags&fFund != 0:
			x = 0
		case f.flags&fHolding != 0 || p.topicOf[f.industry] < 0:
			x *= 0.05
		}
		if f.flags&fSOE != 0 {
			x *= 1.3
		}
		p.rate[i] = float32(x)
	}
}

// addBody appends a gov body of the policy layer and returns its index.
func (p *polWorld) addBody(b govBody) int {
	p.bodies = append(p.bodies, b)
	return len(p.w.gov) + len(p.bodies) - 1
}

// writeBodies writes state/gov_bodies.csv (central bodies, provincial and municipal
// governments and their departments) and state/banks.csv.
func (p *polWorld) writeBodies() error {
	w := p.w
	rows, err := readTable("policy_bodies.csv")
	if err != nil {
		return err
	}
	for _, r := range rows {
		g := p.addBody(govBody{name: r["name"], short: r["short"], en: r["en"], level: "central", kind: r["kind"],
			parent: "国务院", province: -1, city: -1})
		if r["name"] == "国务院" {
			p.bodies[len(p.bodies)-1].parent = ""
		}
		p.d.central = append(p.d.central, centralBody{gov: g, abbr: r["abbr"], joint: r["joint"]})
		switch r["short"] {
		case "工信部":
			p.miit = g
		case "科技部":
			p.sci = g
		}
	}
	p.d.central = append(p.d.central, centralBody{gov: govMOF, abbr: "财建", joint: "财建"},
		centralBody{gov: govSASAC, abbr: "国资发", joint: "国资发"})
	np := len(w.d.provinces)
	p.provGov, p.provIndus, p.provFin, p.provSci = make([]int, np), make([]int, np), make([]int, np), make([]int, np)
	for k, pr := range w.d.provinces {
		region := pr.code + "0000"
		gov := pr.name + "人民政府"
		muni := strings.HasSuffix(pr.name, "市")
		indus, fin, sci := "工业和信息化厅", "财政厅", "科学技术厅"
		if muni {
			indus, fin, sci = "经济和信息化局", "财政局", "科学技术委员会"
		}
		p.provGov[k] = p.addBody(govBody{name: gov, short: pr.name + "政府", en: pr.en + " People's Government",
			level: "provincial", kind: "地方政府", parent: "国务院", region: region, province: k, city: -1})
		p.provIndus[k] = p.addBody(govBody{name: pr.name + indus, short: pr.short + "工信", en: pr.en + " Department of Industry and Information Technology",
			level: "provincial", kind: "工业和信息化主管部门", parent: gov, region: region, province: k, city: -1})
		p.provFin[k] = p.addBody(govBody{name: pr.name + fin, short: pr.short + "财政", en: pr.en + " Department of Finance",
			level: "provincial", kind: "财政部门", parent: gov, region: region, province: k, city: -1})
		p.provSci[k] = p.addBody(govBody{name: pr.name + sci, short: pr.short + "科技", en: pr.en + " Department of Science and Technology",
			level: "provincial", kind: "科技部门", parent: gov, region: region, province: k, city: -1})
	}
	for _, c := range w.d.nonMunicipal {
		ci := &w.d.cities[c]
		gov := ci.name + "市人民政府"
		p.cityGov[c] = p.addBody(govBody{name: gov, short: ci.name + "市政府", en: ci.en + " Municipal People's Government",
			level: "municipal", kind: "地方政府", parent: w.d.provinces[ci.prov].name + "人民政府", region: ci.code, province: ci.prov, city: c})
		p.cityIndus[c] = p.addBody(govBody{name: ci.name + "市工业和信息化局", short: ci.name + "工信局", en: ci.en + " Municipal Bureau of Industry and Information Technology",
			level: "municipal", kind: "工业和信息化主管部门", parent: gov, region: ci.code, province: ci.prov, city: c})
		p.cityFin[c] = p.addBody(govBody{name: ci.name + "市财政局", short: ci.name + "财政局", en: ci.en + " Municipal Finance Bureau",
			level: "municipal", kind: "财政部门", parent: gov, region: ci.code, province: ci.prov, city: c})
	}
	c, err := w.newCSV("state/gov_bodies.csv", "gov_id", "name", "short_name", "name_en", "level", "kind", "parent_name", "region")
	if err != nil {
		return err
	}
	for k, g := range p.bodies {
		for _, v := range []string{govID(len(w.gov) + k), g.name, g.short, g.en, g.level, g.kind, g.parent, g.region} {
			c.field(v)
		}
		c.end()
	}
	p.res.GovBodies = len(p.bodies)
	if err := c.close(); err != nil {
		return err
	}
	b, err := w.newCSV("state/banks.csv", "firm_id", "name", "short_name", "name_en", "legal_form", "founded", "owner_gov_id", "share")
	if err != nil {
		return err
	}
	for _, x := range policyBanks {
		for _, v := range []string{x.id, x.name, x.short, x.en, "有限责任公司", x.founded, govID(govHuijin), "100%"} {
			b.field(v)
		}
		b.end()
	}
	p.res.Banks = len(policyBanks)
	return b.close()
}

// localGov returns the bodies of a firm's place: the city's government, industry and
// finance bodies, or the province's for a municipality.
func (p *polWorld) localGov(city int) (gov, indus, fin int) {
	if g, ok := p.cityGov[city]; ok {
		return g, p.cityIndus[city], p.cityFin[city]
	}
	pr := p.w.d.cities[city].prov
	return p.provGov[pr], p.provIndus[pr], p.provFin[pr]
}

// sortedReachKeys returns the keys of reach in order.
func sortedKeys[V any](m map[uint64]V) []uint64 {
	keys := make([]uint64, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a] < keys[b] })
	return keys
}

// yuan writes an amount with two decimals.
func yuan(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', 2, 64) }

// lognormal draws exp(N(log median, sigma)).
func lognormal(r *rand.Rand, median, sigma float64) float64 {
	return median * math.Exp(sigma*r.NormFloat64())
}

// cumWeights returns the running sums of weight(i) over the firms.
func (p *polWorld) cumWeights(weight func(i int, f *firm) float64) []float64 {
	cum := make([]float64, len(p.w.firms))
	t := 0.0
	for i := range p.w.firms {
		t += weight(i, &p.w.firms[i])
		cum[i] = t
	}
	return cum
}

// drawFirm draws a firm index by cum, or -1 when every weight is 0.
func drawFirm(r *rand.Rand, cum []float64) int {
	if len(cum) == 0 || cum[len(cum)-1] == 0 {
		return -1
	}
	return searchCum(cum, r.Float64()*cum[len(cum)-1])
}
