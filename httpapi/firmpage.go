package httpapi

import (
	"context"
	"net/url"
	"strconv"
	"strings"
)

// The firm page is written in Go, as the long tables are (rows.go): it is the page
// asked for most, and html/template, which reaches every field and the T method
// through reflection, spent 0.19 ms of the 0.32 ms of CPU of a firm page built
// for the first time at a million firms (cmd/cipmap's BenchmarkFirmPage and a
// profile of scripts/bench-serve.sh). firm.html is kept as the page's reference:
// TestFirmPageTemplate renders every firm of a generated world both ways and
// wants the same bytes, so the two cannot drift apart. Values go through
// html.EscapeString and ids in links through url.PathEscape, as in rows.go; the
// XSS tests read this page too.

// firmPageData is what the firm page shows.
type firmPageData struct {
	Firm    *Firm
	Names   []nameRow
	IDs     []nameRow
	Sectors []firmSector
}

// firmPage is what the page of f shows: its names and identifiers in the order of
// nameProps and idProps, and its sectors.
func (s *Server) firmPage(ctx context.Context, f *Firm) *firmPageData {
	d := &firmPageData{Firm: f, Sectors: s.firmSectors(ctx, f.patentFacts)}
	for _, k := range nameProps {
		if v := f.Names[k]; len(v) > 0 {
			d.Names = append(d.Names, nameRow{k, v})
		}
	}
	for _, k := range idProps {
		if v := f.Identifiers[k]; len(v) > 0 {
			d.IDs = append(d.IDs, nameRow{k, v})
		}
	}
	return d
}

// writeFirmPage writes the firm page of d in p's language, in the layout.
func writeFirmPage(p *page, d *firmPageData) []byte {
	var w rowWriter
	w.b.Grow(16 << 10)
	writeLayout(&w, p, func() { w.firm(p, d) })
	return []byte(w.b.String())
}

// writeLayout writes layout.html around the content.
func writeLayout(w *rowWriter, p *page, content func()) {
	lang := "en"
	other := "中文"
	if p.Lang == "zh" {
		lang, other = "zh-Hans", "English"
	}
	w.s("<!doctype html>\n<html lang=\"").s(lang).s("\">\n<head>\n<meta charset=\"utf-8\">\n" +
		"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>").t(p.Title).s(" · cipmap</title>\n" +
		"<link rel=\"stylesheet\" href=\"/static/style.css\">\n<link rel=\"stylesheet\" href=\"/static/analysis.css\">\n</head>\n<body>\n<header>\n" +
		"  <a class=\"brand\" href=\"/\">cipmap · ").t(p.T("title")).s("</a>\n" +
		"  <form class=\"search\" action=\"/search\" method=\"get\" role=\"search\">\n" +
		"    <input type=\"search\" name=\"q\" id=\"q\" value=\"").t(p.Query).s("\" placeholder=\"").t(p.T("placeholder")).
		s("\" aria-label=\"").t(p.T("search")).s("\" maxlength=\"200\">\n    <button type=\"submit\" id=\"go\">").t(p.T("search")).s("</button>\n  </form>\n" +
		"  <nav class=\"an\" id=\"annav\">")
	for _, n := range [...]struct{ path, key string }{{"/tags", "an.nav.tags"}, {"/crosswalk", "an.nav.crosswalk"},
		{"/trace", "an.nav.trace"}, {"/path", "an.nav.path"}, {"/review", "an.nav.review"}} {
		w.s(`<a href="`).s(n.path).s(`">`).t(p.T(n.key)).s(`</a>`)
	}
	w.s("</nav>\n  <a class=\"lang\" id=\"lang\" href=\"").t(p.OtherURL).s("\">").s(other).s("</a>\n</header>\n<main>\n")
	content()
	w.s("\n</main>\n<footer><a href=\"/api/v1/openapi.json\">").t(p.T("api")).
		s("</a> · <a href=\"/reconcile\">OpenRefine /reconcile</a></footer>\n</body>\n</html>\n\n\n")
}

// firm writes firm.html's content.
func (w *rowWriter) firm(p *page, d *firmPageData) {
	f := d.Firm
	id := url.PathEscape(f.ID)
	w.s("\n\n<h1 id=\"firm-name\">").t(f.Caption).s("</h1>\n<p class=\"id\"><code>").t(f.ID).
		s("</code> · <a href=\"/api/v1/firms/").t(id).s("\">JSON</a></p>\n<section>\n<h2>").t(p.T("names")).
		s("</h2>\n<table id=\"names\"><tbody>\n")
	for _, n := range d.Names {
		w.s("<tr><th>").t(n.Property).s("</th><td>")
		for i, v := range n.Values {
			if i > 0 {
				w.s("<br>")
			}
			w.s(`<span class="name">`).t(v).s("</span>")
		}
		w.s("</td></tr>\n")
	}
	w.s("\n")
	for _, n := range d.IDs {
		w.s("<tr><th>").t(n.Property).s("</th><td><code>").t(strings.Join(n.Values, ", ")).s("</code></td></tr>\n")
	}
	w.s("\n</tbody></table>\n</section>\n")
	if o := f.Ownership; o != nil {
		w.s("\n<section id=\"ownership\">\n<h2>").t(p.T("ownership")).s(" <small>(").t(o.Date).s(")</small></h2>\n")
		if o.Class != "" {
			w.s("<p><b>").t(p.T("class")).s(":</b> ").t(o.Class)
			if o.Rule != "" {
				w.s(" — ").t(o.Rule)
			}
			w.s("</p>")
		}
		w.s("\n")
		if o.StateShare != nil {
			w.s("<p><b>").t(p.T("stateshare")).s(":</b> ").t(o.StateShare.Text).s("</p>")
		}
		w.s("\n")
		if len(o.ControlChain) > 0 {
			w.s("<p><b>").t(p.T("control")).s(":</b></p><ol>")
			for _, c := range o.ControlChain {
				w.s("<li>").t(c).s("</li>")
			}
			w.s("</ol>")
		}
		w.s("\n<h3>").t(p.T("owners")).s("</h3>\n")
		w.stakes(p, o.Up, "up")
		w.s("\n<h3>").t(p.T("holdings")).s("</h3>\n")
		w.stakes(p, o.Down, "down")
		w.s("\n</section>\n")
	}
	w.s("\n")
	if c := f.Cluster; c != nil {
		w.s("\n<section id=\"cluster\">\n<h2>").t(p.T("cluster")).s(" <small><code>").t(c.ID).s("</code></small></h2>\n<table><thead><tr><th>ID</th><th>").
			t(p.T("method")).s("</th><th>").t(p.T("probability")).s("</th><th></th></tr></thead><tbody>\n")
		for _, m := range c.Members {
			w.s("<tr><td>").link("/firms/"+url.PathEscape(m.EntityID), m.EntityID).s("</td><td>").t(m.Method).s("</td><td>").
				s(strconv.FormatFloat(m.Probability, 'f', 3, 64)).s(`</td><td class="small">`).t(m.Explanation).s("</td></tr>\n")
		}
		w.s("</tbody></table>\n</section>\n")
	}
	w.s("\n<p class=\"id\"><a id=\"graph-link\" href=\"/graph/").t(id).s("\">").t(p.T("viewgraph")).s("</a></p>\n")
	if ff := f.FirmFacts; ff != nil {
		w.firmFacts(p, ff)
	}
	w.s("\n")
	if len(d.Sectors) > 0 {
		w.s("<section id=\"sectors\">\n<h2>").t(p.T("an.sectors.ofFirm")).s("</h2>\n<p>")
		for i, t := range d.Sectors {
			if i > 0 {
				w.s(" · ")
			}
			w.s(`<a class="sector" href="/sectors/`).t(url.PathEscape(t.ID)).s(`">`).t(p.L(t.Name)).s("</a>")
		}
		w.s("</p>\n</section>\n")
	}
	w.s("\n<section>\n<h2>").t(p.T("statements")).s("</h2>\n")
	w.s("\n<table id=\"statements\">\n<thead><tr><th>").t(p.T("property")).s("</th><th>").t(p.T("value")).s("</th><th>").
		t(p.T("dataset")).s("</th><th>").t(p.T("source")).s("</th></tr></thead>\n<tbody>")
	w.statementRows(f.Statements).s("</tbody></table>\n\n</section>\n")
}

// stakes writes layout.html's "stakes": a table of owners or holdings.
func (w *rowWriter) stakes(p *page, rows []Stake, id string) {
	w.s("\n")
	if len(rows) == 0 {
		w.s(`<p class="none" id="`).s(id).s(`">`).t(p.T("none")).s("</p>\n")
		return
	}
	w.s(`<table id="`).s(id).s("\">\n<thead><tr><th>").t(p.T("name")).s("</th><th>").t(p.T("kind")).s("</th><th>").
		t(p.T("direct")).s("</th><th>").t(p.T("effective")).s("</th></tr></thead>\n<tbody>").
		stakeRows(rows).s("</tbody></table>\n")
}

// firmFacts writes the staff, flows, designations and patents of firm.html.
func (w *rowWriter) firmFacts(p *page, ff *FirmFacts) {
	w.s("\n<section id=\"staff-section\">\n<h2>").t(p.T("staff")).s("</h2>\n")
	if len(ff.Staff) > 0 {
		w.s(`<table id="staff"><thead><tr><th>`).t(p.T("person")).s("</th><th>").t(p.T("role")).s("</th><th>").t(p.T("start")).
			s("</th><th>").t(p.T("end")).s("</th><th>").t(p.T("provenance")).s("</th></tr></thead><tbody>\n").
			staffRows(ff.Staff).s("</tbody></table>")
	} else {
		w.s(`<p class="none" id="staff">`).t(p.T("none")).s("</p>")
	}
	w.s("\n</section>\n<section id=\"flows-section\">\n<h2>").t(p.T("flowsreceived")).s(" <small>(").s(strconv.Itoa(ff.Flows.Total)).s(")</small></h2>\n")
	if len(ff.FlowTotals) > 0 {
		w.s(`<table id="flow-totals"><thead><tr><th>`).t(p.T("channel")).s("</th><th>").t(p.T("count")).s("</th></tr></thead><tbody>\n")
		for _, t := range ff.FlowTotals {
			w.s("<tr><td>").t(t.Channel).s("</td><td>").s(strconv.Itoa(t.Flows)).s("</td></tr>")
		}
		w.s("</tbody></table>")
	}
	w.s("\n")
	if len(ff.Flows.Items) > 0 {
		w.s(`<table id="flows"><thead><tr><th>`).t(p.T("channel")).s("</th><th>").t(p.T("from")).s("</th><th>").t(p.T("amount")).
			s("</th><th>").t(p.T("date")).s("</th><th>").t(p.T("label")).s("</th><th>").t(p.T("provenance")).s("</th></tr></thead><tbody>\n").
			flowRows(ff.Flows.Items).s("</tbody></table>")
	} else {
		w.s(`<p class="none" id="flows">`).t(p.T("none")).s("</p>")
	}
	w.s("\n")
	if ff.Flows.More {
		w.s(`<p class="paging"><a href="?offset=`).s(strconv.Itoa(ff.Flows.Limit)).s(`">`).t(p.T("more")).s("</a></p>")
	}
	w.s("\n</section>\n<section id=\"designations-section\">\n<h2>").t(p.T("designations")).s("</h2>\n")
	if len(ff.Designations) > 0 {
		w.s(`<table id="designations"><thead><tr><th>`).t(p.T("program")).s("</th><th>").t(p.T("year")).s("</th><th>").t(p.T("list")).
			s("</th><th>").t(p.T("provenance")).s("</th></tr></thead><tbody>\n").designationRows(ff.Designations).s("</tbody></table>")
	} else {
		w.s(`<p class="none" id="designations">`).t(p.T("none")).s("</p>")
	}
	w.s("\n</section>\n")
	if pt := ff.Patents; pt != nil {
		w.s("<section id=\"patents-section\">\n<h2>").t(p.T("patents")).s(": ").s(strconv.Itoa(pt.Patents)).s(" <small>(").t(p.T("weighted")).s(" ").
			s(strconv.FormatFloat(pt.Weighted, 'f', 2, 64)).s(" · ").t(pt.Dataset).s(")</small></h2>\n")
		if len(pt.ByTag) > 0 {
			w.s(`<table id="patents"><thead><tr><th>`).t(p.T("tag")).s("</th><th>").t(p.T("patents")).s("</th><th>").t(p.T("weighted")).
				s("</th><th>").t(p.T("dataset")).s("</th></tr></thead><tbody>\n")
			for _, t := range pt.ByTag {
				w.s("<tr><td>").t(t.System).s(":").t(t.Tag).s("</td><td>").s(strconv.Itoa(t.Patents)).s("</td><td>").
					s(strconv.FormatFloat(t.Weighted, 'f', 2, 64)).s("</td><td>").t(t.Dataset).s("</td></tr>\n")
			}
			w.s("</tbody></table>")
		}
		w.s("\n</section>")
	}
	w.s("\n")
}
