package schema

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
	"gopkg.in/yaml.v3"
)

// Ranges of entity properties that are not schema names.
const (
	// LegalEntity is the range of an entity property that points to any of
	// cipmap.LegalEntitySchemas.
	LegalEntity = "LegalEntity"
	// Any is the range of an entity property that points to an entity of any schema.
	Any = "Any"
)

//go:embed *.yaml
var files embed.FS

var (
	once    sync.Once
	loaded  cipmap.Schemas
	loadErr error
)

// Load returns the embedded schemas, parsed and validated. The files are parsed once;
// each call returns its own copy, so a caller may change what it gets.
func Load() (cipmap.Schemas, error) {
	once.Do(func() { loaded, loadErr = loadFS(files) })
	if loadErr != nil {
		return nil, loadErr
	}
	return clone(loaded), nil
}

// loadFS parses every *.yaml file of fsys and validates them together.
func loadFS(fsys fs.FS) (cipmap.Schemas, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, fmt.Errorf("list schema files: %w", err)
	}
	sort.Strings(names)
	var errs []string
	out := cipmap.Schemas{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, fmt.Errorf("read schema file %s: %w", n, err)
		}
		s, err := Parse(n, data)
		if err != nil {
			errs = append(errs, cipmap.ErrorMessage(err))
			continue
		}
		out[s.Name] = s
	}
	if err := Validate(out); err != nil {
		errs = append(errs, cipmap.ErrorMessage(err))
	}
	if len(errs) > 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	return out, nil
}

// unknownField rewrites yaml.v3's message for a key that KnownFields rejects.
var unknownField = regexp.MustCompile(`field (\S+) not found in type \S+`)

// Parse reads one schema file strictly: unknown and duplicate keys are errors. file is
// the file's name, used in errors, and the schema's name must match it ("Firm.yaml"
// holds Firm). Parse sets each Property.Name from its key; Validate checks the rest.
func Parse(file string, data []byte) (*cipmap.Schema, error) {
	bad := func(format string, args ...any) error {
		return cipmap.Errorf(cipmap.EINVALID, "%s: %s", file, fmt.Sprintf(format, args...))
	}
	var s cipmap.Schema
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
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
		return nil, bad("holds more than one YAML document; a file holds one schema")
	}
	if want := strings.TrimSuffix(path.Base(file), ".yaml"); s.Name != want {
		return nil, bad("name %q does not match the file name; want %q", s.Name, want)
	}
	for name, p := range s.Properties {
		if p == nil {
			return nil, bad("property %s is empty; it needs at least a type and a label", name)
		}
		p.Name = name
	}
	return &s, nil
}

var (
	schemaName   = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	propertyName = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	viewName     = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
	formatName   = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)
)

// reserved holds the reserved words of PostgreSQL and DuckDB (both parse the same
// grammar), which no view or property may be named, so that views and columns can be
// written unquoted.
var reserved = setOf(strings.Fields(`
	all analyse analyze and any array as asc asymmetric authorization binary both case cast
	check collate collation column concurrently constraint create cross current_catalog
	current_date current_role current_schema current_time current_timestamp current_user
	default deferrable desc distinct do else end except false fetch for foreign freeze from
	full grant group having ilike in initially inner intersect into is isnull join lateral
	leading left like limit localtime localtimestamp natural not notnull null offset on only
	or order outer overlaps placing primary references returning right select session_user
	similar some symmetric system_user table tablesample then to trailing true union unique
	user using variadic verbose when where window with`))

// storeNames are the tables and views the stores keep beside the schema views.
var storeNames = setOf([]string{"statement", "statements", "entity", "entities", "dataset", "datasets"})

// viewColumns are the columns every schema view has besides its properties.
var viewColumns = setOf([]string{"id", "datasets", "first_seen", "last_seen"})

func setOf(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Validate checks a set of schemas for consistency: names, labels in both languages,
// views that are valid, unreserved and unique, known property types, ranges that name
// a schema, and captions, identifiers and edges that name properties of the right kind.
// The error lists every problem, each naming its file.
func Validate(schemas cipmap.Schemas) error {
	var errs []string
	views := map[string]string{}
	for _, key := range schemas.Names() {
		s := schemas[key]
		bad := func(format string, args ...any) {
			errs = append(errs, key+".yaml: "+fmt.Sprintf(format, args...))
		}
		if s == nil {
			bad("the schema is empty")
			continue
		}
		if s.Name != key {
			bad("name %q does not match the file name; want %q", s.Name, key)
		}
		if !schemaName.MatchString(key) || key == LegalEntity || key == Any {
			bad("schema name %q must be CamelCase letters and digits, and neither %s nor %s", key, LegalEntity, Any)
		}
		checkLabel(bad, "label", s.Label)
		if strings.TrimSpace(s.Description) == "" {
			bad("description is missing")
		}
		switch {
		case s.View == "":
			bad("view is missing (the SQL view, plural snake_case, such as firms)")
		case !viewName.MatchString(s.View):
			bad("view %q must be a lower-case SQL name: letters, digits and _", s.View)
		case reserved[s.View]:
			bad("view %q is an SQL reserved word", s.View)
		case storeNames[s.View] || cipmap.FactTables[s.View] != nil || strings.HasPrefix(s.View, "cipmap_"):
			bad("view %q is the name of a store table", s.View)
		case views[s.View] != "":
			bad("view %q is also the view of %s", s.View, views[s.View])
		default:
			views[s.View] = key
		}
		if len(s.Properties) == 0 {
			bad("properties are missing")
		}
		for _, pn := range s.PropertyNames() {
			checkProperty(bad, schemas, pn, s.Properties[pn])
		}
		if len(s.Caption) == 0 {
			bad("caption is missing: name the properties whose values name an entity")
		}
		checkList(bad, s, "caption", s.Caption, false)
		checkList(bad, s, "identifiers", s.Identifiers, true)
		if e := s.Edge; e != nil {
			for _, end := range []struct{ key, name string }{{"source", e.Source}, {"target", e.Target}} {
				switch p := s.Properties[end.name]; {
				case end.name == "":
					bad("edge %s is missing", end.key)
				case p == nil:
					bad("edge %s names unknown property %q", end.key, end.name)
				case p.Type != cipmap.TypeEntity:
					bad("edge %s %q is a %s property, not an entity property", end.key, end.name, p.Type)
				}
			}
			if e.Source != "" && e.Source == e.Target {
				bad("edge source and target are both %q", e.Source)
			}
			checkLabel(bad, "edge label", e.Label)
		}
	}
	if len(errs) > 0 {
		return cipmap.Errorf(cipmap.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	return nil
}

func checkLabel(bad func(string, ...any), what string, l cipmap.Label) {
	switch {
	case strings.TrimSpace(l.EN) == "" && strings.TrimSpace(l.ZH) == "":
		bad("%s is missing; it needs both en and zh", what)
	case strings.TrimSpace(l.EN) == "":
		bad("%s %q has no en; it needs both en and zh", what, l.ZH)
	case strings.TrimSpace(l.ZH) == "":
		bad("%s %q has no zh; it needs both en and zh", what, l.EN)
	}
}

func checkProperty(bad func(string, ...any), schemas cipmap.Schemas, name string, p *cipmap.Property) {
	if p == nil {
		bad("property %s is empty", name)
		return
	}
	if !propertyName.MatchString(name) {
		bad("property name %q must be snake_case: lower-case letters, digits and single _", name)
	} else if reserved[name] {
		bad("property name %q is an SQL reserved word", name)
	} else if viewColumns[name] {
		bad("property name %q is taken by a column every view has", name)
	}
	if !slices.Contains(cipmap.PropertyTypes, p.Type) {
		bad("property %s: unknown type %q; known types: %s", name, p.Type, typeList())
	}
	checkLabel(bad, "property "+name+": label", p.Label)
	if p.Type == cipmap.TypeEntity {
		switch {
		case p.Range == "":
			bad("property %s: an entity property needs a range (a schema, %s or %s)", name, LegalEntity, Any)
		case p.Range != LegalEntity && p.Range != Any && schemas[p.Range] == nil:
			bad("property %s: range %q is not a schema, %s or %s", name, p.Range, LegalEntity, Any)
		}
	} else if p.Range != "" {
		bad("property %s: range %q is set, but only entity properties have a range", name, p.Range)
	}
	if p.Format != "" {
		if p.Type != cipmap.TypeIdentifier && p.Type != cipmap.TypeCode {
			bad("property %s: format %q is set, but only identifier and code properties have a format", name, p.Format)
		} else if !formatName.MatchString(p.Format) {
			bad("property %s: format %q must be lower-case, such as uscc or gbt4754-2017", name, p.Format)
		}
	}
}

// checkList checks that the caption or identifiers name distinct properties of s, and
// for identifiers, no entity properties.
func checkList(bad func(string, ...any), s *cipmap.Schema, what string, names []string, identifiers bool) {
	seen := map[string]bool{}
	for _, n := range names {
		p := s.Properties[n]
		switch {
		case p == nil:
			bad("%s names unknown property %q", what, n)
		case seen[n]:
			bad("%s names %q twice", what, n)
		case identifiers && p.Type == cipmap.TypeEntity:
			bad("%s names entity property %q; an identifier is a value, not a link", what, n)
		}
		seen[n] = true
	}
}

func typeList() string {
	names := make([]string, len(cipmap.PropertyTypes))
	for i, t := range cipmap.PropertyTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}

// clone returns a deep copy of m.
func clone(m cipmap.Schemas) cipmap.Schemas {
	out := make(cipmap.Schemas, len(m))
	for name, s := range m {
		c := *s
		c.Caption = slices.Clone(s.Caption)
		c.Identifiers = slices.Clone(s.Identifiers)
		if s.Edge != nil {
			e := *s.Edge
			c.Edge = &e
		}
		c.Properties = make(map[string]*cipmap.Property, len(s.Properties))
		for pn, p := range s.Properties {
			cp := *p
			c.Properties[pn] = &cp
		}
		out[name] = &c
	}
	return out
}
