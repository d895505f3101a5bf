package gen

import (
	"bufio"
	"crypto/sha1"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/cipmap/cipmap"
)

// WorldOptions control World.
type WorldOptions struct {
	// Firms is the number of true (Chinese) firms in the registry; 0 means 10,000.
	Firms int
	// Records is the number of records of the noisy source extracts, over all
	// sources; 0 means 10/3 per firm (1,000,000 for 300,000 firms), and a negative
	// number writes no extracts (the registry only, for ownership benchmarks).
	Records int
	// EdgesPerFirm is the average number of ownership edges (shareholders) per
	// firm; 0 means 2. Use 3 for the look-through benchmark of 1,000,000 firms and
	// 3,000,000 edges.
	EdgesPerFirm float64
	// Seed makes the world: the same options and seed write the same bytes.
	Seed int64
	// Policy adds the policy layer (see World): government bodies, policies,
	// programs and designations, guidance funds, resource flows, patents and
	// firm-year financials with planted effects. Without it the world is what it
	// was, byte for byte.
	Policy bool
	// Patents is the number of patents of the policy layer, about; 0 means 5 per
	// firm.
	Patents int
	// Flows is the number of resource flows (investments, grants, loans, contracts
	// and listings) of the policy layer, about; 0 means 2 per firm.
	Flows int
}

// WorldResult says what World wrote.
type WorldResult struct {
	Dir           string `json:"dir"`
	Seed          int64  `json:"seed"`
	Firms         int    `json:"firms"`
	ForeignFirms  int    `json:"foreign_firms"`
	SOEGroups     int    `json:"soe_groups"`
	SOEFirms      int    `json:"soe_firms"`
	ListedFirms   int    `json:"listed_firms"`
	RenamedFirms  int    `json:"renamed_firms"`
	EnglishNames  int    `json:"english_names"`
	ShortNames    int    `json:"short_names"`
	Persons       int    `json:"persons"`
	GovBodies     int    `json:"gov_bodies"`
	Directorships int    `json:"directorships"`
	Ownerships    int    `json:"ownership_edges"`
	RangeShares   int    `json:"range_shares"`
	Cycles        int    `json:"cross_holding_cycles"`
	// TradeNameShared is the share of firms whose trade name and industry word
	// (华信 + 科技) another firm in another region also has.
	TradeNameShared float64 `json:"trade_name_shared"`
	// Sources are the noisy extracts, in the order written.
	Sources []SourceStats `json:"sources"`
	Records int           `json:"records"`
	// FirmsWithoutRecords and FirmsInOneSource count the true firms that no extract
	// names, and that one extract only names.
	FirmsWithoutRecords int      `json:"firms_without_records"`
	FirmsInOneSource    int      `json:"firms_in_one_source"`
	TruthRows           int      `json:"truth_rows"`
	Files               []string `json:"files"`    // relative to Dir
	Mappings            []string `json:"mappings"` // paths, for cipmap ingest
	Bytes               int64    `json:"bytes"`
	// Policy describes the policy layer, when WorldOptions.Policy asks for it.
	Policy  *PolicyStats `json:"policy,omitempty"`
	Seconds float64      `json:"seconds"`
}

// SourceStats describes one noisy extract.
type SourceStats struct {
	Name    string `json:"name"`
	File    string `json:"file"`
	Dataset string `json:"dataset"`
	Records int    `json:"records"`
	Firms   int    `json:"firms"` // distinct true firms
	// Noise counts the records that each kind of noise changed, by tag (see World);
	// the tags uscc and stock count the records that give a credit or stock code.
	Noise map[string]int `json:"noise"`
}

// firm is one true firm, compactly: names are built from its parts when written.
type firm struct {
	trade, oldTrade       tname
	city                  uint8
	district              int8 // index into the city's districts, -1 for none
	industry, oldIndustry uint8
	form, oldForm         uint8
	style                 uint8
	rename                uint8 // renameNone, renameForm, renameIndustry, renameTrade
	flags                 uint8
	short                 uint8 // how its short name is made (shortNone ...)
	enStyle               uint8
	road                  uint8
	roadNo                uint16
	founded, renamed      int32 // days since 1970-01-01
	rep                   int32 // the legal representative, a person index
	capital               int32 // registered capital in 万元
	group                 int32 // SOE group, -1 for none
	parent                int32 // the parent firm within the group, -1 for none
	stock                 int32 // stock code, -1 for none
	activity              float32
	uscc                  [18]byte
}

// tname is a trade name as indexes into the trade characters.
type tname struct {
	c [4]uint8
	n uint8
}

const (
	fEN = 1 << iota
	fListed
	fFund
	fSOE
	fRoot
	fHolding
)

const (
	renameNone = iota
	renameForm
	renameIndustry
	renameTrade
)

const (
	shortNone     = iota
	shortIndustry // 华信科技
	shortTrade    // 华信微 (a trade name of three or four characters)
	shortJSC      // 华信股份
)

// world is the generator's state.
type world struct {
	d       *worldData
	opts    WorldOptions
	dir     string
	res     *WorldResult
	firms   []firm
	persons []person
	gov     []govBody
	groups  []group
	foreign []foreignFirm
	idMul   uint64 // firm ids are a permutation of the indexes: (i*idMul + idAdd) mod n
	idAdd   uint64
}

// World writes a synthetic world of Chinese firms into dir, for tests and
// benchmarks of resolution and ownership look-through, with the truth kept apart:
//
//	registry/firms.csv          the clean registry: names (Chinese, English for a
//	                            share, short, previous), credit codes, region,
//	                            founding date, legal representative, capital,
//	                            GB/T 4754-2017 industry, address, stock code
//	registry/foreign_firms.csv  foreign shareholders
//	registry/persons.csv        legal representatives, directors, shareholders
//	registry/gov_bodies.csv     国务院国资委, provincial and municipal 国资委, 财政部, 中央汇金
//	registry/directorships.csv  person ↔ firm, role, start and end, with interlocks
//	registry/ownership.csv      shareholdings: exact or as a range, from a date
//	sources/*.csv               noisy extracts of the same firms
//	truth/records.csv           record → true firm, with the noise applied
//	mapping-*.yaml              one mapping per dataset, for cipmap ingest
//
// Firm names are region + trade name (字号) + industry word + legal form. Trade names
// are unique per city and industry word, as registration rules make them, but the
// same trade name and industry word recur in other cities (WorldResult.TradeNameShared
// measures how often), and members of an SOE group often share the group's trade
// name: that is what makes matching hard. Credit codes have valid check characters
// (of the code and of its embedded organisation code), the registering division of
// the firm's city, an 8-digit organisation code for firms founded before the code's
// introduction in late 2015 and an MA… code after.
//
// SOE groups (8% of firms) are trees up to five levels deep under 国务院国资委 (or
// 财政部 and 中央汇金), a provincial 国资委 or a municipal one: members are held 100%
// (half), 51-99% or as minority stakes, with the rest held by other groups, persons,
// funds or foreign firms. Private firms are held by persons, holding firms, funds
// (limited partnerships, with SOEs and governments among their partners) and foreign
// firms. Every firm-to-firm holding points from a lower index to a higher one except
// the planted cross-holdings (WorldResult.Cycles: pairs of SOEs holding each other,
// and triangles of private firms), so those are the graph's only cycles. 15% of
// shares are written as a band ("25%-50%").
//
// # Noise model
//
// Each source record picks a firm (sources favour different firms: procurement
// SOEs, investments young private firms, listings listed firms; a firm's activity
// is log-normal, so some firms have many records and some none), a date, and the
// name the source would have: the previous name when the firm was renamed after the
// record's date (and for 5% of later records), else by the source's rates a short
// name, an English-only name (the official one, or the source's own rendering,
// often abbreviated: HUAXIN TECH CO LTD), a pinyin-only name (Huaxin Keji), or the
// Chinese legal name. A Chinese name then takes, each with the source's rate where
// it applies (tag in the truth's noise column, rates per record below):
//
//	region_drop     the region prefix or bracket dropped (华信科技有限公司)
//	region_shi      深圳市 written 深圳
//	region_bracket  the region moved into or out of brackets (华信科技（深圳）有限公司)
//	region_add      a region added to a name without one
//	region_wrong    another region (深圳市 → 广州市; same province for 60%)
//	form_missing    no legal form
//	form_other      another legal form (有限公司 ↔ 股份有限公司 ↔ 有限责任公司)
//	form_group      集团 added
//	typo            a trade-name character replaced by a look-alike (华 → 化)
//	drop            a character dropped (trade names of three or more characters)
//	trad            written in traditional characters (data/s2t.txt)
//
// Identifiers: a credit code for a share of records (tag uscc), of which some have
// a typo that makes them invalid (uscc_typo; never a valid wrong code); stock codes
// in every listing (stock). Region, founding date and legal representative are
// present for a share of records and sometimes wrong (region_field_wrong,
// founded_wrong). The rates:
//
//	                    procurement  patents  investments  listings
//	short name only          3%         1%        25%       (a column, 90%)
//	English only             1%         6%         6%         25%
//	pinyin only              -          2%         5%          -
//	trad                   0.5%         2%         6%         25%
//	typo                     4%         3%         3%          1%
//	drop                   1.5%         1%         1%        0.5%
//	form_missing            10%         3%        25%          2%
//	form_other               6%         4%         5%          3%
//	form_group               1%         1%         2%        0.5%
//	region_drop             15%         8%        30%          5%
//	region_shi              10%         5%        15%          5%
//	region_bracket           4%         3%         3%          2%
//	region_add               3%         2%         2%          1%
//	region_wrong             1%       0.5%         2%        0.5%
//	credit code             35%         -          5%         70%
//	  mistyped (of those)    4%         -          5%          2%
//	region (or address)     70%        90%        60%         60%
//	  wrong (of those)       2%         1%         4%          1%
//	founding date            -          -         50%         80%
//	  a year off             -          -          8%          2%
//	legal representative     -          -          -          50%
//
// The name changes apply to Chinese legal names (trad also to short names), so
// their rates per record are those above times the share of such names. Brackets
// are written half-width in 30% of names that have them. SourceStats.Noise counts
// each tag, and truth/records.csv lists for every record (registry and extracts)
// its entity id as cipmap ingest makes it, its source line, its true firm and the
// tags of the noise applied.
func World(dir string, opts WorldOptions) (*WorldResult, error) {
	start := time.Now()
	if opts.Firms == 0 {
		opts.Firms = 10000
	}
	if opts.Firms < 0 || opts.Firms > 50_000_000 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "firms %d: expected 1 to 50,000,000", opts.Firms)
	}
	if opts.Records == 0 {
		opts.Records = opts.Firms * 10 / 3
	}
	if opts.EdgesPerFirm == 0 {
		opts.EdgesPerFirm = 2
	}
	if opts.Patents == 0 {
		opts.Patents = opts.Firms * 5
	}
	if opts.Flows == 0 {
		opts.Flows = opts.Firms * 2
	}
	if opts.Patents < 0 || opts.Flows < 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "patents %d, flows %d: expected positive numbers", opts.Patents, opts.Flows)
	}
	if opts.EdgesPerFirm < 1 || opts.EdgesPerFirm > 20 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "edges per firm %v: expected 1 to 20", opts.EdgesPerFirm)
	}
	d, err := loadWorldData()
	if err != nil {
		return nil, err
	}
	w := &world{d: d, opts: opts, dir: dir, res: &WorldResult{Dir: dir, Seed: opts.Seed, Firms: opts.Firms}}
	w.permutation()
	w.govBodies()
	w.makeGroups(w.rng(1))
	w.makeFirms(w.rng(2))
	w.makeForeign(w.rng(3))
	for _, step := range []func() error{w.writeGovBodies, w.writeDirectorships, w.writeFirms, w.writeForeign, w.writeOwnership, w.writePersons} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	if opts.Records > 0 {
		if err := w.writeSources(); err != nil {
			return nil, err
		}
	} else if err := w.writeRegistryTruth(); err != nil {
		return nil, err
	}
	if err := w.writeMappings(); err != nil {
		return nil, err
	}
	if opts.Policy {
		if err := w.writePolicy(); err != nil {
			return nil, err
		}
	}
	for _, f := range w.res.Files {
		if st, err := os.Stat(filepath.Join(dir, f)); err == nil {
			w.res.Bytes += st.Size()
		}
	}
	w.res.Seconds = time.Since(start).Seconds()
	return w.res, nil
}

// rng returns the random stream of one part of the world, so that, say, the
// registry does not change when the number of records does.
func (w *world) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(w.opts.Seed), 0x9e3779b97f4a7c15*stream+1))
}

// permutation chooses the map from firm index to firm id.
func (w *world) permutation() {
	n := uint64(w.opts.Firms)
	r := w.rng(0)
	w.idAdd = r.Uint64N(n)
	w.idMul = 1
	if n > 2 {
		for {
			m := n/3 + r.Uint64N(n/3+1)
			if m > 0 && gcd(m, n) == 1 {
				w.idMul = m
				break
			}
		}
	}
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// firmID is the registry id of firm i.
func (w *world) firmID(i int) string {
	v := (uint64(i)*w.idMul + w.idAdd) % uint64(w.opts.Firms)
	return "F" + pad(int(v), 8)
}

func personID(i int) string  { return "P" + pad(i+1, 8) }
func govID(i int) string     { return "G" + pad(i+1, 4) }
func foreignID(i int) string { return "X" + pad(i+1, 6) }

// pad writes v with at least n digits, zero-padded.
func pad(v, n int) string {
	var b [20]byte
	i := len(b)
	for v > 0 || len(b)-i < n {
		i--
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b[i:])
}

// entityID is the id cipmap ingest gives an entity with this id prefix and one key
// column of this (ASCII) value: the prefix and a hash of the folded value.
func entityID(prefix, key string) string {
	h := sha1.Sum([]byte(key + "\x1f"))
	return prefix + "-" + hex.EncodeToString(h[:])[:16]
}

// Entity id prefixes of the mappings.
const (
	prefixFirm   = "world-firm"
	prefixPerson = "world-person"
	prefixGov    = "world-gov"
)

// csvFile writes a CSV file row by row, quoting only where needed.
type csvFile struct {
	f    *os.File
	w    *bufio.Writer
	buf  []byte
	cols int
	n    int // fields in the current row
	rows int
}

// newCSV creates dir/name (name may have a folder) and writes the header.
func (w *world) newCSV(name string, header ...string) (*csvFile, error) {
	f, bw, err := create(filepath.Join(w.dir, filepath.Dir(name)), filepath.Base(name))
	if err != nil {
		return nil, err
	}
	w.res.Files = append(w.res.Files, filepath.ToSlash(name))
	c := &csvFile{f: f, w: bw, cols: len(header)}
	for _, h := range header {
		c.field(h)
	}
	c.end()
	c.rows = 0
	return c, nil
}

func (c *csvFile) field(s string) {
	if c.n > 0 {
		c.buf = append(c.buf, ',')
	}
	c.n++
	quote := false
	for i := 0; i < len(s); i++ {
		if b := s[i]; b == ',' || b == '"' || b == '\n' || b == '\r' {
			quote = true
			break
		}
	}
	if !quote {
		c.buf = append(c.buf, s...)
		return
	}
	c.buf = append(c.buf, '"')
	for i := 0; i < len(s); i++ {
		if s[i] == '"' {
			c.buf = append(c.buf, '"')
		}
		c.buf = append(c.buf, s[i])
	}
	c.buf = append(c.buf, '"')
}

func (c *csvFile) int(v int) { c.field(strconv.Itoa(v)) }

func (c *csvFile) date(days int32) {
	if days == 0 {
		c.field("")
		return
	}
	c.field(dateString(days))
}

// end finishes a row.
func (c *csvFile) end() {
	for c.n < c.cols {
		c.field("")
	}
	c.buf = append(c.buf, '\n')
	c.w.Write(c.buf)
	c.buf, c.n = c.buf[:0], 0
	c.rows++
}

func (c *csvFile) close() error {
	if c == nil {
		return nil
	}
	return finish(c.f, c.w)
}

// Dates are days since 1970-01-01.

func days(y, m, d int) int32 {
	return int32(time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func yearOf(days int32) int {
	return time.Unix(int64(days)*86400, 0).UTC().Year()
}

func dateString(days int32) string {
	return time.Unix(int64(days)*86400, 0).UTC().Format("2006-01-02")
}

var (
	day1990    = days(1990, 1, 1)
	dayUSCC    = days(2015, 10, 1) // credit codes replace organisation codes
	dayEnd     = days(2025, 6, 30) // the world's "today"
	dayRecords = days(2005, 1, 1)
)

// between returns a day uniformly in [lo, hi].
func between(r *rand.Rand, lo, hi int32) int32 {
	if hi <= lo {
		return lo
	}
	return lo + int32(r.IntN(int(hi-lo)+1))
}
