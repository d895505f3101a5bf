package schema

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cipmap/cipmap"
)

func TestLoad(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		schema, prop string
		typ          cipmap.PropertyType
	}{
		{"Firm", "name", cipmap.TypeName}, {"Firm", "uscc", cipmap.TypeIdentifier}, {"Firm", "founded", cipmap.TypeDate},
		{"Firm", "registered_capital", cipmap.TypeAmount}, {"Firm", "business_scope", cipmap.TypeText},
		{"Person", "name", cipmap.TypeName}, {"Fund", "fund_type", cipmap.TypeText}, {"GovBody", "level", cipmap.TypeText},
		{"Policy", "document_number", cipmap.TypeCode}, {"Program", "name", cipmap.TypeName}, {"Patent", "ipc", cipmap.TypeCode},
		{"Product", "hs_code", cipmap.TypeCode}, {"Ownership", "percentage", cipmap.TypePercentage},
		{"Ownership", "owner", cipmap.TypeEntity}, {"Control", "control_type", cipmap.TypeText},
		{"Directorship", "director", cipmap.TypeEntity}, {"Investment", "amount", cipmap.TypeAmount},
		{"Grant", "recipient", cipmap.TypeEntity}, {"Loan", "interest_rate", cipmap.TypePercentage},
		{"Contract", "supplier", cipmap.TypeEntity}, {"Listing", "board", cipmap.TypeText},
		{"Designation", "year", cipmap.TypeYear}, {"Issuance", "issuer", cipmap.TypeEntity}, {"Targeting", "target_tag", cipmap.TypeCode},
	} {
		sc, err := s.Get(tc.schema)
		if err != nil {
			t.Error(err)
			continue
		}
		p := sc.Property(tc.prop)
		if p == nil || p.Type != tc.typ || p.Name != tc.prop {
			t.Errorf("%s.%s = %+v, want type %s", tc.schema, tc.prop, p, tc.typ)
		}
	}
	if f, _ := s.Get("Firm"); f.Property("uscc").Format != "uscc" || strings.Join(f.Identifiers, ",") != "uscc,org_code,lei,stock_code" {
		t.Errorf("Firm identifiers = %v", f.Identifiers)
	}
	if c, _ := s.Get("Contract"); !c.IsEdge() || c.Edge.Source != "buyer" || c.Edge.Target != "supplier" {
		t.Errorf("Contract edge = %+v", c.Edge)
	}
}

func TestValidateNamesTheProblem(t *testing.T) {
	good := "name: X\nlabel: {en: X, zh: 叉}\nview: xs\nproperties:\n  name: {type: name, label: {en: Name, zh: 名称}}\n"
	for _, tc := range []struct{ file, want string }{
		{strings.Replace(good, "type: name", "type: colour", 1), `unknown type "colour"`},
		{strings.Replace(good, ", zh: 名称", "", 1), "label needs both en and zh"},
		{good + "  boss: {type: entity, label: {en: Boss, zh: 老板}, range: Nobody}\n", `range "Nobody"`},
		{good + "colour: red\n", "colour"},
		{strings.Replace(good, "view: xs", "view: grant", 1), "view"},
		{good + "caption: [title]\n", `unknown property "title"`},
	} {
		_, err := loadFS(fstest.MapFS{"X.yaml": {Data: []byte(tc.file)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("got %v, want an error mentioning %q\n%s", err, tc.want, tc.file)
		}
	}
	if _, err := loadFS(fstest.MapFS{"X.yaml": {Data: []byte(good)}}); err != nil {
		t.Errorf("a good schema: %v", err)
	}
}
