package ingest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"gopkg.in/yaml.v3"
)

// Mapping is a mapping file: where the data is, what dataset it makes, and how each row
// becomes entities, relations and fact rows. See docs/mapping.md for the format.
type Mapping struct {
	// Path is the mapping file; source paths are relative to its folder.
	Path    string      `yaml:"-"`
	Dataset DatasetSpec `yaml:"dataset"`
	Dates   DateSpec    `yaml:"dates"`
	// Source, Entities and Facts describe a dataset of one table. A dataset of
	// several tables lists them in Parts instead (or as well: the top-level table is
	// then the first part).
	Source   SourceSpec   `yaml:"source"`
	Entities []EntitySpec `yaml:"entities"`
	Facts    []FactSpec   `yaml:"facts"`
	Parts    []Part       `yaml:"parts"`

	raw []byte
}

// Part is one source table of a dataset and what its rows make.
type Part struct {
	Source   SourceSpec   `yaml:"source"`
	Entities []EntitySpec `yaml:"entities"`
	Facts    []FactSpec   `yaml:"facts"`
}

// DatasetSpec names the dataset the mapping makes.
type DatasetSpec struct {
	Name    string `yaml:"name"`
	Title   string `yaml:"title"`
	Source  string `yaml:"source"`
	Licence string `yaml:"licence"`
}

// SourceSpec says where the rows come from and how to read them.
type SourceSpec struct {
	Path      string `yaml:"path"` // a file or a glob, relative to the mapping file
	Format    string `yaml:"format"`
	Encoding  string `yaml:"encoding"`
	Sheet     string `yaml:"sheet"`
	Header    int    `yaml:"header"`
	Delimiter string `yaml:"delimiter"`
}

// DateSpec bounds the years a date may have; a date outside is rejected with a reason.
type DateSpec struct {
	MinYear int `yaml:"min_year"`
	MaxYear int `yaml:"max_year"`
	// ExcelSerial reads whole numbers from 10000 to 80000 in date columns as Excel
	// serial dates (44056 is 2020-08-13), as spreadsheets exported to CSV write them.
	ExcelSerial bool `yaml:"excel_serial"`
}

// EntitySpec makes one entity (or relation) of a schema from each row.
type EntitySpec struct {
	// Key names the entity within the mapping, so relations can refer to it.
	Key    string `yaml:"key"`
	Schema string `yaml:"schema"`
	ID     IDSpec `yaml:"id"`
	// When, if set, makes the entity only from rows that meet the condition.
	When *Condition `yaml:"when"`
	// Properties maps property names to where their values come from. An entity with
	// no properties is a reference: it makes an id that relations can point to (an
	// entity that another part or dataset describes) and no statements.
	Properties map[string]ValueSpec `yaml:"properties"`

	schema *cipmap.Schema
	props  []propPlan
}

// IDSpec makes an entity's id: Prefix, then a hash of the key columns' folded values.
// A row whose key columns are all empty makes no entity of this spec. Two mappings
// that use the same prefix and key values make the same id, which is how a relation
// in one table points to an entity described in another.
type IDSpec struct {
	Prefix  string   `yaml:"prefix"`
	Columns []string `yaml:"columns"`
	// Split, if set, splits the first key column at any of these characters and makes
	// one entity per part ("红杉;红杉中国" → two investors). Properties read from that
	// column take the part.
	Split string `yaml:"split"`
}

// Condition tests a row: the column's folded value equals one of Equals, or (with
// Not) none of them.
type Condition struct {
	Column string   `yaml:"column"`
	Equals []string `yaml:"equals"`
	Not    []string `yaml:"not"`
}

// ValueSpec says where a value comes from: a column, several columns, a constant, a
// template over columns, or another entity of the same row. The short form of a
// ValueSpec is a column name.
type ValueSpec struct {
	Column   string   `yaml:"column"`
	Columns  []string `yaml:"columns"`
	Value    string   `yaml:"value"`
	Template string   `yaml:"template"`
	Entity   string   `yaml:"entity"`
	// Type overrides the schema's property type for parsing ("money" parses amounts with
	// their currency).
	Type string `yaml:"type"`
	Lang string `yaml:"lang"`
	// Currency is the currency of amounts that state none.
	Currency string `yaml:"currency"`
	// Scale multiplies plain numbers: 10000 for a column in 万元.
	Scale float64 `yaml:"scale"`
	// Split splits a cell into several values at any of these characters ("、;").
	Split string `yaml:"split"`
	// Dates overrides the mapping's year bounds for this value.
	MinYear int `yaml:"min_year"`
	MaxYear int `yaml:"max_year"`
	// Invalid says what a value that does not parse does: "error" (the default)
	// makes the row an error; "drop" drops the value, keeps the rest of the row and
	// reports the value in the summary's Dropped list (file, line, column, value,
	// reason). Use it for identifiers in noisy extracts: a mistyped credit code is
	// reported and never used, and the record is not lost.
	Invalid string `yaml:"invalid"`
}

// UnmarshalYAML accepts a bare column name as a ValueSpec.
func (v *ValueSpec) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		v.Column = n.Value
		return nil
	}
	type plain ValueSpec
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*v = ValueSpec(p)
	return nil
}

// FactSpec makes one row of a typed fact table from each row.
type FactSpec struct {
	Table   string               `yaml:"table"`
	Columns map[string]ValueSpec `yaml:"columns"`

	cols  []string   // the table's columns, in order
	plans []propPlan // aligned with cols; a zero plan for a column not mapped
}

// decodeStrict decodes n into out, refusing unknown keys.
func decodeStrict(n *yaml.Node, out any) error {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	if err := enc.Encode(n); err != nil {
		return err
	}
	dec := yaml.NewDecoder(&buf)
	dec.KnownFields(true)
	return dec.Decode(out)
}

// LoadMapping reads and checks a mapping file against the schemas.
func LoadMapping(path string, schemas cipmap.Schemas) (*Mapping, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, cipmap.Errorf(cipmap.ENOTFOUND, "mapping file %s does not exist", path)
		}
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "read mapping %s", path)
	}
	return ParseMapping(path, data, schemas)
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

// ParseMapping parses mapping text; path names it in errors and anchors source paths.
func ParseMapping(path string, data []byte, schemas cipmap.Schemas) (*Mapping, error) {
	m := &Mapping{Path: path, raw: data}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(m); err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "yaml: ")
		msg = yamlLineRe.ReplaceAllString(msg, path+":$1")
		return nil, cipmap.Errorf(cipmap.EINVALID, "mapping %s: %s", path, msg)
	}
	m.Path = path
	if err := m.check(schemas); err != nil {
		return nil, err
	}
	return m, nil
}

var nameRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]*$`)

// check validates the mapping and resolves schemas and properties.
func (m *Mapping) check(schemas cipmap.Schemas) error {
	bad := func(format string, args ...any) error {
		return cipmap.Errorf(cipmap.EINVALID, "mapping %s: %s", m.Path, fmt.Sprintf(format, args...))
	}
	if !nameRe.MatchString(m.Dataset.Name) {
		return bad("dataset.name %q must be lower-case letters, digits, '-', '_' or '.'", m.Dataset.Name)
	}
	if m.Source.Path != "" || len(m.Entities) > 0 || len(m.Facts) > 0 {
		m.Parts = append([]Part{{Source: m.Source, Entities: m.Entities, Facts: m.Facts}}, m.Parts...)
		m.Source, m.Entities, m.Facts = SourceSpec{}, nil, nil
	}
	if len(m.Parts) == 0 {
		return bad("no source: give source (and entities or facts), or parts")
	}
	for i := range m.Parts {
		if err := m.checkPart(&m.Parts[i], schemas); err != nil {
			if len(m.Parts) > 1 {
				return bad("parts[%d]: %s", i, strings.TrimPrefix(err.Error(), "mapping "+m.Path+": "))
			}
			return err
		}
	}
	return nil
}

// checkPart validates one part of the mapping.
func (m *Mapping) checkPart(part *Part, schemas cipmap.Schemas) error {
	bad := func(format string, args ...any) error {
		return cipmap.Errorf(cipmap.EINVALID, "mapping %s: %s", m.Path, fmt.Sprintf(format, args...))
	}
	if part.Source.Path == "" {
		return bad("source.path is missing")
	}
	switch strings.ToLower(part.Source.Encoding) {
	case "", "auto", "utf-8", "utf8", "gbk", "gb18030":
	default:
		return bad("source.encoding %q: expected utf-8, gbk, gb18030 or auto", part.Source.Encoding)
	}
	if len(part.Entities) == 0 && len(part.Facts) == 0 {
		return bad("nothing to make: give entities or facts")
	}
	keys := map[string]*EntitySpec{}
	for i := range part.Entities {
		e := &part.Entities[i]
		if e.Key == "" {
			return bad("entities[%d]: key is missing", i)
		}
		if keys[e.Key] != nil {
			return bad("entity key %q is used twice", e.Key)
		}
		keys[e.Key] = e
		s, err := schemas.Get(e.Schema)
		if err != nil {
			return bad("entity %s: %s", e.Key, cipmap.ErrorMessage(err))
		}
		e.schema = s
		if len(e.ID.Columns) == 0 {
			return bad("entity %s: id.columns is missing (the columns whose values identify the entity)", e.Key)
		}
		if e.ID.Prefix == "" {
			e.ID.Prefix = m.Dataset.Name + "-" + e.Key
		}
		if e.When != nil && e.When.Column == "" {
			return bad("entity %s: when.column is missing", e.Key)
		}
	}
	for i := range part.Entities {
		e := &part.Entities[i]
		names := make([]string, 0, len(e.Properties))
		for n := range e.Properties {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, name := range names {
			spec := e.Properties[name]
			p := e.schema.Property(name)
			if p == nil {
				return bad("entity %s: schema %s has no property %q; it has: %s", e.Key, e.schema.Name, name, strings.Join(e.schema.PropertyNames(), ", "))
			}
			plan, err := m.plan(spec, p.Type, p.Format, keys)
			if err != nil {
				return bad("entity %s, property %s: %s", e.Key, name, err)
			}
			if p.Type == cipmap.TypeEntity && spec.Entity == "" {
				return bad("entity %s, property %s: an entity property takes `entity: KEY` naming another entity of the mapping", e.Key, name)
			}
			plan.prop = p
			e.props = append(e.props, plan)
		}
	}
	for i := range part.Facts {
		f := &part.Facts[i]
		cols, ok := cipmap.FactTables[f.Table]
		if factTypes[f.Table] == nil {
			ok = false
		}
		if !ok {
			return bad("facts[%d]: unknown table %q; fact tables are financials, trade_flows and patent_facts", i, f.Table)
		}
		for c := range f.Columns {
			if !contains(cols, c) {
				return bad("facts %s: no column %q; it has: %s", f.Table, c, strings.Join(cols, ", "))
			}
		}
		for _, c := range factRequired[f.Table] {
			if _, ok := f.Columns[c]; !ok {
				return bad("facts %s: column %q is required", f.Table, c)
			}
		}
		f.cols = cols
		f.plans = make([]propPlan, len(cols))
		for i, c := range cols {
			spec, ok := f.Columns[c]
			if !ok {
				continue
			}
			typ := factTypes[f.Table][c]
			if spec.Entity == "" && typ == cipmap.TypeEntity {
				typ = cipmap.TypeText // an entity id given as a column value
			}
			plan, err := m.plan(spec, typ, "", keys)
			if err != nil {
				return bad("facts %s, column %s: %s", f.Table, c, err)
			}
			plan.numeric = true
			f.plans[i] = plan
		}
	}
	return nil
}

var factRequired = map[string][]string{
	"financials":   {"entity_id", "year"},
	"trade_flows":  {"year", "reporter", "partner", "hs6"},
	"patent_facts": {"patent_id"},
}

var factTypes = map[string]map[string]cipmap.PropertyType{
	"financials": {"entity_id": cipmap.TypeEntity, "year": cipmap.TypeYear, "currency": cipmap.TypeCurrency,
		"revenue": cipmap.TypeAmount, "export_revenue": cipmap.TypeAmount, "loans": cipmap.TypeAmount,
		"subsidies": cipmap.TypeAmount, "employees": cipmap.TypeInteger},
	"trade_flows": {"year": cipmap.TypeYear, "reporter": cipmap.TypeCountry, "partner": cipmap.TypeCountry,
		"hs6": cipmap.TypeCode, "flow": cipmap.TypeText, "value": cipmap.TypeAmount, "currency": cipmap.TypeCurrency,
		"quantity": cipmap.TypeNumber, "quantity_unit": cipmap.TypeText},
	// A patent's applicant_id (and applicant_name) may give several values, with
	// `split` or from an entity with several ids: each applicant gets a row. Its ipc
	// may give several codes, stored joined by ";".
	"patent_facts": {"patent_id": cipmap.TypeText, "applicant_id": cipmap.TypeEntity, "applicant_name": cipmap.TypeText,
		"applicants": cipmap.TypeInteger, "office": cipmap.TypeText, "kind": cipmap.TypeText,
		"application_number": cipmap.TypeText, "title": cipmap.TypeText, "ipc": cipmap.TypeText, "ipc_main": cipmap.TypeText,
		"year": cipmap.TypeYear, "application_date": cipmap.TypeDate, "publication_date": cipmap.TypeDate,
		"grant_date": cipmap.TypeDate, "status": cipmap.TypeText, "region": cipmap.TypeText},
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// plan checks a value spec and compiles it.
func (m *Mapping) plan(spec ValueSpec, typ cipmap.PropertyType, format string, keys map[string]*EntitySpec) (propPlan, error) {
	p := propPlan{spec: spec, typ: typ, format: format}
	n := 0
	for _, set := range []bool{spec.Column != "", len(spec.Columns) > 0, spec.Value != "", spec.Template != "", spec.Entity != ""} {
		if set {
			n++
		}
	}
	if n != 1 {
		return p, fmt.Errorf("give exactly one of column, columns, value, template or entity")
	}
	switch spec.Invalid {
	case "", "error", "drop":
	default:
		return p, fmt.Errorf("invalid: %q: expected error or drop", spec.Invalid)
	}
	if spec.Entity != "" {
		if keys[spec.Entity] == nil {
			return p, fmt.Errorf("no entity with key %q in this mapping", spec.Entity)
		}
		if typ != cipmap.TypeEntity {
			return p, fmt.Errorf("`entity:` is for entity properties; this one is of type %s", typ)
		}
	}
	if spec.Type != "" {
		switch spec.Type {
		case "money":
			p.typ = cipmap.TypeAmount
		default:
			t := cipmap.PropertyType(spec.Type)
			ok := false
			for _, k := range cipmap.PropertyTypes {
				ok = ok || k == t
			}
			if !ok {
				return p, fmt.Errorf("unknown type %q", spec.Type)
			}
			p.typ = t
		}
	}
	if spec.Template != "" {
		p.tmpl = parseTemplate(spec.Template)
	}
	return p, nil
}

// templatePart is a literal or a {column} reference.
type templatePart struct {
	text   string
	column bool
}

func parseTemplate(s string) []templatePart {
	var out []templatePart
	for s != "" {
		i := strings.IndexByte(s, '{')
		j := strings.IndexByte(s, '}')
		if i < 0 || j < i {
			out = append(out, templatePart{text: s})
			break
		}
		if i > 0 {
			out = append(out, templatePart{text: s[:i]})
		}
		out = append(out, templatePart{text: s[i+1 : j], column: true})
		s = s[j+1:]
	}
	return out
}

// Files expands the source path of a part into files, relative to the mapping's
// folder.
func (m *Mapping) Files(part *Part) ([]string, error) {
	pattern := part.Source.Path
	if !filepath.IsAbs(pattern) {
		pattern = filepath.Join(filepath.Dir(m.Path), pattern)
	}
	files, err := filepath.Glob(pattern)
	if err != nil {
		return nil, cipmap.Errorf(cipmap.EINVALID, "mapping %s: source.path %q is not a valid pattern: %v", m.Path, part.Source.Path, err)
	}
	if len(files) == 0 {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "mapping %s: source.path %q matches no file (looked for %s)", m.Path, part.Source.Path, pattern)
	}
	sort.Strings(files)
	return files, nil
}
