package httpapi

import (
	"fmt"
	"html"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/sector"
)

// esc escapes text for SVG (XML) and HTML alike.
func esc(s string) string { return html.EscapeString(s) }

// spectrum draws sectors on the line from market (0) to command (1).
func spectrum(ps []*sector.Profile, lang string) template.HTML {
	var b strings.Builder
	h := 54 + 18*len(ps)
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="%d" viewBox="0 0 600 %d" role="img" id="spectrum">`, h, h)
	b.WriteString(`<line x1="20" y1="20" x2="580" y2="20" stroke="#333"/>`)
	b.WriteString(`<text x="20" y="14" font-size="11">市场 market 0</text><text x="580" y="14" font-size="11" text-anchor="end">1 指令 command</text>`)
	for i, p := range ps {
		x := 20 + 560*p.Architecture.Index
		y := 44 + 18*i
		name := p.Name.EN
		if lang == "zh" {
			name = p.Name.ZH
		}
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="20" r="5" fill="#c0392b"><title>%s %.3f</title></circle>`, x, esc(name), p.Architecture.Index)
		fmt.Fprintf(&b, `<line x1="%.1f" y1="24" x2="%.1f" y2="%d" stroke="#bbb"/>`, x, x, y-10)
		anchor := "middle"
		if x < 120 {
			anchor = "start"
		} else if x > 480 {
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="12" text-anchor="%s">%s (%.3f)</text>`, x, y, anchor, esc(name), p.Architecture.Index)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// uiSectorChart serves chart n of a sector as SVG or its data as CSV:
// /sectors/{tag}/charts/{n}.svg or .csv.
func (s *Server) uiSectorChart(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	base, ext, _ := strings.Cut(file, ".")
	n, err := strconv.Atoi(base)
	if err != nil || (ext != "svg" && ext != "csv") {
		s.writeError(w, r, cipmap.Errorf(cipmap.ENOTFOUND, "no chart %q: want N.svg or N.csv", file))
		return
	}
	from, to, err := years(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	tag := r.PathValue("tag")
	p, err := s.sector(r.Context(), tag, from, to)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	cs := p.Charts()
	if n < 1 || n > len(cs) {
		s.writeError(w, r, cipmap.Errorf(cipmap.ENOTFOUND, "no chart %d: a sector has charts 1 to %d", n, len(cs)))
		return
	}
	c := cs[n-1]
	name := fmt.Sprintf("%s-%d-%s.%s", safeFileName(tag), n, c.Name, ext)
	h := w.Header()
	h.Set("Cache-Control", "private, max-age=3600")
	if ext == "csv" {
		h.Set("Content-Type", "text/csv; charset=utf-8")
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		c.WriteCSV(w)
		return
	}
	// An SVG opened on its own is a document: it gets no script, no style from
	// elsewhere and no plugins, and runs in a sandbox.
	h.Set("Content-Type", "image/svg+xml")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; sandbox")
	h.Set("Content-Disposition", `inline; filename="`+name+`"`)
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n")
	io.WriteString(w, string(c.SVG(lang(w, r))))
}

// safeFileName keeps letters, digits, '-', '_' and '.'.
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' {
			return r
		}
		return '_'
	}, s)
}
