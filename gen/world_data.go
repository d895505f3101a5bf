package gen

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// The word lists of the world generator: regions with their GB/T 2260 codes, trade
// name characters with pinyin and look-alikes, industry words with GB/T 4754-2017
// classes, legal forms, personal names, a simplified → traditional table. See the
// comment at the top of each file.
//
//go:embed data
var dataFS embed.FS

type province struct {
	code, name, short, en string
	capital               int // index of its first city in cities.csv
}

type district struct{ code, name string }

type city struct {
	code, name, en, pinyin string
	weight                 float64
	districts              []district
	prov                   int
	municipality           bool
}

type tradeChar struct {
	r       rune
	pinyin  string
	weight  float64
	similar []rune
}

type industry struct {
	word, pinyin, en, abbr, kind string
	weight                       float64
	codes, ipc                   []string
}

type legalForm struct{ zh, en, abbr, pinyin string }

type nameChar struct {
	r      rune
	pinyin string
	weight float64
}

type foreignForm struct{ country, suffix string }

// worldData holds the parsed word lists.
type worldData struct {
	provinces  []province
	cities     []city
	chars      []tradeChar
	charIndex  map[rune]int
	industries []industry
	forms      []legalForm
	surnames   []nameChar
	given      []nameChar
	roads      []string
	fWords     []string
	fNouns     []string
	fForms     []foreignForm
	s2t        map[rune]rune

	citySampler, charSampler, surnameSampler sampler
	techSampler, holdingSampler, fundSampler sampler
	provCities                               [][]int // cities of each province
	nonMunicipal                             []int   // cities with a municipal SASAC
	provinceByCode                           map[string]int
	pinyinOf                                 map[rune]string // trade, surname and given name characters
	industryByWord                           map[string]int
}

// Legal form indexes, in the order of data/forms.csv.
const (
	formLtd   = 0 // 有限公司
	formJSC   = 1 // 股份有限公司
	formLLC   = 2 // 有限责任公司
	formGroup = 3 // 集团有限公司
	formLP    = 4 // 合伙企业（有限合伙）
)

var (
	worldDataOnce sync.Once
	worldDataVal  *worldData
	worldDataErr  error
)

// loadWorldData parses the embedded word lists once.
func loadWorldData() (*worldData, error) {
	worldDataOnce.Do(func() { worldDataVal, worldDataErr = parseWorldData() })
	return worldDataVal, worldDataErr
}

// readTable reads an embedded CSV file without its # comment lines, as maps from
// column name to value.
func readTable(name string) ([]map[string]string, error) {
	raw, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	var kept bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		if !strings.HasPrefix(sc.Text(), "#") {
			kept.Write(sc.Bytes())
			kept.WriteByte('\n')
		}
	}
	recs, err := csv.NewReader(&kept).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("gen/data/%s: %w", name, err)
	}
	if len(recs) < 2 {
		return nil, fmt.Errorf("gen/data/%s: no rows", name)
	}
	out := make([]map[string]string, 0, len(recs)-1)
	for _, r := range recs[1:] {
		m := make(map[string]string, len(r))
		for i, c := range recs[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out, nil
}

// readLines reads an embedded text file's lines, without comments and blank lines.
func readLines(name string) ([]string, error) {
	raw, err := dataFS.ReadFile("data/" + name)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, l := range strings.Split(string(raw), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return out, nil
}

func parseWeight(file, s string) (float64, error) {
	w, err := strconv.ParseFloat(s, 64)
	if err != nil || w <= 0 {
		return 0, fmt.Errorf("gen/data/%s: weight %q is not a positive number", file, s)
	}
	return w, nil
}

func parseWorldData() (*worldData, error) {
	d := &worldData{charIndex: map[rune]int{}, s2t: map[rune]rune{}, provinceByCode: map[string]int{},
		pinyinOf: map[rune]string{}, industryByWord: map[string]int{}}
	rows, err := readTable("provinces.csv")
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		d.provinceByCode[r["code"]] = len(d.provinces)
		d.provinces = append(d.provinces, province{code: r["code"], name: r["name"], short: r["short"], en: r["en"], capital: -1})
	}
	d.provCities = make([][]int, len(d.provinces))
	if rows, err = readTable("cities.csv"); err != nil {
		return nil, err
	}
	var weights []float64
	for _, r := range rows {
		c := city{code: r["code"], name: r["city"], en: r["en"], pinyin: r["pinyin"]}
		if c.weight, err = parseWeight("cities.csv", r["weight"]); err != nil {
			return nil, err
		}
		p, ok := d.provinceByCode[c.code[:2]]
		if !ok || len(c.code) != 6 {
			return nil, fmt.Errorf("gen/data/cities.csv: %s %s: no province %s", c.code, c.name, c.code[:2])
		}
		c.prov = p
		c.municipality = strings.HasSuffix(c.code, "0000")
		for _, f := range strings.Fields(r["districts"]) {
			code, name, ok := strings.Cut(f, ":")
			if !ok || len(code) != 6 || code[:2] != c.code[:2] {
				return nil, fmt.Errorf("gen/data/cities.csv: %s: district %q is not CODE:NAME in the province", c.name, f)
			}
			c.districts = append(c.districts, district{code, name})
		}
		i := len(d.cities)
		if d.provinces[p].capital < 0 {
			d.provinces[p].capital = i
		}
		d.provCities[p] = append(d.provCities[p], i)
		if !c.municipality {
			d.nonMunicipal = append(d.nonMunicipal, i)
		}
		d.cities = append(d.cities, c)
		weights = append(weights, c.weight)
	}
	d.citySampler = newSampler(weights, nil)

	if rows, err = readTable("tradechars.csv"); err != nil {
		return nil, err
	}
	weights = weights[:0]
	for _, r := range rows {
		ch, n := utf8.DecodeRuneInString(r["char"])
		if n != len(r["char"]) {
			return nil, fmt.Errorf("gen/data/tradechars.csv: %q is not one character", r["char"])
		}
		w, err := parseWeight("tradechars.csv", r["weight"])
		if err != nil {
			return nil, err
		}
		if _, dup := d.charIndex[ch]; dup {
			return nil, fmt.Errorf("gen/data/tradechars.csv: %c twice", ch)
		}
		d.charIndex[ch] = len(d.chars)
		d.pinyinOf[ch] = r["pinyin"]
		d.chars = append(d.chars, tradeChar{r: ch, pinyin: r["pinyin"], weight: w, similar: []rune(r["similar"])})
		weights = append(weights, w)
	}
	if len(d.chars) > 250 {
		return nil, fmt.Errorf("gen/data/tradechars.csv: %d characters; at most 250", len(d.chars))
	}
	d.charSampler = newSampler(weights, nil)

	if rows, err = readTable("industries.csv"); err != nil {
		return nil, err
	}
	var kinds = map[string]*struct {
		w   []float64
		idx []int
	}{"tech": {}, "holding": {}, "fund": {}}
	for _, r := range rows {
		in := industry{word: r["word"], pinyin: r["pinyin"], en: r["en"], abbr: r["abbr"], kind: r["kind"],
			codes: strings.Fields(r["gbt4754"]), ipc: strings.Fields(r["ipc"])}
		if in.weight, err = parseWeight("industries.csv", r["weight"]); err != nil {
			return nil, err
		}
		k := kinds[in.kind]
		if k == nil || len(in.codes) == 0 || len(in.ipc) == 0 {
			return nil, fmt.Errorf("gen/data/industries.csv: %s: kind %q (tech, holding or fund), codes and ipc needed", in.word, in.kind)
		}
		k.w = append(k.w, in.weight)
		k.idx = append(k.idx, len(d.industries))
		d.industryByWord[in.word] = len(d.industries)
		d.industries = append(d.industries, in)
	}
	d.techSampler = newSampler(kinds["tech"].w, kinds["tech"].idx)
	d.holdingSampler = newSampler(kinds["holding"].w, kinds["holding"].idx)
	d.fundSampler = newSampler(kinds["fund"].w, kinds["fund"].idx)

	if rows, err = readTable("forms.csv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		d.forms = append(d.forms, legalForm{zh: r["form"], en: r["en"], abbr: r["abbr"], pinyin: r["pinyin"]})
	}
	if len(d.forms) != formLP+1 || d.forms[formLP].zh != "合伙企业（有限合伙）" || d.forms[formJSC].zh != "股份有限公司" {
		return nil, fmt.Errorf("gen/data/forms.csv: expected 有限公司, 股份有限公司, 有限责任公司, 集团有限公司, 合伙企业（有限合伙） in that order")
	}

	for _, f := range []struct {
		name string
		out  *[]nameChar
	}{{"surnames.csv", &d.surnames}, {"given.csv", &d.given}} {
		if rows, err = readTable(f.name); err != nil {
			return nil, err
		}
		for _, r := range rows {
			ch, _ := utf8.DecodeRuneInString(r["char"])
			w := 1.0
			if r["weight"] != "" {
				if w, err = parseWeight(f.name, r["weight"]); err != nil {
					return nil, err
				}
			}
			*f.out = append(*f.out, nameChar{r: ch, pinyin: r["pinyin"], weight: w})
			if _, ok := d.pinyinOf[ch]; !ok {
				d.pinyinOf[ch] = r["pinyin"]
			}
		}
	}
	weights = weights[:0]
	for _, s := range d.surnames {
		weights = append(weights, s.weight)
	}
	d.surnameSampler = newSampler(weights, nil)

	if d.roads, err = readLines("roads.txt"); err != nil {
		return nil, err
	}
	if rows, err = readTable("foreign.csv"); err != nil {
		return nil, err
	}
	for _, r := range rows {
		switch r["kind"] {
		case "word":
			d.fWords = append(d.fWords, r["value"])
		case "noun":
			d.fNouns = append(d.fNouns, r["value"])
		case "country":
			c, s, _ := strings.Cut(r["value"], ":")
			d.fForms = append(d.fForms, foreignForm{c, s})
		}
	}
	lines, err := readLines("s2t.txt")
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		f := strings.Fields(l)
		if len(f) != 2 || utf8.RuneCountInString(f[0]) != 1 || utf8.RuneCountInString(f[1]) != 1 {
			return nil, fmt.Errorf("gen/data/s2t.txt: %q is not a pair of characters", l)
		}
		s, _ := utf8.DecodeRuneInString(f[0])
		t, _ := utf8.DecodeRuneInString(f[1])
		d.s2t[s] = t
	}
	return d, nil
}

// sampler draws an index with probability proportional to its weight.
type sampler struct {
	cum []float64
	idx []int // the values drawn; nil means 0..n-1
}

func newSampler(weights []float64, idx []int) sampler {
	s := sampler{cum: make([]float64, len(weights)), idx: idx}
	t := 0.0
	for i, w := range weights {
		t += w
		s.cum[i] = t
	}
	return s
}

func (s *sampler) pick(r *rand.Rand) int {
	x := r.Float64() * s.cum[len(s.cum)-1]
	i := sort.SearchFloat64s(s.cum, x)
	if i >= len(s.cum) {
		i = len(s.cum) - 1
	}
	if s.idx != nil {
		return s.idx[i]
	}
	return i
}

// traditional writes s in traditional characters, as far as the table knows them.
func (d *worldData) traditional(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if t, ok := d.s2t[r]; ok {
			r = t
		}
		b.WriteRune(r)
	}
	return b.String()
}
