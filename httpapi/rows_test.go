package httpapi

import (
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// Every value in the rows written in Go, links included, is text: the XSS strings
// put in each field come out escaped, and the markup is ours alone.
func TestRowsEscape(t *testing.T) {
	const x = `<script>alert(1)</script>"><img src=x onerror=alert(1)>'&`
	ref := &Ref{ID: x, Schema: "Person", Name: x, NameEn: x}
	prov := Prov{Dataset: x, Source: x, Record: x}
	amount := 1234.5
	out := map[string]string{
		"statements": string(statementRows([]cipmap.Statement{{Property: x, Value: x, Original: x + "!", Dataset: x, Source: x}})),
		"stakes": string(stakeRows([]Stake{{ID: x, Name: x, Kind: x, Direct: &Share{Text: x}, Effective: Share{Text: x}, Approx: true},
			{ID: x, Kind: "firm"}})),
		"staff":        string(staffRows([]Role{{Person: ref, Role: x, Start: x, End: x, Prov: prov}})),
		"flows":        string(flowRows([]Flow{{Channel: x, From: ref, Amount: &amount, Currency: x, Date: x, Label: x, Prov: prov}})),
		"designations": string(designationRows([]Designation{{Program: ref, Year: x, ListName: x, Batch: x, Prov: prov}})),
	}
	escaped := "&lt;script&gt;alert(1)&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=alert(1)&gt;&#39;&amp;"
	for name, html := range out {
		if strings.Contains(html, "<script") || strings.Contains(html, "<img") || strings.Contains(html, `">`+"<") && strings.Contains(html, "onerror=alert(1)>") {
			t.Errorf("%s: markup from the data: %s", name, html)
		}
		if !strings.Contains(html, escaped) {
			t.Errorf("%s: a value not shown as escaped text: %s", name, html)
		}
		if strings.Count(html, "<tr>") != strings.Count(html, "</tr>") || !strings.HasPrefix(html, "<tr><td>") {
			t.Errorf("%s: rows not whole: %s", name, html)
		}
	}
	// Links: ids in paths are escaped as URL path segments.
	for _, name := range []string{"staff", "flows", "designations", "stakes"} {
		if !strings.Contains(out[name], `href="/`) || strings.Contains(out[name], `href="/persons/<`) {
			t.Errorf("%s: links %s", name, out[name])
		}
	}
	if !strings.Contains(out["staff"], `<a href="/entities/%3Cscript%3Ealert%281%29%3C%2Fscript%3E%22%3E%3Cimg%20src=x%20onerror=alert%281%29%3E%27&amp;">`) {
		t.Errorf("staff: the provenance link: %s", out["staff"])
	}
	if !strings.Contains(out["flows"], `1,234.50 `) {
		t.Errorf("flows: the amount: %s", out["flows"])
	}
}
