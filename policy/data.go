package policy

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

//go:embed data/*.tsv
var dataFS embed.FS

// tables holds everything read from the data files. It is built once, on first
// use, and only read afterwards, so every function here is safe for concurrent use.
type tables struct {
	// abbrevs maps a document-number issuer abbreviation (工信部, 京政发) to its row.
	abbrevs   map[string]*abbrev
	abbrevMax int // the longest key, in runes

	// central maps every central body's name and alias to its canonical name.
	central    map[string]*centralBody
	centralMax int

	regions      []*region
	regionKey    map[string][]*region // full names, short names, district names
	regionMax    int
	regionByCode map[string]*region

	instruments []Instrument
	instrByID   map[string]int
	version     string
	dict        map[string][]dictEntry // folded keyword → entries
	dictFirst   map[rune]int           // the longest keyword starting with each rune, in runes
	exclusions  map[string][]int       // folded exclusion phrase → instrument indexes
	exclFirst   map[rune]int
	cues        []negationCue
}

// abbrev is one line of issuer-abbreviations.tsv.
type abbrev struct {
	abbr   string
	body   string
	level  Level
	region string // GB/T 2260 code or ""
	note   string
}

// centralBody is one line of central-bodies.tsv.
type centralBody struct {
	name string
	kind string
}

// region is one line of regions.tsv.
type region struct {
	code  string
	name  string
	short string
	level string // province, municipality, autonomous-region, sar, prefecture, county
	flags string
}

// dictEntry is one keyword of one instrument.
type dictEntry struct {
	instr   int
	keyword string // as written in the data file, without "~"
	weight  float64
	english bool
}

// negationCue is one line of negation.tsv.
type negationCue struct {
	cue      []rune
	before   bool // side "before": the cue negates what precedes it
	sentence bool // scope "sentence", else "clause"
	english  bool
}

// load returns the tables, reading the data files on first use.
var load = sync.OnceValues(buildTables)

// mustLoad returns the tables or panics. The data files are embedded and a test
// reads every one, so a failure here is a bug in the build, not bad input.
func mustLoad() *tables {
	t, err := load()
	if err != nil {
		panic(err)
	}
	return t
}

func buildTables() (*tables, error) {
	t := &tables{
		abbrevs:      map[string]*abbrev{},
		central:      map[string]*centralBody{},
		regionKey:    map[string][]*region{},
		regionByCode: map[string]*region{},
		instrByID:    map[string]int{},
		dict:         map[string][]dictEntry{},
		exclusions:   map[string][]int{},
		dictFirst:    map[rune]int{},
		exclFirst:    map[rune]int{},
	}
	steps := []struct {
		file string
		cols int
		row  func(line int, f []string) error
	}{
		{"issuer-abbreviations.tsv", 5, t.addAbbrev},
		{"central-bodies.tsv", 3, t.addCentral},
		{"regions.tsv", 5, t.addRegion},
		{"instruments.tsv", 10, t.addInstrument},
		{"negation.tsv", 3, t.addCue},
	}
	for _, s := range steps {
		if err := readTSV("data/"+s.file, s.cols, s.row, &t.version); err != nil {
			return nil, err
		}
	}
	if t.version == "" {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "data/instruments.tsv: no \"# version\" line")
	}
	return t, nil
}

// readTSV calls row for every data line of an embedded tab-separated file, with
// its line number and fields. Lines starting with # are comments, except
// "# version<TAB>V", which sets *version.
func readTSV(path string, cols int, row func(line int, f []string) error, version *string) error {
	b, err := dataFS.ReadFile(path)
	if err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	n := 0
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(line, "# version\t") {
			*version = strings.TrimSpace(strings.TrimPrefix(line, "# version\t"))
			continue
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != cols {
			return cipmap.Errorf(cipmap.EINTERNAL, "%s:%d: %d fields, expected %d", path, n, len(f), cols)
		}
		if err := row(n, f); err != nil {
			return cipmap.WrapError(cipmap.EINTERNAL, err, "%s:%d", path, n)
		}
	}
	return sc.Err()
}

func (t *tables) addAbbrev(_ int, f []string) error {
	lv, ok := parseLevel(f[2])
	if !ok {
		return fmt.Errorf("level %q: expected central, provincial, municipal or county", f[2])
	}
	a := &abbrev{abbr: f[0], body: f[1], level: lv, region: dash(f[3]), note: dash(f[4])}
	if _, dup := t.abbrevs[a.abbr]; dup {
		return fmt.Errorf("abbreviation %q listed twice", a.abbr)
	}
	t.abbrevs[a.abbr] = a
	t.abbrevMax = max(t.abbrevMax, utf8.RuneCountInString(a.abbr))
	return nil
}

func (t *tables) addCentral(_ int, f []string) error {
	b := &centralBody{name: f[0], kind: f[2]}
	names := []string{f[0]}
	if f[1] != "-" {
		names = append(names, strings.Split(f[1], ",")...)
	}
	for _, n := range names {
		n = strings.TrimSpace(n)
		if prev, dup := t.central[n]; dup && prev.name != b.name {
			return fmt.Errorf("name %q given to %s and %s", n, prev.name, b.name)
		}
		t.central[n] = b
		t.centralMax = max(t.centralMax, utf8.RuneCountInString(n))
	}
	return nil
}

func (t *tables) addRegion(_ int, f []string) error {
	r := &region{code: dash(f[0]), name: f[1], short: dash(f[2]), level: f[3], flags: dash(f[4])}
	switch r.level {
	case "province", "municipality", "autonomous-region", "sar", "prefecture", "county":
	default:
		return fmt.Errorf("level %q: expected province, municipality, autonomous-region, sar, prefecture or county", r.level)
	}
	t.regions = append(t.regions, r)
	if r.code != "" {
		if _, dup := t.regionByCode[r.code]; dup {
			return fmt.Errorf("code %s listed twice", r.code)
		}
		t.regionByCode[r.code] = r
	}
	add := func(k string) {
		t.regionKey[k] = append(t.regionKey[k], r)
		t.regionMax = max(t.regionMax, utf8.RuneCountInString(k))
	}
	add(r.name)
	if r.short != "" && r.short != r.name && !r.hasFlag("nobare") {
		add(r.short)
	}
	return nil
}

func (r *region) hasFlag(flag string) bool {
	for _, f := range strings.Split(r.flags, ",") {
		if f == flag {
			return true
		}
	}
	return false
}

func (t *tables) addInstrument(_ int, f []string) error {
	in := Instrument{
		ID: f[0], MAST: dash(f[1]), Fit: f[2], NameZH: f[4], NameEN: f[5], Definition: f[6],
	}
	if f[3] != "-" {
		for _, g := range strings.Split(f[3], ";") {
			in.GTA = append(in.GTA, strings.TrimSpace(g))
		}
	}
	switch in.Fit {
	case "exact", "partial", "none":
	default:
		return fmt.Errorf("instrument %s: fit %q, expected exact, partial or none", in.ID, in.Fit)
	}
	if in.MAST != "" && (len(in.MAST) != 1 || in.MAST[0] < 'A' || in.MAST[0] > 'P') {
		return fmt.Errorf("instrument %s: MAST chapter %q, expected a letter A-P or -", in.ID, in.MAST)
	}
	if _, dup := t.instrByID[in.ID]; dup {
		return fmt.Errorf("instrument %s listed twice", in.ID)
	}
	idx := len(t.instruments)
	seen := map[string]bool{}
	addKW := func(kw string, english bool) error {
		weak := strings.HasPrefix(kw, "~")
		kw = strings.TrimPrefix(kw, "~")
		key := foldString(strings.TrimSpace(kw))
		if key == "" {
			return fmt.Errorf("instrument %s: empty keyword", in.ID)
		}
		if seen[key] {
			return nil
		}
		seen[key] = true
		for _, e := range t.dict[key] {
			if e.instr != idx {
				return fmt.Errorf("keyword %q belongs to %s and %s", kw, t.instruments[e.instr].ID, in.ID)
			}
		}
		t.dict[key] = append(t.dict[key], dictEntry{instr: idx, keyword: kw, weight: keywordWeight(key, weak), english: english})
		r, _ := utf8.DecodeRuneInString(key)
		t.dictFirst[r] = max(t.dictFirst[r], utf8.RuneCountInString(key))
		if english {
			in.KeywordsEN = append(in.KeywordsEN, kw)
		} else {
			in.KeywordsZH = append(in.KeywordsZH, kw)
		}
		return nil
	}
	for _, kw := range strings.Split(f[7], "|") {
		if err := addKW(kw, false); err != nil {
			return err
		}
	}
	for _, kw := range strings.Split(f[8], "|") {
		if err := addKW(kw, true); err != nil {
			return err
		}
	}
	if f[9] != "-" {
		for _, ex := range strings.Split(f[9], "|") {
			key := foldString(strings.TrimSpace(ex))
			if key == "" {
				continue
			}
			in.Exclusions = append(in.Exclusions, ex)
			t.exclusions[key] = append(t.exclusions[key], idx)
			r, _ := utf8.DecodeRuneInString(key)
			t.exclFirst[r] = max(t.exclFirst[r], utf8.RuneCountInString(key))
		}
	}
	t.instruments = append(t.instruments, in)
	t.instrByID[in.ID] = idx
	return nil
}

// keywordWeight is the evidence one match of a keyword gives: a longer keyword is
// more specific. Weak keywords (marked "~") give little on their own.
func keywordWeight(key string, weak bool) float64 {
	if weak {
		return 0.3
	}
	n := utf8.RuneCountInString(key)
	if r, _ := utf8.DecodeRuneInString(key); r < utf8.RuneSelf {
		// English: one word, or several.
		if strings.Contains(key, " ") || strings.Contains(key, "-") {
			return 0.85
		}
		return 0.5
	}
	switch {
	case n >= 4:
		return 0.85
	case n == 3:
		return 0.7
	default:
		return 0.5
	}
}

func (t *tables) addCue(_ int, f []string) error {
	c := negationCue{cue: []rune(foldString(f[0]))}
	switch f[1] {
	case "after":
	case "before":
		c.before = true
	default:
		return fmt.Errorf("side %q, expected after or before", f[1])
	}
	switch f[2] {
	case "sentence":
		c.sentence = true
	case "clause":
	default:
		return fmt.Errorf("scope %q, expected sentence or clause", f[2])
	}
	if len(c.cue) == 0 {
		return fmt.Errorf("empty cue")
	}
	c.english = c.cue[0] < utf8.RuneSelf
	t.cues = append(t.cues, c)
	// Longer cues first, so 不得享受 is found before 不得.
	sort.SliceStable(t.cues, func(i, j int) bool { return len(t.cues[i].cue) > len(t.cues[j].cue) })
	return nil
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// atoiDigits converts a string of ASCII digits; ok is false on anything else or
// on overflow past 9 digits.
func atoiDigits(s string) (int, bool) {
	if s == "" || len(s) > 9 {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
