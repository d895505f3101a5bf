// Package schema holds cipmap's schemas as data: one YAML file per schema (Firm,
// Person, Fund, GovBody, ..., and the relations Ownership, Contract, ...), embedded in
// the binary, in the manner of FollowTheMoney. Load parses and validates them.
//
// A relation schema is one with an edge: the two entity properties that are its ends.
// Entity properties name the schema they point to in range: a schema name,
// "LegalEntity" (Firm, Person, Fund or GovBody) or "Any".
package schema

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var files embed.FS

var (
	once    sync.Once
	loaded  cipmap.Schemas
	loadErr error
)

// Load returns the embedded schemas, parsed and validated once.
func Load() (cipmap.Schemas, error) {
	once.Do(func() {
		loaded, loadErr = loadFS(files)
	})
	return loaded, loadErr
}

func loadFS(fsys fs.FS) (cipmap.Schemas, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := cipmap.Schemas{}
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := Parse(n, data)
		if err != nil {
			return nil, err
		}
		if want := strings.TrimSuffix(path.Base(n), ".yaml"); s.Name != want {
			return nil, cipmap.Errorf(cipmap.EINVALID, "schema file %s: name %q does not match the file name", n, s.Name)
		}
		out[s.Name] = s
	}
	return out, Validate(out)
}

// Parse reads one schema file strictly: unknown keys are errors.
func Parse(file string, data []byte) (*cipmap.Schema, error) {
	var s cipmap.Schema
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, cipmap.Errorf(cipmap.EINVALID, "schema file %s: %s", file, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	for name, p := range s.Properties {
		if p == nil {
			return nil, cipmap.Errorf(cipmap.EINVALID, "schema file %s: property %q is empty", file, name)
		}
		p.Name = name
	}
	return &s, nil
}

var viewRe = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// reserved are SQL words no view may be named.
var reserved = map[string]bool{"select": true, "from": true, "where": true, "grant": true, "order": true, "group": true,
	"user": true, "table": true, "check": true, "limit": true, "all": true, "and": true, "or": true, "statement": true,
	"statements": true, "entity": true, "entities": true, "dataset": true, "datasets": true, "financials": true, "trade_flows": true}

// Validate checks a set of schemas for consistency.
func Validate(schemas cipmap.Schemas) error {
	views := map[string]string{}
	known := map[cipmap.PropertyType]bool{}
	for _, t := range cipmap.PropertyTypes {
		known[t] = true
	}
	for _, name := range schemas.Names() {
		s := schemas[name]
		bad := func(format string, args ...any) error {
			return cipmap.Errorf(cipmap.EINVALID, "schema %s: %s", name, fmt.Sprintf(format, args...))
		}
		if s.Label.EN == "" || s.Label.ZH == "" {
			return bad("label needs both en and zh")
		}
		if !viewRe.MatchString(s.View) || reserved[s.View] {
			return bad("view %q must be a lower-case SQL name that is not reserved", s.View)
		}
		if other, ok := views[s.View]; ok {
			return bad("view %q is also the view of %s", s.View, other)
		}
		views[s.View] = name
		if len(s.Properties) == 0 {
			return bad("no properties")
		}
		for _, pn := range s.PropertyNames() {
			p := s.Properties[pn]
			if !known[p.Type] {
				return bad("property %s: unknown type %q", pn, p.Type)
			}
			if p.Label.EN == "" || p.Label.ZH == "" {
				return bad("property %s: label needs both en and zh", pn)
			}
			if p.Type == cipmap.TypeEntity {
				if p.Range == "" {
					return bad("property %s: an entity property needs a range", pn)
				}
				if p.Range != "LegalEntity" && p.Range != "Any" && schemas[p.Range] == nil {
					return bad("property %s: range %q is not a schema", pn, p.Range)
				}
			} else if p.Range != "" {
				return bad("property %s: only entity properties have a range", pn)
			}
		}
		for _, c := range s.Caption {
			if s.Properties[c] == nil {
				return bad("caption names unknown property %q", c)
			}
		}
		for _, c := range s.Identifiers {
			if s.Properties[c] == nil {
				return bad("identifiers name unknown property %q", c)
			}
		}
		if s.Edge != nil {
			for _, end := range []string{s.Edge.Source, s.Edge.Target} {
				if p := s.Properties[end]; p == nil || p.Type != cipmap.TypeEntity {
					return bad("edge end %q is not an entity property", end)
				}
			}
		}
	}
	return nil
}
