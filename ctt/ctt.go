package ctt

import (
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"

	"github.com/cipmap/cipmap"
	"gopkg.in/yaml.v3"
)

// Version is the version of the standard that the package embeds.
const Version = "1"

// MaxLevel is the deepest level a tag may have: domain (1), field (2), technology
// (3), sub-technology (4).
const MaxLevel = 4

// The code systems a tag may link to.
const (
	SEI2018 = "sei2018" // Strategic Emerging Industries classification (2018)
	MIC2025 = "mic2025" // the ten key sectors of Made in China 2025
	FYP14   = "fyp14"   // the frontier areas of the 14th Five-Year Plan
)

var (
	//go:embed v1/*.yaml
	dataFS embed.FS
	//go:embed systems.yaml
	systemsYAML []byte
	//go:embed sei2018-codes.csv
	seiCSV []byte
)

// Standard is one version of CTT: its tags, parents before children, in the order of
// the files (one per top-level domain) and of the tags within them.
type Standard struct {
	Version string
	Tags    []*cipmap.Tag

	byID     map[string]*cipmap.Tag
	children map[string][]*cipmap.Tag
}

// Tag returns the tag with the given id, or nil.
func (s *Standard) Tag(id string) *cipmap.Tag { return s.byID[id] }

// Children returns the tags whose parent is id, in the standard's order.
func (s *Standard) Children(id string) []*cipmap.Tag {
	if id == "" {
		return nil
	}
	return s.children[id]
}

// Subtree returns id and every tag below it, parents before children; nil for an
// unknown id.
func (s *Standard) Subtree(id string) []string {
	if s.byID[id] == nil {
		return nil
	}
	out := []string{id}
	for i := 0; i < len(out); i++ {
		for _, ch := range s.Children(out[i]) {
			out = append(out, ch.ID)
		}
	}
	return out
}

// Roots returns the top-level tags: the domains.
func (s *Standard) Roots() []*cipmap.Tag { return s.children[""] }

// Path returns the tag with the given id and its ancestors, the root first, or nil
// if there is no such tag.
func (s *Standard) Path(id string) []*cipmap.Tag {
	var p []*cipmap.Tag
	for t := s.byID[id]; t != nil; t = s.byID[t.Parent] {
		p = append(p, t)
	}
	slices.Reverse(p)
	return p
}

// File is one data file of the standard: a top-level domain and all its tags.
type File struct {
	Version string        `yaml:"version"`
	Domain  string        `yaml:"domain"`
	Tags    []*cipmap.Tag `yaml:"tags"`
}

var (
	loadOnce sync.Once
	loaded   *Standard
	loadErr  error
)

// Load returns the embedded standard, parsed and validated. The files are parsed
// once; each call returns its own copy, so a caller may change what it gets.
func Load() (*Standard, error) {
	loadOnce.Do(func() { loaded, loadErr = loadFS(dataFS, "v1") })
	if loadErr != nil {
		return nil, loadErr
	}
	return loaded.clone(), nil
}

// fileName is the name of a data file: two digits, a hyphen and the domain's id.
var fileName = regexp.MustCompile(`^[0-9]{2}-([a-z0-9]+(?:-[a-z0-9]+)*)\.yaml$`)

// loadFS parses the *.yaml files of dir in fsys, in the order of their names, and
// checks them together: one version, each file named after its domain, no id twice.
func loadFS(fsys fs.FS, dir string) (*Standard, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, fmt.Errorf("list CTT files: %w", err)
	}
	if len(names) == 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "ctt: no *.yaml files in %s", dir)
	}
	slices.Sort(names)
	if _, err := registry(); err != nil {
		return nil, err
	}
	s := &Standard{byID: map[string]*cipmap.Tag{}, children: map[string][]*cipmap.Tag{}}
	var errs []string
	where := map[string]string{} // tag id → file
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read CTT file %s: %w", n, err)
		}
		f, err := Parse(n, data)
		if err != nil {
			errs = append(errs, cipmap.ErrorMessage(err))
			continue
		}
		if m := fileName.FindStringSubmatch(path.Base(n)); m == nil || m[1] != f.Domain {
			errs = append(errs, fmt.Sprintf("%s: the file must be named NN-%s.yaml after its domain", n, f.Domain))
		}
		if s.Version == "" {
			s.Version = f.Version
		}
		for _, t := range f.Tags {
			if other, dup := where[t.ID]; dup {
				errs = append(errs, fmt.Sprintf("%s: tag %q: the id is taken by a tag of %s", n, t.ID, other))
				continue
			}
			where[t.ID] = n
			s.add(t)
		}
	}
	if len(errs) > 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	return s, nil
}

// add appends t, whose parent (if any) is in s already, and sets its level.
func (s *Standard) add(t *cipmap.Tag) {
	t.Level = 1
	if p := s.byID[t.Parent]; p != nil {
		t.Level = p.Level + 1
	}
	s.Tags = append(s.Tags, t)
	s.byID[t.ID] = t
	s.children[t.Parent] = append(s.children[t.Parent], t)
}

func (s *Standard) clone() *Standard {
	c := &Standard{Version: s.Version, byID: map[string]*cipmap.Tag{}, children: map[string][]*cipmap.Tag{}}
	for _, t := range s.Tags {
		u := *t
		u.Keywords = cloneWords(t.Keywords)
		u.Synonyms = cloneWords(t.Synonyms)
		u.Exclusions = cloneWords(t.Exclusions)
		u.Links = cloneWords(t.Links)
		c.add(&u)
	}
	return c
}

func cloneWords(m map[string][]string) map[string][]string {
	if m == nil {
		return nil
	}
	c := make(map[string][]string, len(m))
	for k, v := range m {
		c[k] = slices.Clone(v)
	}
	return c
}

var (
	tagID = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	// unknownField rewrites yaml.v3's message for a key that KnownFields rejects.
	unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)
)

// languages are the keys of a tag's keywords, synonyms and exclusions.
var languages = []string{"zh", "en"}

// Parse reads one data file strictly and checks it on its own: unknown and duplicate
// keys, the version, ids (ASCII slugs, each once), parents (the file's domain first,
// every other tag after its parent), depth, names and definitions in both languages,
// keywords (at least one in each language, none twice, Chinese ones holding Chinese
// characters, English ones lower case), exclusions, and links to known codes. name is
// the file's name, used in errors; every error names it, the line and the tag. Parse
// does not set Level; Load does.
func Parse(name string, data []byte) (*File, error) {
	bad := func(format string, args ...any) error {
		return cipmap.Errorf(cipmap.EINVALID, "%s: %s", name, fmt.Sprintf(format, args...))
	}
	reg, err := registry()
	if err != nil {
		return nil, err
	}
	var f File
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, bad("the file is empty")
		}
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = strings.TrimPrefix(msg, "unmarshal errors:\n  ")
		msg = strings.ReplaceAll(msg, "\n  ", "; ")
		return nil, bad("%s", unknownField.ReplaceAllString(msg, `unknown key "$1"`))
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, bad("holds more than one YAML document; a file holds one domain")
	}
	lines := tagLines(data)

	var errs []string
	fail := func(format string, args ...any) {
		errs = append(errs, name+": "+fmt.Sprintf(format, args...))
	}
	if f.Version != Version {
		fail("version %q: want %q", f.Version, Version)
	}
	if !tagID.MatchString(f.Domain) {
		fail("domain %q must be the id of the file's first tag, a lower-case ASCII slug", f.Domain)
	}
	if len(f.Tags) == 0 {
		fail("no tags")
	}
	level := map[string]int{} // id → level, for the tags seen so far
	for i, t := range f.Tags {
		at := name
		if i < len(lines) {
			at = fmt.Sprintf("%s:%d", name, lines[i])
		}
		if t == nil {
			fail("tag %d is empty", i+1)
			continue
		}
		tagFail := func(format string, args ...any) {
			errs = append(errs, fmt.Sprintf("%s: tag %q: %s", at, t.ID, fmt.Sprintf(format, args...)))
		}
		switch _, dup := level[t.ID]; {
		case !tagID.MatchString(t.ID):
			tagFail("the id must be a slug of lower-case ASCII letters and digits joined by single hyphens")
		case dup:
			tagFail("the id appears twice in the file")
		}
		switch {
		case i == 0 && t.ID != f.Domain:
			tagFail("the first tag must be the domain %q", f.Domain)
		case i == 0 && t.Parent != "":
			tagFail("the domain has no parent; remove parent %q", t.Parent)
		case i == 0:
			level[t.ID] = 1
		case t.Parent == "":
			tagFail("no parent: only the file's first tag, its domain, is a root")
		case level[t.Parent] == 0:
			tagFail("parent %q is not an earlier tag of the file", t.Parent)
		case level[t.Parent] >= MaxLevel:
			tagFail("parent %q is at level %d; tags go %d levels deep at most", t.Parent, level[t.Parent], MaxLevel)
		default:
			if _, dup := level[t.ID]; !dup {
				level[t.ID] = level[t.Parent] + 1
			}
		}
		checkLabel(tagFail, "name", t.Name, false)
		// An English definition may quote an official Chinese name.
		checkLabel(tagFail, "definition", t.Definition, true)
		checkWords(tagFail, t)
		checkLinks(tagFail, reg, t.Links)
	}
	if len(errs) > 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	return &f, nil
}

// tagLines returns the line of each item of the file's tags list. The file decoded
// already, so errors here only mean that lines are not known.
func tagLines(data []byte) []int {
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == "tags" {
			var lines []int
			for _, n := range m.Content[i+1].Content {
				lines = append(lines, n.Line)
			}
			return lines
		}
	}
	return nil
}

func checkLabel(fail func(string, ...any), field string, l cipmap.Label, hanInEN bool) {
	if strings.TrimSpace(l.ZH) == "" {
		fail("%s.zh is missing", field)
	} else if !hasHan(l.ZH) {
		fail("%s.zh %q holds no Chinese character", field, l.ZH)
	}
	if strings.TrimSpace(l.EN) == "" {
		fail("%s.en is missing", field)
	} else if !hanInEN && hasHan(l.EN) {
		fail("%s.en %q holds Chinese characters", field, l.EN)
	}
}

// checkWords checks a tag's keywords, synonyms and exclusions.
func checkWords(fail func(string, ...any), t *cipmap.Tag) {
	for _, lang := range languages {
		if len(t.Keywords[lang]) == 0 {
			fail("keywords.%s: at least one is needed", lang)
		}
	}
	seen := map[string]string{} // folded word → field it is in
	for _, field := range []struct {
		key   string
		words map[string][]string
	}{{"keywords", t.Keywords}, {"synonyms", t.Synonyms}, {"exclusions", t.Exclusions}} {
		for _, lang := range slices.Sorted(maps.Keys(field.words)) {
			if !slices.Contains(languages, lang) {
				fail("%s: unknown language %q; want zh or en", field.key, lang)
				continue
			}
			for _, w := range field.words[lang] {
				where := field.key + "." + lang
				switch {
				case strings.TrimSpace(w) == "":
					fail("%s: an empty word", where)
					continue
				case strings.TrimSpace(w) != w || strings.ContainsAny(w, "\t\n\r"):
					fail("%s: %q has spaces around it or a line break", where, w)
				case lang == "zh" && !hasHan(w):
					fail("%s: %q holds no Chinese character; put it under en", where, w)
				case lang == "en" && hasHan(w):
					fail("%s: %q holds Chinese characters; put it under zh", where, w)
				case lang == "en" && strings.ToLower(w) != w:
					fail("%s: %q must be lower case", where, w)
				}
				k := foldWord(w)
				if prev, dup := seen[k]; dup {
					fail("%s: %q is also in %s", where, w, prev)
					continue
				}
				seen[k] = where
			}
		}
	}
}

func checkLinks(fail func(string, ...any), reg *codeRegistry, links map[string][]string) {
	for _, sys := range slices.Sorted(maps.Keys(links)) {
		codes, ok := reg.codes[sys]
		if !ok {
			fail("links: unknown code system %q; want one of %s", sys, strings.Join(reg.ids, ", "))
			continue
		}
		if len(links[sys]) == 0 {
			fail("links.%s: no codes", sys)
		}
		seen := map[string]bool{}
		for _, c := range links[sys] {
			switch {
			case seen[c]:
				fail("links.%s: %q appears twice", sys, c)
			case !slices.ContainsFunc(codes, func(k cipmap.Code) bool { return k.Code == c }):
				fail("links.%s: %q is not a code of %s", sys, c, sys)
			}
			seen[c] = true
		}
	}
}

// foldWord is w as far as matching is concerned: lower case, hyphens as spaces.
func foldWord(w string) string {
	return strings.ReplaceAll(strings.ToLower(w), "-", " ")
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// codeRegistry holds the code systems tags link to and their codes.
type codeRegistry struct {
	ids     []string
	systems []cipmap.CodeSystem
	codes   map[string][]cipmap.Code
}

// registry parses systems.yaml and sei2018-codes.csv once.
var registry = sync.OnceValues(func() (*codeRegistry, error) {
	return parseRegistry(systemsYAML, seiCSV)
})

// Systems returns the code systems that tags may link to: SEI2018, MIC2025, FYP14.
func Systems() ([]cipmap.CodeSystem, error) {
	reg, err := registry()
	if err != nil {
		return nil, err
	}
	return slices.Clone(reg.systems), nil
}

// Codes returns the codes of a code system that tags may link to, in the order of
// its source: for SEI2018 each domain ("1") followed by its categories ("1.1", ...).
func Codes(system string) ([]cipmap.Code, error) {
	reg, err := registry()
	if err != nil {
		return nil, err
	}
	codes, ok := reg.codes[system]
	if !ok {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "ctt: no code system %q; want one of %s", system, strings.Join(reg.ids, ", "))
	}
	return slices.Clone(codes), nil
}

func parseRegistry(systems, sei []byte) (*codeRegistry, error) {
	var files []struct {
		cipmap.CodeSystem `yaml:",inline"`
		Codes             []struct {
			Code string       `yaml:"code"`
			Name cipmap.Label `yaml:"name"`
		} `yaml:"codes"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(systems))
	dec.KnownFields(true)
	if err := dec.Decode(&files); err != nil {
		return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "ctt: systems.yaml")
	}
	reg := &codeRegistry{codes: map[string][]cipmap.Code{}}
	for _, f := range files {
		reg.ids = append(reg.ids, f.ID)
		reg.systems = append(reg.systems, f.CodeSystem)
		for _, c := range f.Codes {
			reg.codes[f.ID] = append(reg.codes[f.ID], cipmap.Code{System: f.ID, Code: c.Code, Level: 1, Name: c.Name})
		}
	}
	if _, ok := reg.codes[SEI2018]; ok || !slices.Contains(reg.ids, SEI2018) {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "ctt: systems.yaml must name %s and take its codes from sei2018-codes.csv", SEI2018)
	}
	codes, err := parseSEI(sei)
	if err != nil {
		return nil, err
	}
	reg.codes[SEI2018] = codes
	return reg, nil
}

// parseSEI reads sei2018-codes.csv (domain_code,domain_name,sei_code,sei_name).
func parseSEI(data []byte) ([]cipmap.Code, error) {
	bad := func(format string, args ...any) error {
		return cipmap.Errorf(cipmap.EINTERNAL, "ctt: sei2018-codes.csv: %s", fmt.Sprintf(format, args...))
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, bad("%v", err)
	}
	want := []string{"domain_code", "domain_name", "sei_code", "sei_name"}
	if len(rows) == 0 || !slices.Equal(rows[0], want) {
		return nil, bad("the header must be %s", strings.Join(want, ","))
	}
	var codes []cipmap.Code
	seen := map[string]bool{}
	for i, r := range rows[1:] {
		dom, cat := r[0], r[2]
		if !strings.HasPrefix(cat, dom+".") {
			return nil, bad("line %d: category %q is not in domain %q", i+2, cat, dom)
		}
		if !seen[dom] {
			seen[dom] = true
			codes = append(codes, cipmap.Code{System: SEI2018, Code: dom, Level: 1, Name: cipmap.Label{ZH: r[1]}})
		}
		if seen[cat] {
			return nil, bad("line %d: category %q appears twice", i+2, cat)
		}
		seen[cat] = true
		codes = append(codes, cipmap.Code{System: SEI2018, Code: cat, Parent: dom, Level: 2, Name: cipmap.Label{ZH: r[3]}})
	}
	return codes, nil
}
