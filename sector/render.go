package sector

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"math"
	"sort"
	"strings"
)

// Section is one table of a profile for table and CSV output.
type Section struct {
	Name    string
	Columns []string
	Rows    [][]string
}

func f2(x float64) string { return fmt.Sprintf("%.2f", x) }

// Sections returns the profile as tables, one per figure.
func (p *Profile) Sections() []Section {
	var out []Section
	out = append(out, Section{"summary 概况", []string{"tag", "name", "name_en", "firms", "patents", "patents_lower",
		"patents_upper", "hhi", "hhi_basis", "architecture_index"}, [][]string{{p.Tag, p.Name.ZH, p.Name.EN,
		fmt.Sprint(p.Firms), f2(p.Patents.Count), f2(p.Patents.Lower), f2(p.Patents.Upper), fmt.Sprintf("%.4f", p.Concentration.Value),
		p.Concentration.Basis, fmt.Sprintf("%.3f", p.Architecture.Index)}}})
	s := Section{Name: "patents by year 专利(年)", Columns: []string{"year", "count", "lower", "upper"}}
	for _, y := range p.ByYear {
		s.Rows = append(s.Rows, []string{fmt.Sprint(y.Year), f2(y.Count.Count), f2(y.Lower), f2(y.Upper)})
	}
	out = append(out, s)
	s = Section{Name: "entry by year 新进入企业(年)", Columns: []string{"year", "firms"}}
	for _, y := range p.Entry {
		s.Rows = append(s.Rows, []string{fmt.Sprint(y.Year), fmt.Sprint(y.Firms)})
	}
	out = append(out, s)
	s = Section{Name: "resources by channel 资源渠道", Columns: []string{"channel", "year", "amount_cny", "state_amount_cny", "flows"}}
	for _, f := range p.Resources {
		s.Rows = append(s.Rows, []string{f.Channel, fmt.Sprint(f.Year), fmt.Sprintf("%.0f", f.Amount), fmt.Sprintf("%.0f", f.State), fmt.Sprint(f.Flows)})
	}
	out = append(out, s)
	s = Section{Name: "ownership 所有制", Columns: []string{"class", "firms", "patents", "revenue"}}
	for _, c := range p.Ownership {
		s.Rows = append(s.Rows, []string{c.Class, fmt.Sprint(c.Firms), f2(c.Patents), fmt.Sprintf("%.0f", c.Revenue)})
	}
	out = append(out, s)
	s = Section{Name: "geography 地域", Columns: []string{"province", "firms", "patents"}}
	for _, g := range p.Geography {
		s.Rows = append(s.Rows, []string{g.Province, fmt.Sprint(g.Firms), f2(g.Patents)})
	}
	out = append(out, s)
	s = Section{Name: "top firms 主要企业", Columns: []string{"id", "name", "province", "founded", "class", "patents", "revenue"}}
	for _, f := range p.TopFirms {
		s.Rows = append(s.Rows, []string{f.ID, f.Name, f.Province, yearText(f.Founded), f.Class, f2(f.Patents), fmt.Sprintf("%.0f", f.Revenue)})
	}
	out = append(out, s)
	s = Section{Name: "policies 政策", Columns: []string{"id", "title", "date", "level", "tags", "weight", "instruments"}}
	for _, q := range p.Policies {
		s.Rows = append(s.Rows, []string{q.ID, q.Title, q.Date, q.Level, strings.Join(q.Tags, ";"), f2(q.Weight), strings.Join(q.Instruments, ";")})
	}
	out = append(out, s)
	s = Section{Name: "programs 项目", Columns: []string{"id", "name", "firms"}}
	for _, q := range p.Programs {
		s.Rows = append(s.Rows, []string{q.ID, q.Name, fmt.Sprint(q.Firms)})
	}
	out = append(out, s)
	s = Section{Name: "architecture 产业架构", Columns: []string{"component", "name", "value"}}
	for _, c := range Components {
		v, ok := p.Architecture.Components[c]
		val := "n/a"
		if ok {
			val = fmt.Sprintf("%.3f", v)
		}
		s.Rows = append(s.Rows, []string{c, ComponentNames[c].ZH + " · " + ComponentNames[c].EN, val})
	}
	s.Rows = append(s.Rows, []string{"index", "指数 (1 = command 指令, 0 = market 市场)", fmt.Sprintf("%.3f", p.Architecture.Index)})
	out = append(out, s)
	return out
}

func yearText(y int) string {
	if y == 0 {
		return ""
	}
	return fmt.Sprint(y)
}

// Table returns the comparison as one table: a row per sector.
func (c *Comparison) Table() Section {
	s := Section{Name: "sectors compared 产业对比", Columns: append([]string{"tag", "name", "firms", "patents", "hhi",
		"entry_rate"}, append(append([]string{}, Components...), "index")...)}
	for _, p := range c.Sectors {
		row := []string{p.Tag, p.Name.ZH, fmt.Sprint(p.Firms), f2(p.Patents.Count), fmt.Sprintf("%.4f", p.Concentration.Value),
			fmt.Sprintf("%.3f", p.Architecture.EntryRate)}
		for _, k := range Components {
			if v, ok := p.Architecture.Components[k]; ok {
				row = append(row, fmt.Sprintf("%.3f", v))
			} else {
				row = append(row, "n/a")
			}
		}
		s.Rows = append(s.Rows, append(row, fmt.Sprintf("%.3f", p.Architecture.Index)))
	}
	return s
}

// bar is one bar of a chart: a label, a value, optional bounds and stacked parts.
type bar struct {
	Label        string
	Value        float64
	Lower, Upper float64
	Parts        []part
}

type part struct {
	Name  string
	Value float64
}

// chart is an inline SVG bar chart.
type chart struct {
	Title template.HTML
	Bars  []bar
	Bound bool // draw bounds as whiskers
	Horiz bool
	Keys  []string // stacked part names, in order
}

var palette = []string{"#c0392b", "#2e86c1", "#27ae60", "#8e44ad", "#d68910", "#566573"}

// SVG draws the chart.
func (c chart) SVG() template.HTML {
	var b strings.Builder
	if len(c.Bars) == 0 {
		return template.HTML(`<p class="none">no data · 无数据</p>`)
	}
	max := 0.0
	for _, x := range c.Bars {
		v := x.Value
		if c.Bound {
			v = math.Max(v, x.Upper)
		}
		max = math.Max(max, v)
	}
	if max == 0 {
		max = 1
	}
	esc := template.HTMLEscapeString
	if c.Horiz {
		h := 22*len(c.Bars) + 10
		fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="%d" role="img">`, h)
		for i, x := range c.Bars {
			y := 5 + 22*i
			w := 400 * x.Value / max
			fmt.Fprintf(&b, `<text x="150" y="%d" text-anchor="end" font-size="12">%s</text>`, y+14, esc(x.Label))
			fmt.Fprintf(&b, `<rect x="156" y="%d" width="%.1f" height="16" fill="%s"><title>%s: %s</title></rect>`, y, w, palette[1], esc(x.Label), num2(x.Value))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="11">%s</text>`, 160+w, y+13, num2(x.Value))
		}
		b.WriteString(`</svg>`)
		return template.HTML(b.String())
	}
	n := len(c.Bars)
	bw := math.Max(6, math.Min(40, 560/float64(n)))
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%.0f" height="262" role="img">`, 60+bw*float64(n)+20)
	fmt.Fprintf(&b, `<line x1="50" y1="200" x2="%.0f" y2="200" stroke="#333"/>`, 50+bw*float64(n))
	fmt.Fprintf(&b, `<text x="45" y="14" text-anchor="end" font-size="11">%s</text>`, num2(max))
	for i, x := range c.Bars {
		x0 := 50 + bw*float64(i)
		if len(x.Parts) > 0 {
			y := 200.0
			for _, pt := range x.Parts {
				h := 190 * pt.Value / max
				y -= h
				fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s %s: %s</title></rect>`,
					x0+1, y, bw-2, h, colour(c.Keys, pt.Name), esc(x.Label), esc(pt.Name), num2(pt.Value))
			}
		} else {
			h := 190 * x.Value / max
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %s</title></rect>`,
				x0+1, 200-h, bw-2, h, palette[0], esc(x.Label), num2(x.Value))
		}
		if c.Bound {
			yl, yu := 200-190*x.Lower/max, 200-190*x.Upper/max
			cx := x0 + bw/2
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx, yl, cx, yu)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx-3, yu, cx+3, yu)
			fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="#222"/>`, cx-3, yl, cx+3, yl)
		}
		if n <= 20 || i%2 == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="216" text-anchor="end" font-size="10" transform="rotate(-45 %.1f 216)">%s</text>`,
				x0+bw/2, x0+bw/2, esc(x.Label))
		}
	}
	for i, k := range c.Keys {
		fmt.Fprintf(&b, `<rect x="%d" y="248" width="10" height="10" fill="%s"/><text x="%d" y="257" font-size="11">%s</text>`,
			60+i*100, colour(c.Keys, k), 74+i*100, esc(k))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func colour(keys []string, k string) string {
	for i, x := range keys {
		if x == k {
			return palette[i%len(palette)]
		}
	}
	return palette[len(palette)-1]
}

func num2(x float64) string {
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

// charts returns a profile's charts.
func (p *Profile) charts() []chart {
	var out []chart
	c := chart{Title: "专利申请（分数计数，须线为上下界）· Patent applications by year (fractional; whiskers: lower and upper bounds)", Bound: true}
	for _, y := range p.ByYear {
		c.Bars = append(c.Bars, bar{Label: fmt.Sprint(y.Year), Value: y.Count.Count, Lower: y.Lower, Upper: y.Upper})
	}
	out = append(out, c)
	c = chart{Title: "新进入企业（按成立年份）· New firm entry by founding year"}
	for _, y := range p.Entry {
		c.Bars = append(c.Bars, bar{Label: fmt.Sprint(y.Year), Value: float64(y.Firms)})
	}
	out = append(out, c)
	c = chart{Title: "资源（按渠道与年份，人民币元）· Resources by channel and year (CNY)"}
	years := map[int]*bar{}
	var ys []int
	for _, f := range p.Resources {
		b := years[f.Year]
		if b == nil {
			b = &bar{Label: fmt.Sprint(f.Year)}
			years[f.Year] = b
			ys = append(ys, f.Year)
		}
		b.Parts = append(b.Parts, part{f.Channel, f.Amount})
		b.Value += f.Amount
		c.Keys = appendNew(c.Keys, f.Channel)
	}
	sort.Ints(ys)
	sort.Strings(c.Keys)
	for _, y := range ys {
		b := years[y]
		sort.Slice(b.Parts, func(i, j int) bool { return b.Parts[i].Name < b.Parts[j].Name })
		c.Bars = append(c.Bars, *b)
	}
	out = append(out, c)
	c = chart{Title: "所有制结构（企业数）· Ownership mix (firms)", Horiz: true}
	for _, o := range p.Ownership {
		c.Bars = append(c.Bars, bar{Label: classZH[o.Class] + " " + o.Class, Value: float64(o.Firms)})
	}
	out = append(out, c)
	c = chart{Title: "地域分布（企业数，前 15）· Geography (firms, top 15 provinces)", Horiz: true}
	for i, g := range p.Geography {
		if i == 15 {
			break
		}
		c.Bars = append(c.Bars, bar{Label: g.Province, Value: float64(g.Firms)})
	}
	out = append(out, c)
	return out
}

var classZH = map[string]string{ClassCentral: "央企", ClassLocal: "地方国企", ClassPrivate: "民营", ClassForeign: "外资",
	ClassMixed: "混合所有制", ClassUnknown: "未知", "SOE (level unknown)": "国企（级别未知）"}

//go:embed report.html
var reportHTML string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"f2": f2, "num": num2, "pct": func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
	"cname": func(k string) string { return ComponentNames[k].ZH + " · " + ComponentNames[k].EN },
	"comp": func(a Architecture, k string) string {
		if v, ok := a.Components[k]; ok {
			return fmt.Sprintf("%.3f", v)
		}
		return "n/a"
	},
	"pos":    func(x float64) string { return fmt.Sprintf("%.1f", 20+560*x) },
	"row":    func(i int) int { return 44 + 18*i },
	"height": func(n int) int { return 54 + 18*n },
}).Parse(reportHTML))

type reportData struct {
	Title      string
	Profiles   []*Profile
	Charts     map[string][]chart
	Components []string
	Compare    bool
}

// WriteHTML writes a self-contained HTML report of the profiles (one, or several
// compared): tables and inline SVG charts, no scripts, fonts or files from elsewhere.
func WriteHTML(w io.Writer, profiles ...*Profile) error {
	d := reportData{Profiles: profiles, Charts: map[string][]chart{}, Components: Components, Compare: len(profiles) > 1}
	var names []string
	for _, p := range profiles {
		d.Charts[p.Tag] = p.charts()
		names = append(names, p.Name.ZH+" "+p.Name.EN)
	}
	d.Title = "产业画像 Sector profile: " + strings.Join(names, " · ")
	return reportTmpl.Execute(w, d)
}
