package httpapi

import (
	"html"
	"html/template"
	"net/url"
	"strings"

	"github.com/cipmap/cipmap"
)

// The rows of the long tables of entity pages (statements, owners and holdings,
// staff, flows, designations) are written here rather than in the templates:
// html/template calls its escapers and the templates' methods through
// reflection, for every value, about 10 µs a row, which made most of the cost of
// a firm page (51 rows on average in the test world: 0.5 ms of 0.6). Every value
// goes through html.EscapeString and every id in a link through url.PathEscape,
// as the templates' contexts would have it; the XSS tests check the pages that
// show them.

// rowWriter builds HTML: s writes markup of ours, t a value as text.
type rowWriter struct{ b strings.Builder }

func (w *rowWriter) s(markup string) *rowWriter { w.b.WriteString(markup); return w }

func (w *rowWriter) t(value string) *rowWriter { w.b.WriteString(html.EscapeString(value)); return w }

// link writes <a href="path">label</a>, path already escaped as a URL (pathOf).
func (w *rowWriter) link(path, label string) *rowWriter {
	return w.s(`<a href="`).t(path).s(`">`).t(label).s(`</a>`)
}

// prov writes the provenance cell's content: the record's dataset, linked, and its
// source.
func (w *rowWriter) prov(p Prov) *rowWriter {
	return w.link("/entities/"+url.PathEscape(p.Record), p.Dataset).s(` <code>`).t(p.Source).s(`</code>`)
}

// ref writes a link to r with its label, or nothing for nil.
func (w *rowWriter) ref(r *Ref) *rowWriter {
	if r != nil {
		w.link(pathOf(r.Schema, r.ID), r.Label())
	}
	return w
}

func (w *rowWriter) html() template.HTML { return template.HTML(w.b.String()) }

// rowsHTML makes a template function of a row writer: the rows as HTML.
func rowsHTML[T any](write func(*rowWriter, []T) *rowWriter) func([]T) template.HTML {
	return func(rows []T) template.HTML {
		var w rowWriter
		return write(&w, rows).html()
	}
}

// The template functions of the rows, for entity pages' templates.
var (
	statementRows   = rowsHTML((*rowWriter).statementRows)
	stakeRows       = rowsHTML((*rowWriter).stakeRows)
	staffRows       = rowsHTML((*rowWriter).staffRows)
	flowRows        = rowsHTML((*rowWriter).flowRows)
	designationRows = rowsHTML((*rowWriter).designationRows)
)

// statementRows writes the rows of a table of statements.
func (w *rowWriter) statementRows(rows []cipmap.Statement) *rowWriter {
	for i := range rows {
		st := &rows[i]
		w.s(`<tr><td>`).t(st.Property).s(`</td><td>`).t(st.Value)
		if st.Original != "" && st.Original != st.Value {
			w.s(` <small class="orig">(`).t(st.Original).s(`)</small>`)
		}
		w.s(`</td><td>`).t(st.Dataset).s(`</td><td><code>`).t(st.Source).s("</code></td></tr>\n")
	}
	return w
}

// stakeRows writes the rows of a table of owners or holdings.
func (w *rowWriter) stakeRows(rows []Stake) *rowWriter {
	for _, st := range rows {
		path := "/entities/"
		if st.Kind == "firm" {
			path = "/firms/"
		}
		label := st.Name
		if label == "" {
			label = st.ID
		}
		w.s(`<tr><td>`).link(path+url.PathEscape(st.ID), label).s(`</td><td>`).t(st.Kind).s(`</td><td>`)
		if st.Direct != nil {
			w.t(st.Direct.Text)
		}
		w.s(`</td><td>`).t(st.Effective.Text)
		if st.Approx {
			w.s(` *`)
		}
		w.s("</td></tr>\n")
	}
	return w
}

// staffRows writes the rows of a firm's table of staff.
func (w *rowWriter) staffRows(rows []Role) *rowWriter {
	for _, r := range rows {
		w.s(`<tr><td>`)
		if r.Person != nil {
			w.ref(r.Person)
			if r.Person.NameEn != "" {
				w.s(` <span class="en">`).t(r.Person.NameEn).s(`</span>`)
			}
		}
		w.s(`</td><td>`).t(r.Role).s(`</td><td>`).t(r.Start).s(`</td><td>`).t(r.End).s(`</td><td>`).prov(r.Prov).s("</td></tr>\n")
	}
	return w
}

// flowRows writes the rows of a firm's table of flows received.
func (w *rowWriter) flowRows(rows []Flow) *rowWriter {
	for _, f := range rows {
		w.s(`<tr><td>`).t(f.Channel).s(`</td><td>`).ref(f.From).s(`</td><td class="num">`).t(fmtAmount(f.Amount, f.Currency)).
			s(`</td><td>`).t(f.Date).s(`</td><td>`).t(f.Label).s(`</td><td>`).prov(f.Prov).s("</td></tr>\n")
	}
	return w
}

// designationRows writes the rows of a firm's table of designations.
func (w *rowWriter) designationRows(rows []Designation) *rowWriter {
	for _, d := range rows {
		w.s(`<tr><td>`).ref(d.Program).s(`</td><td>`).t(d.Year).s(`</td><td>`).t(d.ListName).s(` `).t(d.Batch).
			s(`</td><td>`).prov(d.Prov).s("</td></tr>\n")
	}
	return w
}
