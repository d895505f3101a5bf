package resolve

import (
	"slices"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
)

// Record is one firm record to resolve: a Firm entity of one dataset.
type Record struct {
	ID      string `json:"id"`
	Dataset string `json:"dataset"`
	// Sources are the records the entity was made from ("file.csv:118"), per
	// statement source, in order, without repeats.
	Sources []string `json:"sources,omitempty"`
	// Names holds every name: registered, English, aliases, short and previous names.
	Names      []string `json:"names"`
	USCC       string   `json:"uscc,omitempty"`
	OrgCode    string   `json:"org_code,omitempty"`
	LEI        string   `json:"lei,omitempty"`
	StockCodes []string `json:"stock_codes,omitempty"`
	// Province and City as written (a name or a GB/T 2260 code); Region, the
	// schema's region property, too.
	Province string `json:"province,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Founded  string `json:"founded,omitempty"` // YYYY-MM-DD, YYYY-MM or YYYY
	LegalRep string `json:"legal_representative,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Properties are the Firm properties that Record.Add uses, for reading only those.
var Properties = []string{"name", "name_en", "alias", "short_name", "previous_name", "uscc", "org_code", "lei",
	"stock_code", "province", "city", "region", "founded", "legal_representative", "address"}

// nameProperties are the Firm properties whose values are names.
var nameProperties = map[string]bool{"name": true, "name_en": true, "alias": true, "short_name": true, "previous_name": true}

// Add puts a statement's value into the record, if the property is one Resolve
// uses. Identifiers that do not validate are not used (the ingest has checked the
// stored ones; this guards records made otherwise). Where a property that holds
// one value has several, the smallest is kept, so that the record is the same in
// whatever order its statements come; call Normalize when all are added.
func (r *Record) Add(s *cipmap.Statement) {
	if r.Dataset == "" || s.Dataset < r.Dataset {
		r.Dataset = s.Dataset
	}
	if s.Source != "" && len(r.Sources) < 8 && !slices.Contains(r.Sources, s.Source) {
		r.Sources = append(r.Sources, s.Source)
	}
	v := strings.TrimSpace(s.Value)
	if v == "" {
		return
	}
	keep := func(field *string, v string) {
		if *field == "" || v < *field {
			*field = v
		}
	}
	switch {
	case nameProperties[s.Property]:
		if !slices.Contains(r.Names, v) {
			r.Names = append(r.Names, v)
		}
	case s.Property == "uscc":
		if c, err := parse.USCC(v); err == nil {
			keep(&r.USCC, c)
		}
	case s.Property == "org_code":
		if c, err := parse.OrgCode(v); err == nil {
			keep(&r.OrgCode, c)
		}
	case s.Property == "lei":
		if c, err := parse.LEI(v); err == nil {
			keep(&r.LEI, c)
		}
	case s.Property == "stock_code":
		if c, err := parse.StockCode(v); err == nil && !slices.Contains(r.StockCodes, c.String()) {
			r.StockCodes = append(r.StockCodes, c.String())
		}
	case s.Property == "province":
		keep(&r.Province, v)
	case s.Property == "city":
		keep(&r.City, v)
	case s.Property == "region":
		keep(&r.Region, v)
	case s.Property == "founded":
		keep(&r.Founded, v)
	case s.Property == "legal_representative":
		keep(&r.LegalRep, v)
	case s.Property == "address":
		keep(&r.Address, v)
	}
}

// Normalize sorts the record's lists (names, sources, stock codes), so that a
// record is the same in whatever order its statements were added.
func (r *Record) Normalize() {
	slices.Sort(r.Names)
	slices.Sort(r.Sources)
	slices.Sort(r.StockCodes)
}

// prep is a record made ready for comparison.
type prep struct {
	names          []pname
	uscc           string
	province, city string
	founded        string
	rep            string
	addr           []rune
	legal          string
}

// byPlace and byName order records within a large block, for the two passes of
// the sorted neighbourhood: by province, industry and name without region and legal
// form (records of one firm are neighbours even when their names start
// differently), and by that name alone (so that records without a province meet
// the others).
func byPlace(a, b *prep) int {
	if c := strings.Compare(a.province, b.province); c != 0 {
		return c
	}
	return byName(a, b)
}

func byName(a, b *prep) int {
	x, y := a.first(), b.first()
	if c := strings.Compare(x.industry, y.industry); c != 0 {
		return c
	}
	if c := strings.Compare(x.key, y.key); c != 0 {
		return c
	}
	return strings.Compare(x.full, y.full)
}

// first is the record's first name, or an empty one.
func (p *prep) first() *pname {
	if len(p.names) == 0 {
		return &pname{}
	}
	return &p.names[0]
}

// idKeys are a record's identifiers as keys: "uscc:…", "org:…", "lei:…", "stock:…".
// They are made when needed, not kept: a million records hold two million of them.
func (r *Record) idKeys() []string {
	var keys []string
	if r.USCC != "" {
		keys = append(keys, "uscc:"+r.USCC, "org:"+r.USCC[8:17])
	}
	if r.OrgCode != "" {
		keys = append(keys, "org:"+strings.ReplaceAll(r.OrgCode, "-", ""))
	}
	if r.LEI != "" {
		keys = append(keys, "lei:"+r.LEI)
	}
	for _, s := range r.StockCodes {
		keys = append(keys, "stock:"+s)
	}
	return dedupe(keys)
}

// prepareAll prepares records in parallel.
func prepareAll(recs []Record, workers int) []prep {
	out := make([]prep, len(recs))
	inParallel(len(recs), workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			out[i] = prepare(&recs[i])
		}
	})
	return out
}

// prepare parses a record's names and normalises what the comparisons use.
func prepare(r *Record) prep {
	var p prep
	for _, n := range r.Names {
		if pn, ok := parseName(n); ok {
			p.names = append(p.names, pn)
		}
	}
	p.uscc = r.USCC
	p.province, p.city = regionOf(r, p.names)
	p.founded = r.Founded
	p.rep = parse.Fold(r.LegalRep)
	if a := parse.Fold(r.Address); a != "" {
		p.addr = []rune(a)
	}
	for _, n := range p.names {
		if n.legal != "" {
			p.legal = n.legal
			break
		}
	}
	return p
}

func dedupe(xs []string) []string {
	out := xs[:0]
	for i, x := range xs {
		dup := false
		for _, y := range xs[:i] {
			if x == y {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}
