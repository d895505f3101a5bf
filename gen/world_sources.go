package gen

import (
	"math/bits"
	"math/rand/v2"
	"strconv"
	"strings"
)

// sourceSpec is one noisy extract and its noise rates (see World). Rates are per
// record, and a change that does not apply to a name (dropping a region the name
// does not have) leaves it as it is.
type sourceSpec struct {
	name, code string   // procurement, PR (record ids)
	columns    []string // the file's header
	// Which name a record has: the previous name after the rename (before it always),
	// a short name, English only, pinyin only; else the Chinese legal name.
	stale, short, english, pinyin float64
	// Changes to Chinese names.
	trad, typo, drop                                             float64
	formMissing, formOther, formGroup                            float64
	regionDrop, regionShi, regionBracket, regionAdd, regionWrong float64
	// Identifiers and other fields: present, and wrong.
	uscc, usccTypo        float64
	region, regionWrongF  float64
	founded, foundedWrong float64
	rep                   float64
	from                  int32 // the first record date
}

// sourceSpecs are the extracts World writes, with their noise rates.
var sourceSpecs = []sourceSpec{
	{name: "procurement", code: "PR",
		columns: []string{"record_id", "supplier", "supplier_uscc", "region", "award_date", "amount", "buyer"},
		stale:   0.05, short: 0.03, english: 0.01, pinyin: 0,
		trad: 0.005, typo: 0.04, drop: 0.015,
		formMissing: 0.10, formOther: 0.06, formGroup: 0.01,
		regionDrop: 0.15, regionShi: 0.10, regionBracket: 0.04, regionAdd: 0.03, regionWrong: 0.01,
		uscc: 0.35, usccTypo: 0.04, region: 0.7, regionWrongF: 0.02, from: days(2014, 1, 1)},
	{name: "patents", code: "PA",
		columns: []string{"record_id", "applicant", "applicant_address", "application_date", "ipc"},
		stale:   0.05, short: 0.01, english: 0.06, pinyin: 0.02,
		trad: 0.02, typo: 0.03, drop: 0.01,
		formMissing: 0.03, formOther: 0.04, formGroup: 0.01,
		regionDrop: 0.08, regionShi: 0.05, regionBracket: 0.03, regionAdd: 0.02, regionWrong: 0.005,
		region: 0.9, regionWrongF: 0.01, from: days(2005, 1, 1)},
	{name: "investments", code: "IN",
		columns: []string{"record_id", "company", "company_en", "uscc", "city", "founded", "round", "amount", "deal_date"},
		stale:   0.05, short: 0.25, english: 0.06, pinyin: 0.05,
		trad: 0.06, typo: 0.03, drop: 0.01,
		formMissing: 0.25, formOther: 0.05, formGroup: 0.02,
		regionDrop: 0.30, regionShi: 0.15, regionBracket: 0.03, regionAdd: 0.02, regionWrong: 0.02,
		uscc: 0.05, usccTypo: 0.05, region: 0.6, regionWrongF: 0.04, founded: 0.5, foundedWrong: 0.08,
		from: days(2008, 1, 1)},
	{name: "listings", code: "LI",
		columns: []string{"record_id", "name_zh", "name_en", "short_name", "stock_code", "uscc", "province", "founded",
			"legal_representative", "listing_date"},
		stale: 0.05, short: 0, english: 0.25, pinyin: 0,
		trad: 0.25, typo: 0.01, drop: 0.005,
		formMissing: 0.02, formOther: 0.03, formGroup: 0.005,
		regionDrop: 0.05, regionShi: 0.05, regionBracket: 0.02, regionAdd: 0.01, regionWrong: 0.005,
		uscc: 0.7, usccTypo: 0.02, region: 0.6, regionWrongF: 0.01, founded: 0.8, foundedWrong: 0.02, rep: 0.5,
		from: days(2010, 1, 1)},
}

// Dataset names and entity id prefixes of the world's mappings.
const registryDataset = "world-registry"

func sourceDataset(name string) string { return "world-" + name }

// writeSources writes the extracts and truth/records.csv.
func (w *world) writeSources() error {
	truth, err := w.truthFile()
	if err != nil {
		return err
	}
	n := len(w.firms)
	var listed []int
	for i := range w.firms {
		if w.firms[i].flags&fListed != 0 {
			listed = append(listed, i)
		}
	}
	total := w.opts.Records
	counts := make([]int, len(sourceSpecs))
	counts[3] = min(total*6/100, 3*len(listed))
	rest := total - counts[3]
	counts[0] = rest * 40 / 100
	counts[1] = rest * 38 / 100
	counts[2] = rest - counts[0] - counts[1]
	mask := make([]uint8, n) // the sources that name each firm
	cum := make([]float64, n)
	for s := range sourceSpecs {
		sp := &sourceSpecs[s]
		// Each source's weights: activity, and what the source favours.
		t := 0.0
		var idx []int
		if sp.name == "listings" {
			idx = listed
			cum = cum[:len(listed)]
			for k, i := range listed {
				t += float64(w.firms[i].activity)
				cum[k] = t
			}
		} else {
			cum = cum[:n]
			for i := range w.firms {
				f := &w.firms[i]
				x := float64(f.activity)
				kind := w.d.industries[f.industry].kind
				switch sp.name {
				case "procurement":
					if f.flags&fSOE != 0 {
						x *= 4
					}
				case "patents":
					if kind != "tech" {
						x *= 0.15
					}
				case "investments":
					switch {
					case f.flags&fSOE != 0:
						x *= 0.3
					case f.founded >= days(2012, 1, 1):
						x *= 3
					}
				}
				if kind == "fund" {
					x = 0
				}
				t += x
				cum[i] = t
			}
		}
		if counts[s] == 0 || t == 0 {
			counts[s] = 0
		}
		st, err := w.writeSource(sp, s, counts[s], cum, idx, mask, truth)
		if err != nil {
			truth.close()
			return err
		}
		w.res.Sources = append(w.res.Sources, st)
		w.res.Records += st.Records
	}
	for _, m := range mask {
		switch bits.OnesCount8(m) {
		case 0:
			w.res.FirmsWithoutRecords++
		case 1:
			w.res.FirmsInOneSource++
		}
	}
	w.res.TruthRows = truth.rows
	return truth.close()
}

// writeRegistryTruth writes truth/records.csv with the registry's records only.
func (w *world) writeRegistryTruth() error {
	truth, err := w.truthFile()
	if err != nil {
		return err
	}
	w.res.TruthRows = truth.rows
	return truth.close()
}

// truthFile creates truth/records.csv and writes the registry's rows.
func (w *world) truthFile() (*csvFile, error) {
	c, err := w.newCSV("truth/records.csv", "dataset", "record_id", "entity_id", "source", "firm_id", "noise")
	if err != nil {
		return nil, err
	}
	for i := range w.firms {
		id := w.firmID(i)
		for _, v := range []string{registryDataset, id, entityID(prefixFirm, id), "registry/firms.csv:" + strconv.Itoa(i+2), id, ""} {
			c.field(v)
		}
		c.end()
	}
	for i := range w.foreign {
		id := foreignID(i)
		for _, v := range []string{registryDataset, id, entityID(prefixFirm, id), "registry/foreign_firms.csv:" + strconv.Itoa(i+2), id, ""} {
			c.field(v)
		}
		c.end()
	}
	return c, nil
}

var (
	rounds   = []string{"天使轮", "Pre-A轮", "A轮", "A+轮", "B轮", "C轮", "D轮", "战略投资", "Pre-IPO"}
	agencies = []string{"公安局", "教育局", "卫生健康委员会", "交通运输局", "人民医院", "大数据管理局", "气象局", "应急管理局"}
)

// writeSource writes one extract of count records.
func (w *world) writeSource(sp *sourceSpec, s, count int, cum []float64, idx []int, mask []uint8, truth *csvFile) (SourceStats, error) {
	file := "sources/" + sp.name + ".csv"
	st := SourceStats{Name: sp.name, File: file, Dataset: sourceDataset(sp.name), Noise: map[string]int{}}
	c, err := w.newCSV(file, sp.columns...)
	if err != nil {
		return st, err
	}
	r := w.rng(uint64(10 + s))
	prefix := sourceDataset(sp.name)
	seen := make([]uint64, (len(w.firms)+63)/64)
	var tags []string
	total := 0.0
	if len(cum) > 0 {
		total = cum[len(cum)-1]
	}
	for k := 0; k < count; k++ {
		i := searchCum(cum, r.Float64()*total)
		if idx != nil {
			i = idx[i]
		}
		f := &w.firms[i]
		if seen[i/64]&(1<<(i%64)) == 0 {
			seen[i/64] |= 1 << (i % 64)
			st.Firms++
		}
		mask[i] |= 1 << s
		date := between(r, max(f.founded+30, sp.from), dayEnd)
		old := f.rename != renameNone && (date < f.renamed || r.Float64() < sp.stale)
		tags = tags[:0]
		if old {
			tags = append(tags, "old")
		}
		id := sp.code + pad(k+1, 8)
		c.field(id)
		// The record's names.
		var zh, en, short string
		x := r.Float64()
		switch {
		case x < sp.short:
			short = w.sourceShort(r, f, old)
			tags = append(tags, "short")
			if r.Float64() < sp.trad {
				if t := w.d.traditional(short); t != short {
					short = t
					tags = append(tags, "trad")
				}
			}
		case x < sp.short+sp.english:
			en, tags = w.sourceEnglish(r, f, old, tags)
		case x < sp.short+sp.english+sp.pinyin:
			kind := 0
			if y := r.Float64(); y > 0.85 {
				kind = 2
			} else if y > 0.6 {
				kind = 1
			}
			en = w.pinyinName(f, old, kind)
			tags = append(tags, "pinyin")
		default:
			zh, tags = w.noisyZh(r, f, w.zhParts(f, old), sp, tags)
		}
		ci := &w.d.cities[f.city]
		// The other fields, per source.
		uscc := ""
		if r.Float64() < sp.uscc {
			uscc = string(f.uscc[:])
			tags = append(tags, "uscc")
			if r.Float64() < sp.usccTypo {
				uscc = corruptUSCC(r, f.uscc)
				tags = append(tags, "uscc_typo")
			}
		}
		regionCity := int(f.city)
		hasRegion := r.Float64() < sp.region
		if hasRegion && r.Float64() < sp.regionWrongF {
			regionCity = w.otherCity(r, regionCity)
			tags = append(tags, "region_field_wrong")
		}
		rc := &w.d.cities[regionCity]
		switch sp.name {
		case "procurement":
			if zh == "" {
				zh = en + short
			}
			c.field(zh)
			c.field(uscc)
			if hasRegion {
				if r.Float64() < 0.3 && !rc.municipality {
					c.field(w.d.provinces[rc.prov].name + rc.name + "市")
				} else {
					c.field(rc.name + "市")
				}
			} else {
				c.field("")
			}
			c.date(date)
			c.field(strconv.FormatFloat(float64(int(float64(f.capital)*r.Float64()*100))/1000+1, 'f', 2, 64) + "万元")
			c.field(ci.name + "市" + agencies[r.IntN(len(agencies))])
		case "patents":
			if zh == "" {
				zh = en + short
			}
			c.field(zh)
			switch {
			case !hasRegion:
				c.field("")
			case regionCity != int(f.city):
				c.field(rc.name + "市" + w.d.roads[f.road] + strconv.Itoa(int(f.roadNo)) + "号")
			default:
				c.field(w.address(f, r.Float64() < 0.7))
			}
			c.date(date)
			ipc := w.d.industries[f.industry].ipc
			c.field(ipc[r.IntN(len(ipc))] + " " + strconv.Itoa(1+r.IntN(60)) + "/" + pad(r.IntN(100), 2))
		case "investments":
			if zh == "" {
				zh = short
			}
			if en == "" && zh != "" && r.Float64() < 0.15 {
				en = w.enName(f, old, enOpts{noRegion: r.Float64() < 0.5})
			}
			c.field(zh)
			c.field(en)
			c.field(uscc)
			if hasRegion {
				c.field(rc.name)
			} else {
				c.field("")
			}
			w.foundedField(r, c, f, sp, &tags)
			c.field(rounds[r.IntN(len(rounds))])
			c.field(strconv.Itoa((1+r.IntN(50))*100) + "万元")
			c.date(date)
		case "listings":
			c.field(zh)
			if en == "" && r.Float64() < 0.85 {
				if r.Float64() < 0.8 && f.flags&fEN != 0 && !old {
					en = w.enName(f, false, enOpts{})
				} else {
					en = w.enName(f, old, enOpts{abbr: true, noRegion: r.Float64() < 0.5})
				}
			}
			c.field(en)
			if r.Float64() < 0.9 {
				sh := w.sourceShort(r, f, old)
				if strings.Contains(tags2(tags), "trad") {
					sh = w.d.traditional(sh)
				}
				c.field(sh)
			} else {
				c.field("")
			}
			switch y := r.Float64(); {
			case y < 0.6:
				c.field(stockString(f.stock))
			case y < 0.8:
				c.field(pad(int(f.stock), 6))
			default:
				c.field(stockSuffix(f.stock) + pad(int(f.stock), 6))
			}
			tags = append(tags, "stock")
			c.field(uscc)
			if hasRegion {
				c.field(w.d.provinces[rc.prov].name)
			} else {
				c.field("")
			}
			w.foundedField(r, c, f, sp, &tags)
			if r.Float64() < sp.rep {
				c.field(w.personName(f.rep))
			} else {
				c.field("")
			}
			c.date(min(f.founded+int32(3+f.stock%8)*365, dayEnd))
		}
		c.end()
		noise := tags2(tags)
		for _, t := range tags {
			st.Noise[t]++
		}
		fid := w.firmID(i)
		for _, v := range []string{prefix, id, entityID(prefix, id), file + ":" + strconv.Itoa(k+2), fid, noise} {
			truth.field(v)
		}
		truth.end()
		st.Records++
	}
	return st, c.close()
}

func tags2(tags []string) string { return strings.Join(tags, ";") }

// foundedField writes a founding date, as a date, a month or a year, sometimes a
// year off.
func (w *world) foundedField(r *rand.Rand, c *csvFile, f *firm, sp *sourceSpec, tags *[]string) {
	if r.Float64() >= sp.founded {
		c.field("")
		return
	}
	d := f.founded
	if r.Float64() < sp.foundedWrong {
		if r.IntN(2) == 0 {
			d -= 365
		} else {
			d += 365
		}
		*tags = append(*tags, "founded_wrong")
	}
	s := dateString(d)
	switch y := r.Float64(); {
	case sp.name == "listings" || y < 0.5:
	case y < 0.8:
		s = s[:7]
	default:
		s = s[:4]
	}
	c.field(s)
}

// sourceShort is the short name a source uses: the registered one, or its own.
func (w *world) sourceShort(r *rand.Rand, f *firm, old bool) string {
	style := f.short
	if style == shortNone || old {
		style = shortIndustry
		if f.trade.n >= 3 && r.Float64() < 0.5 && !w.sharesGroupTrade(f) {
			style = shortTrade
		}
	}
	if old {
		g := *f
		g.trade, g.industry = f.oldTrade, f.oldIndustry
		return w.shortName(&g, style)
	}
	return w.shortName(f, style)
}

// sourceEnglish is an English-only name: the official one, or the source's own
// rendering, often abbreviated.
func (w *world) sourceEnglish(r *rand.Rand, f *firm, old bool, tags []string) (string, []string) {
	tags = append(tags, "en")
	if f.flags&fEN != 0 && !old && r.Float64() < 0.65 {
		return w.enName(f, false, enOpts{}), tags
	}
	o := enOpts{noRegion: r.Float64() < 0.5, abbr: r.Float64() < 0.4, spaced: r.Float64() < 0.1, noForm: r.Float64() < 0.15}
	if o.abbr {
		tags = append(tags, "en_abbr")
	}
	return w.enName(f, old, o), tags
}

// corruptUSCC mistypes a credit code so that its check fails: a character replaced
// by another allowed one (the weights are not multiples of 31, so the sum changes),
// two different neighbours swapped, or 0 and 1 typed as O and I.
func corruptUSCC(r *rand.Rand, code [18]byte) string {
	b := code
	switch x := r.Float64(); {
	case x < 0.2:
		for k := 2; k < 18; k++ {
			switch b[k] {
			case '0':
				b[k] = 'O'
				return string(b[:])
			case '1':
				b[k] = 'I'
				return string(b[:])
			}
		}
	case x < 0.4:
		for try := 0; try < 10; try++ {
			k := 2 + r.IntN(15)
			if b[k] != b[k+1] {
				b[k], b[k+1] = b[k+1], b[k]
				return string(b[:])
			}
		}
	}
	k := 2 + r.IntN(16)
	for {
		c := usccChars[r.IntN(len(usccChars))]
		if c != b[k] {
			b[k] = c
			return string(b[:])
		}
	}
}

// searchCum finds the first index whose cumulative weight is above x.
func searchCum(cum []float64, x float64) int {
	lo, hi := 0, len(cum)-1
	for lo < hi {
		m := (lo + hi) / 2
		if cum[m] > x {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}
