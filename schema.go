package cipmap

import (
	"sort"
	"strings"
)

// PropertyType says what kind of value a property holds and so how a raw value is
// parsed and normalised on ingest.
type PropertyType string

// Property types. Values are stored as normalised strings: see each type.
const (
	TypeName       PropertyType = "name"       // a name of an entity, NFKC-folded, whitespace collapsed
	TypeText       PropertyType = "text"       // free text, kept as written (NFKC-folded)
	TypeDate       PropertyType = "date"       // ISO 8601, to the precision given: 2020, 2020-08, 2020-08-13, 2020-08-13T15:57:29
	TypeYear       PropertyType = "year"       // a four-digit year
	TypeAmount     PropertyType = "amount"     // a decimal number in units of the currency, e.g. 120000000 for 1.2亿元
	TypeCurrency   PropertyType = "currency"   // an ISO 4217 code, e.g. CNY
	TypePercentage PropertyType = "percentage" // percent as a decimal number, 60 for 60%; a range as 30..50
	TypeNumber     PropertyType = "number"     // a decimal number
	TypeInteger    PropertyType = "integer"    // a whole number
	TypeCode       PropertyType = "code"       // a code in a classification (HS, GB/T 4754, IPC, ...)
	TypeIdentifier PropertyType = "identifier" // an identifier checked by its format (uscc, lei, stock code)
	TypeEntity     PropertyType = "entity"     // the id of another entity
	TypeCountry    PropertyType = "country"    // an ISO 3166-1 alpha-3 code or a name as given
	TypeURL        PropertyType = "url"        // a URL
)

// PropertyTypes lists every property type, for validation of schema files.
var PropertyTypes = []PropertyType{
	TypeName, TypeText, TypeDate, TypeYear, TypeAmount, TypeCurrency, TypePercentage,
	TypeNumber, TypeInteger, TypeCode, TypeIdentifier, TypeEntity, TypeCountry, TypeURL,
}

// Label is a name in English and Chinese.
type Label struct {
	EN string `json:"en" yaml:"en"`
	ZH string `json:"zh" yaml:"zh"`
}

// Property is one typed property of a schema.
type Property struct {
	Name  string       `json:"name" yaml:"-"`
	Type  PropertyType `json:"type" yaml:"type"`
	Label Label        `json:"label" yaml:"label"`
	// Format refines Type: for identifiers "uscc", "lei", "org_code", "stock_code";
	// for codes the code system ("hs2022", "gbt4754-2017", ...).
	Format string `json:"format,omitempty" yaml:"format,omitempty"`
	// Range is the schema an entity property points to ("Firm", or "LegalEntity" for any
	// of Firm, Person, Fund, GovBody).
	Range string `json:"range,omitempty" yaml:"range,omitempty"`
	// Required properties must have a value in every entity of the schema.
	Required    bool   `json:"required,omitempty" yaml:"required,omitempty"`
	Description string `json:"description,omitempty" yaml:"description,omitempty"`
}

// Schema describes a kind of entity: Firm, Person, ... and the relation kinds
// (Ownership, Contract, ...), which are entities too.
type Schema struct {
	Name        string `json:"name" yaml:"name"`
	Label       Label  `json:"label" yaml:"label"`
	Description string `json:"description" yaml:"description"`
	// View is the name of the SQL view that shows the current values of the schema's
	// entities, one column per property ("firms", "contracts").
	View string `json:"view" yaml:"view"`
	// Caption lists the properties, in order, whose first value names an entity.
	Caption []string `json:"caption" yaml:"caption"`
	// Identifiers lists the properties that identify an entity of this schema.
	Identifiers []string `json:"identifiers" yaml:"identifiers"`
	// Edge is set on relation schemas: the properties that hold the two ends.
	Edge *Edge `json:"edge,omitempty" yaml:"edge,omitempty"`
	// Properties by name.
	Properties map[string]*Property `json:"properties" yaml:"properties"`
}

// Edge names the two entity properties of a relation schema.
type Edge struct {
	Source string `json:"source" yaml:"source"`
	Target string `json:"target" yaml:"target"`
	Label  Label  `json:"label" yaml:"label"`
}

// Property returns the named property or nil.
func (s *Schema) Property(name string) *Property {
	if s == nil {
		return nil
	}
	return s.Properties[name]
}

// PropertyNames returns the names of s's properties, sorted.
func (s *Schema) PropertyNames() []string {
	names := make([]string, 0, len(s.Properties))
	for n := range s.Properties {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// IsEdge reports whether s is a relation schema.
func (s *Schema) IsEdge() bool { return s != nil && s.Edge != nil }

// Schemas is a set of schemas by name.
type Schemas map[string]*Schema

// Get returns the schema named name, case-insensitively, or an EINVALID error that
// lists the known schemas.
func (m Schemas) Get(name string) (*Schema, error) {
	if s, ok := m[name]; ok {
		return s, nil
	}
	for n, s := range m {
		if strings.EqualFold(n, name) {
			return s, nil
		}
	}
	return nil, Errorf(EINVALID, "unknown schema %q; known schemas: %s", name, strings.Join(m.Names(), ", "))
}

// Names returns the schema names, sorted.
func (m Schemas) Names() []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LegalEntitySchemas are the schemas an entity property with Range "LegalEntity" may
// point to.
var LegalEntitySchemas = []string{"Firm", "Person", "Fund", "GovBody"}
