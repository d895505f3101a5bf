package firmname

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/tagger"
)

//go:embed data/*.tsv data/*.txt
var dataFS embed.FS

// tables holds everything read from the data files. It is built once, on first
// use, and only read afterwards, so Parse is safe for concurrent use.
type tables struct {
	regions []*Region
	// zhRegions maps the Chinese forms that may begin a name (full names, short
	// names unless flagged nobare, aliases, 自治州 short forms) to their region;
	// regionKeys maps every form, Latin and codes included, for LookupRegion.
	zhRegions     map[string]*Region
	zhRegionMax   int          // the longest key of zhRegions, in runes
	zhRegionFirst map[rune]int // the longest key starting with each character
	enRegions     map[string]*Region
	regionKeys    map[string]*Region
	codes         map[string]*Region // GB/T 2260 codes, former ones included
	notRegions    []string
	provinces     map[string]string // 2-digit code → short name

	zhLegal     map[rune][]legalForm // by last character, longest first
	zhLegalForm map[string]bool      // every Chinese form
	enLegal     []legalForm          // longest first, in tokens

	zhIndustry    map[string]bool
	zhIndustryMax int // in runes
	enIndustry    map[string]bool
	abbrev        map[string]string

	pyWords   map[string][]string // word → syllables
	pyChars   map[rune]string
	pyWordMax int

	simplifier tagger.Simplifier
	trad       []uint64 // see buildTrad
}

// legalForm is one line of legal-forms.tsv.
type legalForm struct {
	form      string   // zh: the folded text
	tokens    []string // en: the form's tokens
	canonical string
	group     bool
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
	t := &tables{}
	var err error
	if t.simplifier, err = tagger.Builtin(); err != nil {
		return nil, err
	}
	t.buildTrad()
	for _, step := range []func() error{t.loadRegions, t.loadNotRegions, t.loadLegal, t.loadIndustry, t.loadAbbrev, t.loadPinyin} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// readLines calls line for each line of a data file that is neither blank nor a
// comment, with its tab-separated fields.
func readLines(name string, line func(n int, fields []string) error) error {
	f, err := dataFS.Open(name)
	if err != nil {
		return cipmap.WrapError(cipmap.EINTERNAL, err, "firmname: open %s", name)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" || strings.HasPrefix(text, "#") {
			continue
		}
		if err := line(n, strings.Split(text, "\t")); err != nil {
			return cipmap.WrapError(cipmap.EINTERNAL, err, "firmname: %s:%d: %q", name, n, text)
		}
	}
	if err := sc.Err(); err != nil {
		return cipmap.WrapError(cipmap.EINTERNAL, err, "firmname: read %s", name)
	}
	return nil
}

// dash reads "-" as empty.
func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// list splits a comma-separated field; "-" is the empty list.
func list(s string) []string {
	if s == "-" || s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

// latinKey is the form in which Latin region names are compared: lower-case
// letters and digits only, so "Hong Kong", "hongkong" and "HONG-KONG" meet.
func latinKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func (t *tables) loadRegions() error {
	t.zhRegions = map[string]*Region{}
	t.zhRegionFirst = map[rune]int{}
	t.enRegions = map[string]*Region{}
	t.regionKeys = map[string]*Region{}
	t.codes = map[string]*Region{}
	t.provinces = map[string]string{}
	// add puts key → r into m and fails when key already names another region.
	add := func(m map[string]*Region, key string, r *Region) error {
		if key == "" {
			return nil
		}
		if old, ok := m[key]; ok && old != r {
			return fmt.Errorf("%q names both %s and %s", key, old.Name, r.Name)
		}
		m[key] = r
		return nil
	}
	err := readLines("data/regions.tsv", func(n int, f []string) error {
		if len(f) != 9 {
			return fmt.Errorf("want 9 fields, have %d", len(f))
		}
		r := &Region{
			Code:     dash(f[0]),
			Name:     f[1],
			Short:    f[2],
			Level:    f[3],
			Province: dash(f[4]),
			City:     dash(f[5]),
			Latin:    f[6],
		}
		switch r.Level {
		case LevelCountry, LevelProvince, LevelMunicipality, LevelAutonomousRegion, LevelSAR, LevelPrefecture, LevelCounty:
		default:
			return fmt.Errorf("unknown level %q", r.Level)
		}
		switch len(r.Code) {
		case 0, 2, 4, 6:
		default:
			return fmt.Errorf("code %q is not 2, 4 or 6 digits", r.Code)
		}
		bare, en := true, true
		for _, fl := range list(f[7]) {
			switch fl {
			case "nobare":
				bare = false
			case "noen":
				en = false
			default:
				return fmt.Errorf("unknown flag %q", fl)
			}
		}
		t.regions = append(t.regions, r)
		if r.Code != "" {
			if err := add(t.codes, r.Code, r); err != nil {
				return err
			}
			if len(r.Code) == 2 {
				t.provinces[r.Code] = r.Short
			}
		}
		zh := []string{r.Name}
		if bare {
			zh = append(zh, r.Short)
		}
		if strings.HasSuffix(r.Name, "自治州") && !strings.HasSuffix(r.Short, "州") {
			zh = append(zh, r.Short+"州") // 恩施州, 延边州
		}
		var latin []string
		if en {
			latin = append(latin, r.Latin)
		}
		for _, a := range list(f[8]) {
			switch {
			case strings.HasPrefix(a, "code:"):
				if err := add(t.codes, strings.TrimPrefix(a, "code:"), r); err != nil {
					return err
				}
			case latinKey(a) != "":
				latin = append(latin, a)
			default:
				zh = append(zh, a)
			}
		}
		for _, k := range zh {
			if err := add(t.zhRegions, k, r); err != nil {
				return err
			}
			if err := add(t.regionKeys, k, r); err != nil {
				return err
			}
			n := utf8.RuneCountInString(k)
			t.zhRegionMax = max(t.zhRegionMax, n)
			first, _ := utf8.DecodeRuneInString(k)
			t.zhRegionFirst[first] = max(t.zhRegionFirst[first], n)
		}
		for _, k := range latin {
			if err := add(t.enRegions, latinKey(k), r); err != nil {
				return err
			}
			if err := add(t.regionKeys, latinKey(k), r); err != nil {
				return err
			}
		}
		// LookupRegion reads a short form even where a name's start does not
		// (阿里, 来宾); a Latin form flagged noen is ambiguous and reads as neither.
		if _, ok := t.regionKeys[r.Short]; !ok {
			t.regionKeys[r.Short] = r
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, r := range t.regions {
		if r.Province != "" && t.regionKeys[r.Province] == nil {
			return cipmap.Errorf(cipmap.EINTERNAL, "firmname: data/regions.tsv: %s: unknown province %q", r.Name, r.Province)
		}
	}
	return nil
}

func (t *tables) loadNotRegions() error {
	return readLines("data/not-regions.txt", func(n int, f []string) error {
		t.notRegions = append(t.notRegions, f[0])
		return nil
	})
}

func (t *tables) loadLegal() error {
	var zh []legalForm
	err := readLines("data/legal-forms.tsv", func(n int, f []string) error {
		if len(f) != 4 {
			return fmt.Errorf("want 4 fields, have %d", len(f))
		}
		lf := legalForm{form: f[1], canonical: f[2]}
		switch f[3] {
		case "legal":
		case "group":
			lf.group = true
		default:
			return fmt.Errorf("unknown kind %q", f[3])
		}
		switch f[0] {
		case "zh":
			zh = append(zh, lf)
		case "en":
			lf.tokens = strings.Fields(f[1])
			t.enLegal = append(t.enLegal, lf)
		default:
			return fmt.Errorf("unknown script %q", f[0])
		}
		return nil
	})
	if err != nil {
		return err
	}
	sort.SliceStable(zh, func(i, j int) bool { return len(zh[i].form) > len(zh[j].form) })
	t.zhLegal = map[rune][]legalForm{}
	t.zhLegalForm = map[string]bool{}
	for _, lf := range zh {
		t.zhLegalForm[lf.form] = true
		r, _ := utf8.DecodeLastRuneInString(lf.form)
		t.zhLegal[r] = append(t.zhLegal[r], lf)
	}
	sort.SliceStable(t.enLegal, func(i, j int) bool { return len(t.enLegal[i].tokens) > len(t.enLegal[j].tokens) })
	return nil
}

func (t *tables) loadIndustry() error {
	t.zhIndustry = map[string]bool{}
	t.enIndustry = map[string]bool{}
	err := readLines("data/industry-zh.txt", func(n int, f []string) error {
		w := f[0]
		if utf8.RuneCountInString(w) < 2 {
			return fmt.Errorf("industry words have two characters or more")
		}
		t.zhIndustry[w] = true
		t.zhIndustryMax = max(t.zhIndustryMax, utf8.RuneCountInString(w))
		return nil
	})
	if err != nil {
		return err
	}
	return readLines("data/industry-en.txt", func(n int, f []string) error {
		t.enIndustry[f[0]] = true
		return nil
	})
}

func (t *tables) loadAbbrev() error {
	t.abbrev = map[string]string{}
	return readLines("data/abbreviations.tsv", func(n int, f []string) error {
		if len(f) != 3 {
			return fmt.Errorf("want 3 fields, have %d", len(f))
		}
		if _, ok := t.abbrev[f[0]]; ok {
			return fmt.Errorf("%q is listed twice", f[0])
		}
		t.abbrev[f[0]] = f[1]
		return nil
	})
}

func (t *tables) loadPinyin() error {
	t.pyWords = map[string][]string{}
	t.pyChars = map[rune]string{}
	return readLines("data/pinyin-overrides.tsv", func(n int, f []string) error {
		if len(f) < 2 {
			return fmt.Errorf("want a word, a tab and its pinyin")
		}
		word, syl := f[0], strings.Fields(f[1])
		if utf8.RuneCountInString(word) != len(syl) {
			return fmt.Errorf("%d characters but %d syllables", utf8.RuneCountInString(word), len(syl))
		}
		for _, s := range syl {
			if strings.Trim(s, "abcdefghijklmnopqrstuvwxyz") != "" {
				return fmt.Errorf("syllable %q is not lower-case a-z", s)
			}
		}
		if len(syl) == 1 {
			r, _ := utf8.DecodeRuneInString(word)
			if _, ok := t.pyChars[r]; ok {
				return fmt.Errorf("%q is listed twice", word)
			}
			t.pyChars[r] = syl[0]
			return nil
		}
		if _, ok := t.pyWords[word]; ok {
			return fmt.Errorf("%q is listed twice", word)
		}
		t.pyWords[word] = syl
		t.pyWordMax = max(t.pyWordMax, len(syl))
		return nil
	})
}
