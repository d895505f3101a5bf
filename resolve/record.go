package resolve

import (
	"slices"
	"strings"
	"sync"

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
// stored ones; this guards records made otherwise).
func (r *Record) Add(s *cipmap.Statement) {
	if r.Dataset == "" {
		r.Dataset = s.Dataset
	}
	if s.Source != "" && len(r.Sources) < 8 && !slices.Contains(r.Sources, s.Source) {
		r.Sources = append(r.Sources, s.Source)
	}
	v := strings.TrimSpace(s.Value)
	if v == "" {
		return
	}
	switch {
	case nameProperties[s.Property]:
		for _, n := range r.Names {
			if n == v {
				return
			}
		}
		r.Names = append(r.Names, v)
	case s.Property == "uscc":
		if c, err := parse.USCC(v); err == nil && r.USCC == "" {
			r.USCC = c
		}
	case s.Property == "org_code":
		if c, err := parse.OrgCode(v); err == nil && r.OrgCode == "" {
			r.OrgCode = c
		}
	case s.Property == "lei":
		if c, err := parse.LEI(v); err == nil && r.LEI == "" {
			r.LEI = c
		}
	case s.Property == "stock_code":
		if c, err := parse.StockCode(v); err == nil {
			r.StockCodes = append(r.StockCodes, c.String())
		}
	case s.Property == "province":
		r.Province = v
	case s.Property == "city":
		r.City = v
	case s.Property == "region":
		r.Region = v
	case s.Property == "founded":
		r.Founded = v
	case s.Property == "legal_representative":
		r.LegalRep = v
	case s.Property == "address":
		r.Address = v
	}
}

// prep is a record made ready for comparison.
type prep struct {
	names          []pname
	idKeys         []string // "uscc:…", "org:…", "lei:…", "stock:…"
	uscc           string
	province, city string
	founded        string
	rep            string
	addr           []rune
	legal          string
	blockKeys      []string
	sortKey        string
}

// prepareAll prepares records in parallel.
func prepareAll(recs []Record, workers int) []prep {
	out := make([]prep, len(recs))
	var wg sync.WaitGroup
	chunk := (len(recs) + workers - 1) / workers
	for w := 0; w < workers; w++ {
		lo, hi := w*chunk, min((w+1)*chunk, len(recs))
		if lo >= hi {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				out[i] = prepare(&recs[i])
			}
		}()
	}
	wg.Wait()
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
	if r.USCC != "" {
		p.uscc = r.USCC
		p.idKeys = append(p.idKeys, "uscc:"+r.USCC, "org:"+r.USCC[8:17])
	}
	if r.OrgCode != "" {
		p.idKeys = append(p.idKeys, "org:"+strings.ReplaceAll(r.OrgCode, "-", ""))
	}
	if r.LEI != "" {
		p.idKeys = append(p.idKeys, "lei:"+r.LEI)
	}
	for _, s := range r.StockCodes {
		p.idKeys = append(p.idKeys, "stock:"+s)
	}
	p.idKeys = dedupe(p.idKeys)
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
	p.blockKeys = blockKeys(p.names, p.province)
	if len(p.names) > 0 {
		p.sortKey = p.names[0].full
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
