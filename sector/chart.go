package sector

import (
	"encoding/csv"
	"fmt"
	"html"
	"html/template"
	"io"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
)

// Chart is one figure of a sector profile: its data as a table (the CSV download
// of cipmap serve) and the bars drawn from the same rows (the SVG).
type Chart struct {
	N       int // 1-based, its number in the URL
	Name    string
	Title   cipmap.Label
	Columns []string
	Rows    [][]string
	bars    []chartBar
	bound   bool // whiskers from lower to upper
	horiz   bool
	keys    []string // stacked parts, in order
}

type chartBar struct {
	label        string
	value        float64
	lower, upper float64
	parts        []chartPart
}

type chartPart struct {
	name  string
	value float64
}

// exact formats a number for CSV: as few digits as give it back exactly.
func exact(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// Charts returns the charts of a profile, the figures of the HTML report and of
// the sector pages of cipmap serve.
func (p *Profile) Charts() []*Chart {
	var out []*Chart
	c := &Chart{Name: "patents-by-year", Title: cipmap.Label{ZH: "专利申请（分数计数，须线为上下界）", EN: "Patent applications by year (fractional; whiskers: lower and upper bounds)"},
		Columns: []string{"year", "count", "lower", "upper"}, bound: true}
	for _, y := range p.ByYear {
		c.Rows = append(c.Rows, []string{strconv.Itoa(y.Year), exact(y.Count.Count), exact(y.Lower), exact(y.Upper)})
		c.bars = append(c.bars, chartBar{label: strconv.Itoa(y.Year), value: y.Count.Count, lower: y.Lower, upper: y.Upper})
	}
	out = append(out, c)

	c = &Chart{Name: "entry-by-year", Title: cipmap.Label{ZH: "新进入企业（按成立年份）", EN: "New firm entry by founding year"},
		Columns: []string{"year", "firms"}}
	for _, y := range p.Entry {
		c.Rows = append(c.Rows, []string{strconv.Itoa(y.Year), strconv.Itoa(y.Firms)})
		c.bars = append(c.bars, chartBar{label: strconv.Itoa(y.Year), value: float64(y.Firms)})
	}
	out = append(out, c)

	c = &Chart{Name: "resources", Title: cipmap.Label{ZH: "资源（按渠道与年份，人民币元）", EN: "Resources by channel and year (CNY)"},
		Columns: []string{"year", "channel", "amount_cny", "state_amount_cny", "flows"}}
	res := append([]Flow(nil), p.Resources...)
	sort.SliceStable(res, func(i, j int) bool {
		if res[i].Year != res[j].Year {
			return res[i].Year < res[j].Year
		}
		return res[i].Channel < res[j].Channel
	})
	for _, f := range res {
		c.Rows = append(c.Rows, []string{strconv.Itoa(f.Year), f.Channel, exact(f.Amount), exact(f.State), strconv.Itoa(f.Flows)})
		if n := len(c.bars); n == 0 || c.bars[n-1].label != strconv.Itoa(f.Year) {
			c.bars = append(c.bars, chartBar{label: strconv.Itoa(f.Year)})
		}
		b := &c.bars[len(c.bars)-1]
		b.parts = append(b.parts, chartPart{f.Channel, f.Amount})
		b.value += f.Amount
		if !slices.Contains(c.keys, f.Channel) {
			c.keys = append(c.keys, f.Channel)
		}
	}
	sort.Strings(c.keys)
	out = append(out, c)

	c = &Chart{Name: "ownership", Title: cipmap.Label{ZH: "所有制结构（企业数）", EN: "Ownership mix (firms)"},
		Columns: []string{"class", "firms", "patents", "revenue"}, horiz: true}
	for _, o := range p.Ownership {
		c.Rows = append(c.Rows, []string{o.Class, strconv.Itoa(o.Firms), exact(o.Patents), exact(o.Revenue)})
		c.bars = append(c.bars, chartBar{label: strings.TrimSpace(classZH[o.Class] + " " + o.Class), value: float64(o.Firms)})
	}
	out = append(out, c)

	c = &Chart{Name: "geography", Title: cipmap.Label{ZH: "地域分布（企业数，前 15）", EN: "Geography (firms, top 15 provinces)"},
		Columns: []string{"province", "firms", "patents"}, horiz: true}
	for i, g := range p.Geography {
		if i == 15 {
			break
		}
		c.Rows = append(c.Rows, []string{g.Province, strconv.Itoa(g.Firms), exact(g.Patents)})
		c.bars = append(c.bars, chartBar{label: g.Province, value: float64(g.Firms)})
	}
	out = append(out, c)
	for i, c := range out {
		c.N = i + 1
	}
	return out
}

var palette = []string{"#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#566573"}

func (c *Chart) colour(k string) string {
	for i, x := range c.keys {
		if x == k {
			return palette[i%len(palette)]
		}
	}
	return palette[len(palette)-1]
}

// short formats an axis or bar label: 亿 and 万 for large amounts. A value within
// 1e-9 of a whole number is that number: fractional counts summed by the database
// come as 5.999999999999999 from one store and 6 from another.
func short(x float64) string {
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		x = r
	}
	switch {
	case math.Abs(x) >= 1e8:
		return fmt.Sprintf("%.2f亿", x/1e8)
	case math.Abs(x) >= 1e4:
		return fmt.Sprintf("%.1f万", x/1e4)
	case x == math.Trunc(x):
		return fmt.Sprintf("%.0f", x)
	}
	return fmt.Sprintf("%.2f", x)
}

// svg draws the chart, titled in lang (zh, en, or both for ""), as a standalone SVG document fragment: every text from the
// data is escaped; no script, no style element, no external reference.
func (c *Chart) svg(lang string) string {
	var b strings.Builder
	title := c.Title.ZH + " · " + c.Title.EN
	switch lang {
	case "zh":
		title = c.Title.ZH
	case "en":
		title = c.Title.EN
	}
	if len(c.bars) == 0 {
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="40" role="img" aria-label="%s"><title>%s</title>`, html.EscapeString(title), html.EscapeString(title))
		b.WriteString(`<text x="10" y="25" font-size="13" fill="#5b6475">no data · 无数据</text></svg>`)
		return b.String()
	}
	max := 0.0
	for _, x := range c.bars {
		v := x.value
		if c.bound {
			v = math.Max(v, x.upper)
		}
		max = math.Max(max, v)
	}
	if max == 0 {
		max = 1
	}
	if c.horiz {
		h := 22*len(c.bars) + 10
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="%d" viewBox="0 0 640 %d" role="img" aria-label="%s"><title>%s</title>`, h, h, html.EscapeString(title), html.EscapeString(title))
		for i, x := range c.bars {
			y := 5 + 22*i
			w := 400 * x.value / max
			fmt.Fprintf(&b, `<text x="150" y="%d" text-anchor="end" font-size="12">%s</text>`, y+14, html.EscapeString(x.label))
			fmt.Fprintf(&b, `<rect x="156" y="%d" width="%.1f" height="16" fill="%s"><title>%s: %s</title></rect>`, y, w, palette[1], html.EscapeString(x.label), short(x.value))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%s</text>`, 160+w, y+13, short(x.value))
		}
		b.WriteString(`</svg>`)
		return b.String()
	}
	n := len(c.bars)
	bw := math.Max(6, math.Min(40, 560/float64(n)))
	width := 60 + bw*float64(n) + 20
	if len(c.keys) > 0 {
		width = math.Max(width, float64(70+100*len(c.keys)))
	}
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="262" viewBox="0 0 %.0f 262" role="img" aria-label="%s"><title>%s</title>`, width, width, html.EscapeString(title), html.EscapeString(title))
	fmt.Fprintf(&b, `<line x1="50" y1="200" x2="%.0f" y2="200" stroke="#333"/>`, 50+bw*float64(n))
	fmt.Fprintf(&b, `<text x="45" y="14" text-anchor="end" font-size="11">%s</text>`, short(max))
	for i, x := range c.bars {
		x0 := 50 + bw*float64(i)
		if len(x.parts) > 0 {
			y := 200.0
			for _, pt := range x.parts {
				h := 190 * pt.value / max
				y -= h
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
					x0+1, y, bw-2, h, c.colour(pt.name), html.EscapeString(x.label), html.EscapeString(pt.name), short(pt.value))
			}
		} else {
			h := 190 * x.value / max
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
				x0+1, 200-h, bw-2, h, palette[0], html.EscapeString(x.label), short(x.value))
		}
		if c.bound {
			yl, yu := 200-190*x.lower/max, 200-190*x.upper/max
			cx := x0 + bw/2
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx, yl, cx, yu)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx-3, yu, cx+3, yu)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx-3, yl, cx+3, yl)
		}
		if n <= 20 || i%2 == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="216" text-anchor="end" font-size="10" transform="rotate(-45 %.1f 216)">%s</text>`,
				x0+bw/2, x0+bw/2, html.EscapeString(x.label))
		}
	}
	for i, k := range c.keys {
		fmt.Fprintf(&b, `<rect x="%d" y="248" width="10" height="10" fill="%s"/><text x="%d" y="257" font-size="11">%s</text>`,
			60+i*100, c.colour(k), 74+i*100, html.EscapeString(k))
	}
	b.WriteString(`</svg>`)
	return b.String()
}

// SVG is the chart for inline use in a page. The markup is built by svg, which
// escapes every text it takes from the data.
func (c *Chart) SVG(lang string) template.HTML { return template.HTML(c.svg(lang)) }

// WriteCSV writes the chart's data, with cells that a spreadsheet would read
// as formulas quoted.
func (c *Chart) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(c.Columns)
	for _, r := range c.Rows {
		cw.Write(csvSafe(r))
	}
	cw.Flush()
	return cw.Error()
}

// csvSafe keeps a spreadsheet from reading a cell from the data as a formula.
func csvSafe(r []string) []string {
	out := make([]string, len(r))
	for i, v := range r {
		if v != "" && strings.ContainsRune("=+@\t\r", rune(v[0])) || (v != "" && v[0] == '-' && !isNumber(v)) {
			v = "'" + v
		}
		out[i] = v
	}
	return out
}

func isNumber(s string) bool {
	_, err := strconv.ParseFloat(s, 64)
	return err == nil
}
