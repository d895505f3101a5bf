package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cipmap/cipmap"
)

func load(t *testing.T) cipmap.Schemas {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s
}

// The schemas and properties a researcher relies on, with their types.
var mustHave = map[string]map[string]cipmap.PropertyType{
	"Firm": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "alias": cipmap.TypeName, "short_name": cipmap.TypeName,
		"previous_name": cipmap.TypeName, "uscc": cipmap.TypeIdentifier, "org_code": cipmap.TypeIdentifier,
		"lei": cipmap.TypeIdentifier, "stock_code": cipmap.TypeIdentifier, "registration_number": cipmap.TypeIdentifier,
		"legal_form": cipmap.TypeText, "legal_representative": cipmap.TypeName, "founded": cipmap.TypeDate,
		"dissolved": cipmap.TypeDate, "status": cipmap.TypeText, "registered_capital": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency, "region": cipmap.TypeText, "province": cipmap.TypeText, "city": cipmap.TypeText,
		"address": cipmap.TypeText, "industry": cipmap.TypeCode, "business_scope": cipmap.TypeText,
		"website": cipmap.TypeURL, "country": cipmap.TypeCountry, "notes": cipmap.TypeText, "source_url": cipmap.TypeURL,
	},
	"Person": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "alias": cipmap.TypeName, "gender": cipmap.TypeText,
		"birth_date": cipmap.TypeDate, "nationality": cipmap.TypeCountry, "position": cipmap.TypeText, "notes": cipmap.TypeText,
	},
	"Fund": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "short_name": cipmap.TypeName, "uscc": cipmap.TypeIdentifier,
		"registration_number": cipmap.TypeIdentifier, "fund_type": cipmap.TypeText, "target_size": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency, "manager_name": cipmap.TypeName, "level": cipmap.TypeText, "region": cipmap.TypeText,
		"vintage": cipmap.TypeYear, "sectors": cipmap.TypeText, "founded": cipmap.TypeDate,
	},
	"GovBody": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "alias": cipmap.TypeName, "short_name": cipmap.TypeName,
		"level": cipmap.TypeText, "region": cipmap.TypeText, "kind": cipmap.TypeText, "parent_name": cipmap.TypeName,
		"website": cipmap.TypeURL,
	},
	"Policy": {
		"title": cipmap.TypeText, "title_en": cipmap.TypeText, "document_number": cipmap.TypeCode,
		"issuer_name": cipmap.TypeName, "date": cipmap.TypeDate, "effective_date": cipmap.TypeDate,
		"expiry_date": cipmap.TypeDate, "level": cipmap.TypeText, "region": cipmap.TypeText, "category": cipmap.TypeText,
		"text": cipmap.TypeText, "summary": cipmap.TypeText, "url": cipmap.TypeURL, "status": cipmap.TypeText,
	},
	"Program": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "description": cipmap.TypeText, "start_date": cipmap.TypeDate,
		"end_date": cipmap.TypeDate, "level": cipmap.TypeText, "issuer_name": cipmap.TypeName, "url": cipmap.TypeURL,
	},
	"Patent": {
		"application_number": cipmap.TypeIdentifier, "publication_number": cipmap.TypeIdentifier,
		"title": cipmap.TypeText, "title_en": cipmap.TypeText, "abstract": cipmap.TypeText,
		"applicant_name": cipmap.TypeName, "ipc": cipmap.TypeCode, "application_date": cipmap.TypeDate,
		"publication_date": cipmap.TypeDate, "grant_date": cipmap.TypeDate, "office": cipmap.TypeText,
		"status": cipmap.TypeText,
	},
	"Product": {
		"name": cipmap.TypeName, "name_en": cipmap.TypeName, "hs_code": cipmap.TypeCode,
		"description": cipmap.TypeText, "unit": cipmap.TypeText,
	},
	"Ownership": {
		"owner": cipmap.TypeEntity, "asset": cipmap.TypeEntity, "percentage": cipmap.TypePercentage,
		"shares_count": cipmap.TypeNumber, "capital": cipmap.TypeAmount, "currency": cipmap.TypeCurrency,
		"start_date": cipmap.TypeDate, "end_date": cipmap.TypeDate, "record_date": cipmap.TypeDate, "role": cipmap.TypeText,
	},
	"Control": {
		"controller": cipmap.TypeEntity, "controlled": cipmap.TypeEntity, "control_type": cipmap.TypeText,
		"start_date": cipmap.TypeDate, "end_date": cipmap.TypeDate,
	},
	"Directorship": {
		"director": cipmap.TypeEntity, "organization": cipmap.TypeEntity, "role": cipmap.TypeText,
		"start_date": cipmap.TypeDate, "end_date": cipmap.TypeDate,
	},
	"Investment": {
		"investor": cipmap.TypeEntity, "investee": cipmap.TypeEntity, "amount": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency, "date": cipmap.TypeDate, "year": cipmap.TypeYear, "round": cipmap.TypeText,
		"instrument": cipmap.TypeText, "description": cipmap.TypeText, "sector_label": cipmap.TypeText,
	},
	"Grant": {
		"grantor": cipmap.TypeEntity, "recipient": cipmap.TypeEntity, "amount": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency, "date": cipmap.TypeDate, "year": cipmap.TypeYear,
		"program_name": cipmap.TypeName, "purpose": cipmap.TypeText, "grant_type": cipmap.TypeText,
	},
	"Loan": {
		"lender": cipmap.TypeEntity, "borrower": cipmap.TypeEntity, "amount": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency, "date": cipmap.TypeDate, "maturity_date": cipmap.TypeDate,
		"interest_rate": cipmap.TypePercentage, "purpose": cipmap.TypeText,
	},
	"Contract": {
		"buyer": cipmap.TypeEntity, "supplier": cipmap.TypeEntity, "end_user": cipmap.TypeEntity,
		"authority": cipmap.TypeEntity, "title": cipmap.TypeText, "title_en": cipmap.TypeText,
		"description": cipmap.TypeText, "amount": cipmap.TypeAmount, "currency": cipmap.TypeCurrency,
		"date": cipmap.TypeDate, "published_date": cipmap.TypeDate, "deadline": cipmap.TypeDate,
		"procedure": cipmap.TypeText, "project_number": cipmap.TypeIdentifier, "category": cipmap.TypeText,
	},
	"Listing": {
		"firm": cipmap.TypeEntity, "exchange": cipmap.TypeText, "board": cipmap.TypeText,
		"stock_code": cipmap.TypeIdentifier, "listing_date": cipmap.TypeDate, "amount_raised": cipmap.TypeAmount,
		"currency": cipmap.TypeCurrency,
	},
	"Designation": {
		"program": cipmap.TypeEntity, "firm": cipmap.TypeEntity, "year": cipmap.TypeYear, "date": cipmap.TypeDate,
		"batch": cipmap.TypeText, "list_name": cipmap.TypeText,
	},
	"Issuance": {"policy": cipmap.TypeEntity, "issuer": cipmap.TypeEntity, "role": cipmap.TypeText},
	"Targeting": {
		"policy": cipmap.TypeEntity, "target_tag": cipmap.TypeCode, "target_entity": cipmap.TypeEntity,
		"instrument": cipmap.TypeCode, "weight": cipmap.TypeNumber, "evidence": cipmap.TypeText, "method": cipmap.TypeText,
	},
}

func TestLoadHasTheMustHaveProperties(t *testing.T) {
	schemas := load(t)
	for name, props := range mustHave {
		s := schemas[name]
		if s == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		for pn, want := range props {
			p := s.Property(pn)
			switch {
			case p == nil:
				t.Errorf("%s.%s is missing", name, pn)
			case p.Type != want:
				t.Errorf("%s.%s has type %s, want %s", name, pn, p.Type, want)
			case p.Name != pn:
				t.Errorf("%s.%s has Name %q", name, pn, p.Name)
			}
		}
	}
}

func TestEverySchemaHasNotesAndSourceURL(t *testing.T) {
	for name, s := range load(t) {
		if p := s.Property("notes"); p == nil || p.Type != cipmap.TypeText {
			t.Errorf("%s.notes = %+v, want a text property", name, p)
		}
		if p := s.Property("source_url"); p == nil || p.Type != cipmap.TypeURL {
			t.Errorf("%s.source_url = %+v, want a url property", name, p)
		}
	}
}

func TestFormatsAndRanges(t *testing.T) {
	schemas := load(t)
	for _, tc := range []struct {
		schema, prop, format, rng string
	}{
		{"Firm", "uscc", "uscc", ""},
		{"Firm", "org_code", "org_code", ""},
		{"Firm", "lei", "lei", ""},
		{"Firm", "stock_code", "stock_code", ""},
		{"Firm", "industry", "gbt4754-2017", ""},
		{"Fund", "uscc", "uscc", ""},
		{"Patent", "ipc", "ipc", ""},
		{"Product", "hs_code", "hs2022", ""},
		{"Listing", "stock_code", "stock_code", ""},
		{"Targeting", "target_tag", "ctt", ""},
		{"Targeting", "instrument", "instrument", ""},
		{"Ownership", "owner", "", LegalEntity},
		{"Ownership", "asset", "", LegalEntity},
		{"Directorship", "director", "", "Person"},
		{"Directorship", "organization", "", LegalEntity},
		{"Designation", "program", "", "Program"},
		{"Designation", "firm", "", LegalEntity},
		{"Issuance", "issuer", "", "GovBody"},
		{"Issuance", "policy", "", "Policy"},
		{"Targeting", "policy", "", "Policy"},
		{"Contract", "end_user", "", LegalEntity},
	} {
		p := schemas[tc.schema].Property(tc.prop)
		if p == nil {
			t.Errorf("%s.%s is missing", tc.schema, tc.prop)
			continue
		}
		if p.Format != tc.format || p.Range != tc.rng {
			t.Errorf("%s.%s: format %q, range %q; want %q, %q", tc.schema, tc.prop, p.Format, p.Range, tc.format, tc.rng)
		}
	}
	firm := schemas["Firm"]
	if got, want := strings.Join(firm.Identifiers, ","), "uscc,org_code,lei,stock_code"; got != want {
		t.Errorf("Firm identifiers = %s, want %s", got, want)
	}
	if got := schemas["Patent"].Caption[0]; got != "title" {
		t.Errorf("Patent caption starts with %q, want title", got)
	}
}

func TestEdges(t *testing.T) {
	schemas := load(t)
	for _, tc := range []struct{ schema, source, target string }{
		{"Ownership", "owner", "asset"},
		{"Control", "controller", "controlled"},
		{"Directorship", "director", "organization"},
		{"Investment", "investor", "investee"},
		{"Grant", "grantor", "recipient"},
		{"Loan", "lender", "borrower"},
		{"Contract", "buyer", "supplier"},
		{"Listing", "firm", "exchange_entity"},
		{"Designation", "program", "firm"},
		{"Issuance", "issuer", "policy"},
		{"Targeting", "policy", "target_entity"},
		{"Provision", "provider", "product"},
	} {
		s := schemas[tc.schema]
		if !s.IsEdge() || s.Edge.Source != tc.source || s.Edge.Target != tc.target {
			t.Errorf("%s edge = %+v, want %s → %s", tc.schema, s.Edge, tc.source, tc.target)
		}
	}
	for _, name := range []string{"Firm", "Person", "Fund", "GovBody", "Policy", "Program", "Patent", "Product", "Country"} {
		if schemas[name].IsEdge() {
			t.Errorf("%s has an edge; it is not a relation", name)
		}
	}
}

func TestViews(t *testing.T) {
	want := map[string]string{
		"Firm": "firms", "Person": "persons", "Fund": "funds", "GovBody": "gov_bodies", "Policy": "policies",
		"Program": "programs", "Patent": "patents", "Product": "products", "Ownership": "ownerships",
		"Control": "controls", "Directorship": "directorships", "Investment": "investments", "Grant": "grants",
		"Loan": "loans", "Contract": "contracts", "Listing": "listings", "Designation": "designations",
		"Issuance": "issuances", "Targeting": "targetings", "Country": "countries", "Provision": "provisions",
	}
	schemas := load(t)
	if got := len(schemas); got != len(want) {
		t.Errorf("%d schemas (%v), want %d", got, schemas.Names(), len(want))
	}
	seen := map[string]string{}
	for name, s := range schemas {
		if s.View != want[name] {
			t.Errorf("%s view = %q, want %q", name, s.View, want[name])
		}
		if other, ok := seen[s.View]; ok {
			t.Errorf("view %q belongs to %s and %s", s.View, other, name)
		}
		seen[s.View] = name
	}
}

func TestLoadReturnsACopy(t *testing.T) {
	a := load(t)
	a["Firm"].Properties["name"].Type = cipmap.TypeText
	a["Firm"].Caption[0] = "changed"
	delete(a, "Person")
	b := load(t)
	if b["Firm"].Property("name").Type != cipmap.TypeName || b["Firm"].Caption[0] != "name" || b["Person"] == nil {
		t.Error("a change to what Load returned reached the next Load")
	}
}

// good is a valid schema file for X; the tests below break it one way at a time.
const good = `name: X
label: {en: X, zh: 叉}
description: A test schema.
view: xs
caption: [name]
identifiers: [code]
properties:
  name: {type: name, label: {en: Name, zh: 名称}}
  code: {type: identifier, format: uscc, label: {en: Code, zh: 代码}}
  firm: {type: entity, range: Firm, label: {en: Firm, zh: 企业}}
  other: {type: entity, range: LegalEntity, label: {en: Other, zh: 其他}}
`

// check parses file as X.yaml and validates it beside the real schemas.
func check(t *testing.T, file string) error {
	t.Helper()
	s, err := Parse("X.yaml", []byte(file))
	if err != nil {
		return err
	}
	schemas := load(t)
	schemas["X"] = s
	return Validate(schemas)
}

func TestAGoodSchemaValidates(t *testing.T) {
	if err := check(t, good); err != nil {
		t.Fatal(err)
	}
	if err := check(t, good+"edge: {source: firm, target: other, label: {en: links, zh: 关联}}\n"); err != nil {
		t.Fatalf("with an edge: %v", err)
	}
}

func TestBrokenSchemasNameTheProblem(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"unknown type", strings.Replace(good, "type: name", "type: colour", 1),
			[]string{"X.yaml", "property name", `unknown type "colour"`, "known types: name, text"}},
		{"unknown range", strings.Replace(good, "range: Firm", "range: Company", 1),
			[]string{"X.yaml", "property firm", `range "Company" is not a schema`}},
		{"entity without range", strings.Replace(good, "range: Firm, ", "", 1),
			[]string{"property firm", "needs a range"}},
		{"missing zh label", strings.Replace(good, ", zh: 名称", "", 1),
			[]string{"X.yaml", "property name", `label "Name" has no zh`}},
		{"missing schema label", strings.Replace(good, "label: {en: X, zh: 叉}\n", "", 1),
			[]string{"X.yaml", "label is missing"}},
		{"unknown top-level key", good + "colour: red\n",
			[]string{"X.yaml", "line 12", `unknown key "colour"`}},
		{"unknown property key", strings.Replace(good, "{type: name,", "{type: name, colour: red,", 1),
			[]string{"X.yaml", "line 8", `unknown key "colour"`}},
		{"duplicate key", good + "view: ys\n",
			[]string{"X.yaml", `"view" already defined`}},
		{"name differs from file", strings.Replace(good, "name: X", "name: Y", 1),
			[]string{"X.yaml", `name "Y" does not match the file name`}},
		{"reserved view", strings.Replace(good, "view: xs", "view: grant", 1),
			[]string{"X.yaml", `view "grant" is an SQL reserved word`}},
		{"upper-case view", strings.Replace(good, "view: xs", "view: Xs", 1),
			[]string{"X.yaml", `view "Xs" must be a lower-case SQL name`}},
		{"view taken", strings.Replace(good, "view: xs", "view: firms", 1),
			[]string{"X.yaml", `view "firms" is also the view of Firm`}},
		{"view is a store table", strings.Replace(good, "view: xs", "view: statements", 1),
			[]string{"X.yaml", `view "statements" is the name of a store table`}},
		{"caption names unknown property", strings.Replace(good, "caption: [name]", "caption: [title]", 1),
			[]string{"X.yaml", `caption names unknown property "title"`}},
		{"identifier names unknown property", strings.Replace(good, "identifiers: [code]", "identifiers: [lei]", 1),
			[]string{"X.yaml", `identifiers names unknown property "lei"`}},
		{"edge end is not an entity", good + "edge: {source: name, target: firm, label: {en: a, zh: 甲}}\n",
			[]string{"X.yaml", `edge source "name" is a name property, not an entity property`}},
		{"edge end unknown", good + "edge: {source: firm, target: boss, label: {en: a, zh: 甲}}\n",
			[]string{"X.yaml", `edge target names unknown property "boss"`}},
		{"range on a non-entity", strings.Replace(good, "format: uscc,", "range: Firm,", 1),
			[]string{"property code", `range "Firm" is set, but only entity properties`}},
		{"format on text", strings.Replace(good, "{type: name,", "{type: name, format: uscc,", 1),
			[]string{"property name", `format "uscc" is set, but only identifier and code`}},
		{"property not snake_case", strings.Replace(good, "  name: {", "  Name: {", 1),
			[]string{`property name "Name" must be snake_case`}},
		{"reserved property", good + "  order: {type: integer, label: {en: Order, zh: 顺序}}\n",
			[]string{`property name "order" is an SQL reserved word`}},
		{"view column property", good + "  first_seen: {type: date, label: {en: First, zh: 首次}}\n",
			[]string{`property name "first_seen" is taken by a column every view has`}},
		{"empty property", good + "  blank:\n",
			[]string{"X.yaml", "property blank is empty"}},
		{"empty file", "", []string{"X.yaml", "the file is empty"}},
		{"two documents", good + "---\n" + good, []string{"X.yaml", "more than one YAML document"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := check(t, tc.file)
			if err == nil {
				t.Fatalf("no error; want one mentioning %q", tc.want)
			}
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Errorf("error code %q, want %q", cipmap.ErrorCode(err), cipmap.EINVALID)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadReportsEveryBrokenFile(t *testing.T) {
	fsys := fstest.MapFS{
		"X.yaml": {Data: []byte(strings.Replace(good, "type: name", "type: colour", 1))},
		"Y.yaml": {Data: []byte(strings.NewReplacer("name: X", "name: Y", "view: xs", "view: ys", "range: Firm", "range: Nobody").Replace(good))},
		"Z.yaml": {Data: []byte(good + "colour: red\n")},
	}
	_, err := loadFS(fsys)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{`X.yaml: property name: unknown type "colour"`, `Y.yaml: property firm: range "Nobody"`, `Z.yaml: line 12: unknown key "colour"`} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("error %q does not mention %q", err, w)
		}
	}
}
