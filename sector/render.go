package sector

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
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

var classZH = map[string]string{ClassCentral: "央企", ClassLocal: "地方国企", ClassPrivate: "民营", ClassForeign: "外资",
	ClassMixed: "混合所有制", ClassUnknown: "未知", "SOE (level unknown)": "国企（级别未知）"}

//go:embed report.html
var reportHTML string

var reportTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"f2": f2, "num": short, "pct": func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) },
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
	Charts     map[string][]*Chart
	Components []string
	Compare    bool
}

// WriteHTML writes a self-contained HTML report of the profiles (one, or several
// compared): tables and inline SVG charts, no scripts, fonts or files from elsewhere.
func WriteHTML(w io.Writer, profiles ...*Profile) error {
	d := reportData{Profiles: profiles, Charts: map[string][]*Chart{}, Components: Components, Compare: len(profiles) > 1}
	var names []string
	for _, p := range profiles {
		d.Charts[p.Tag] = p.Charts()
		names = append(names, p.Name.ZH+" "+p.Name.EN)
	}
	d.Title = "产业画像 Sector profile: " + strings.Join(names, " · ")
	return reportTmpl.Execute(w, d)
}
