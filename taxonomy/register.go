package taxonomy

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
)

// register adds the parsed tables to r, in the order that breaks ties between
// shortest conversion paths: HS, then GB/T 4754 (so that ISIC Rev.3 reaches
// GB/T 4754-2017 through China's own GB 2002 ↔ ISIC Rev.3 and edition tables),
// then ISIC, SEI 2018, IPC, WIPO fields and MIC 2025.
func (p *parsed) register(r *Registry) error {
	steps := []func(*Registry) error{p.registerHS, p.registerGB, p.registerISIC, p.registerSEI, p.registerIPC, p.registerMIC}
	for _, f := range steps {
		if err := f(r); err != nil {
			return err
		}
	}
	// Crosswalks that join the families.
	return r.addPairs(HSCombined, ISIC3, p.hsISIC)
}

// builtin registers a system with codes; parents missing from the data are implied
// by the structure of the codes.
func (r *Registry) builtin(info cipmap.CodeSystem, codes ...[]cipmap.Code) *system {
	s := r.newSystem(info, kindOf(info.ID))
	n := 0
	for _, cs := range codes {
		n += len(cs)
	}
	s.nodes = make([]node, 0, n)
	s.index = make(map[string]int32, n)
	for _, cs := range codes {
		for _, c := range cs {
			c.System = info.ID
			s.put(c)
		}
	}
	s.finish(true)
	return s
}

func (p *parsed) registerHS(r *Registry) error {
	src, lic := source("harmonized-system.csv", "sections.csv")
	hs22 := r.builtin(cipmap.CodeSystem{
		ID: HS2022, Name: cipmap.Label{EN: "Harmonized System 2022", ZH: "商品名称及编码协调制度(2022年版)"},
		Version: "2022", Source: src, Licence: lic,
		Levels: []string{"section", "chapter", "heading", "subheading"},
	}, p.hsSections, p.hs2022)
	// HS 2017 has the same sections; its chapters' sections are HS 2022's.
	for i, c := range p.hs2017 {
		if len(c.Code) == 2 {
			if j, ok := hs22.index[c.Code]; ok {
				p.hs2017[i].Parent = hs22.nodes[j].code.Parent
			}
		}
	}
	src, lic = source("comtrade-hs2017.json", "sections.csv")
	r.builtin(cipmap.CodeSystem{
		ID: HS2017, Name: cipmap.Label{EN: "Harmonized System 2017", ZH: "商品名称及编码协调制度(2017年版)"},
		Version: "2017", Source: src + " (sections and the sections of chapters as in HS 2022)", Licence: lic,
		Levels: []string{"section", "chapter", "heading", "subheading"},
	}, p.hsSections, p.hs2017)
	src, lic = source("hs-combined-isic3-wits.csv")
	comb := r.builtin(cipmap.CodeSystem{
		ID: HSCombined, Name: cipmap.Label{EN: "HS combined (WITS): subheadings of HS 1988/92 to HS 2007"},
		Version: "WITS", Source: src + " (headings and chapters implied by the codes)", Licence: lic,
		Levels: []string{"chapter", "heading", "subheading"},
	}, p.hsCombined)
	if err := r.addPairs(HS2022, HS2017, p.hsCorr); err != nil {
		return err
	}
	// HS 2017 ↔ HS combined: the same code, where HS combined has it. HS 2017
	// subheadings created after HS 2007 have no such edge and convert through
	// their heading or chapter.
	m := &edgeMeta{source: "identity: the same HS code in HS 2017 and HS combined"}
	var ids []pair
	for _, c := range p.hs2017 {
		if _, ok := comb.index[c.Code]; ok {
			ids = append(ids, pair{from: c.Code, to: c.Code, meta: m})
		}
	}
	return r.addPairs(HS2017, HSCombined, ids)
}

func (p *parsed) registerGB(r *Registry) error {
	src, lic := source("gbt4754-2017-flat.csv")
	r.builtin(cipmap.CodeSystem{
		ID: GB2017, Name: cipmap.Label{EN: "Industrial classification for national economic activities (GB/T 4754-2017)", ZH: "国民经济行业分类(GB/T 4754-2017)"},
		Version: "2017", Source: src, Licence: lic,
		Levels: []string{"section", "division", "group", "class"},
	}, p.gb2017)
	src, lic = source("gb_all_pairs.csv", "GB_2011_2017_raw.csv")
	r.builtin(cipmap.CodeSystem{
		ID: GB2011, Name: cipmap.Label{EN: "Industrial classification for national economic activities (GB/T 4754-2011)", ZH: "国民经济行业分类(GB/T 4754-2011)"},
		Version: "2011", Source: src + " (codes from the edition tables; class names as extracted from the standard's PDF, sometimes truncated; no sections)", Licence: lic,
		Levels: []string{"division", "group", "class"},
	}, p.gb2011)
	src, lic = source("gb_all_pairs.csv")
	r.builtin(cipmap.CodeSystem{
		ID: GB2002, Name: cipmap.Label{EN: "Industrial classification for national economic activities (GB/T 4754-2002)", ZH: "国民经济行业分类(GB/T 4754-2002)"},
		Version: "2002", Source: src + " (codes from the edition tables; no names, no sections)", Licence: lic,
		Levels: []string{"division", "group", "class"},
	}, p.gb2002)
	if err := r.addPairs(GB2011, GB2017, p.gb2011to2017); err != nil {
		return err
	}
	return r.addPairs(GB2002, GB2011, p.gb2002to2011)
}

func (p *parsed) registerISIC(r *Registry) error {
	src, lic := source("ISIC_Rev_4_english_structure.txt")
	r.builtin(cipmap.CodeSystem{
		ID: ISIC4, Name: cipmap.Label{EN: "International Standard Industrial Classification of All Economic Activities, Rev.4"},
		Version: "Rev.4", Source: src, Licence: lic,
		Levels: []string{"section", "division", "group", "class"},
	}, p.isic4)
	src, lic = source("ISIC4_ISIC31.txt", "ISIC_Rev_31-ISIC_Rev_3_correspondence.txt")
	r.builtin(cipmap.CodeSystem{
		ID: ISIC31, Name: cipmap.Label{EN: "International Standard Industrial Classification of All Economic Activities, Rev.3.1"},
		Version: "Rev.3.1", Source: src + " (classes from the correspondence tables, groups and divisions implied by the codes; no names, no sections)", Licence: lic,
		Levels: []string{"division", "group", "class"},
	}, p.isic31)
	src, lic = source("ISIC_Rev_3_english_structure.txt")
	r.builtin(cipmap.CodeSystem{
		ID: ISIC3, Name: cipmap.Label{EN: "International Standard Industrial Classification of All Economic Activities, Rev.3"},
		Version: "Rev.3", Source: src, Licence: lic,
		Levels: []string{"section", "division", "group", "class"},
	}, p.isic3)
	for _, x := range []struct {
		from, to string
		ps       []pair
	}{{ISIC4, ISIC31, p.isic4to31}, {ISIC31, ISIC3, p.isic31to3}, {GB2002, ISIC3, p.gb2002ISIC}} {
		if err := r.addPairs(x.from, x.to, x.ps); err != nil {
			return err
		}
	}
	return nil
}

// registerIPC registers IPC and the WIPO fields with their crosswalks as a lazy
// group: the 71,333 IPC groups and 34,598 SEI links are read on first use, so that
// loading the registry stays quick for the commands that never touch patents.
func (p *parsed) registerIPC(r *Registry) error {
	src, lic := source("ipc-2016-hierarchy.tsv")
	ipc := r.newSystem(cipmap.CodeSystem{
		ID: IPC, Name: cipmap.Label{EN: "International Patent Classification", ZH: "国际专利分类"},
		Version: "2016.01", Source: src + " (sections, classes and subclasses implied by the codes; no titles)", Licence: lic,
		Levels: []string{"section", "class", "subclass", "main group", "subgroup"},
	}, kindIPC)
	src, lic = source("wipo-ipc-technology-fields.csv")
	wipo := r.newSystem(cipmap.CodeSystem{
		ID: WIPO35, Name: cipmap.Label{EN: "WIPO IPC-technology concordance: 35 technology fields (Schmoch)"},
		Version: "2008", Source: src + " (sectors numbered I-V in the order of the table)", Licence: lic,
		Levels: []string{"sector", "field"},
	}, kindWIPO)
	g := &lazyGroup{}
	ipc.lazy, wipo.lazy = g, g
	placeholder := func(from, to string, explicit, weighted bool) *link {
		l := &link{from: from, to: to, explicit: explicit, weighted: weighted, lazy: g}
		r.links[[2]string{from, to}] = l
		return l
	}
	ipcSEI, seiIPC := placeholder(IPC, SEI2018, true, true), placeholder(SEI2018, IPC, false, true)
	ipcWIPO, wipoIPC := placeholder(IPC, WIPO35, true, true), placeholder(WIPO35, IPC, true, true)
	g.fill = func() error {
		var q parsed
		if err := runAll(q.readIPC, q.readIPCSEI, q.readWIPO); err != nil {
			return err
		}
		q.fillIPC(ipc)
		wipo.nodes = make([]node, 0, len(q.wipo))
		for _, c := range q.wipo {
			c.System = WIPO35
			wipo.put(c)
		}
		wipo.finish(false)
		fwd, rev := r.weightedLinks(IPC, SEI2018, q.ipcSEI)
		ipcSEI.edges, seiIPC.edges = fwd.edges, rev.edges
		ipcWIPO.edges, ipcWIPO.rule = map[string][]edge{}, q.wipoRule(r)
		wipoIPC.edges = q.wipoReverse(r)
		return nil
	}
	return nil
}

// fillIPC puts the IPC groups into s, with the codes of the CNIPA table that
// IPC 2016.01 lacks (later versions) under their nearest code there.
func (p *parsed) fillIPC(s *system) {
	s.nodes = make([]node, 0, len(p.ipc)+1024)
	for _, c := range p.ipc {
		c.System = IPC
		s.put(c)
	}
	for _, pr := range p.ipcSEI {
		if _, ok := s.index[pr.from]; !ok {
			parent := s.knownAncestor(pr.from)
			if parent == "" {
				parent = structuralParent(kindIPC, pr.from)
			}
			s.put(cipmap.Code{System: IPC, Code: pr.from, Parent: parent, Note: "not in IPC 2016.01; from CNIPA's SEI 2018 ↔ IPC table (2021)"})
		}
	}
	s.finish(true)
	for i := range s.nodes {
		s.nodes[i].code.Level = ipcLevel(s.nodes[i].code.Code)
	}
}

// wipoRule maps an IPC code to its technology field by the table's patterns: main
// group patterns first, then whole subclasses.
func (p *parsed) wipoRule(r *Registry) func(string) []edge {
	src, _ := source("wipo-ipc-technology-fields.csv")
	m := r.meta(edgeMeta{weightType: cipmap.WeightEqual, source: "WIPO IPC-technology concordance (" + src + ")"})
	fieldEdges := map[string][]edge{}
	for _, f := range p.wipoRules {
		if fieldEdges[f] == nil {
			fieldEdges[f] = []edge{{to: f, w: 1, meta: m}}
		}
	}
	rules := p.wipoRules
	return func(code string) []edge {
		if len(code) < 4 {
			return nil
		}
		if i := strings.IndexByte(code, '/'); i > 4 {
			if f, ok := rules[code[:i]]; ok {
				return fieldEdges[f]
			}
		}
		if f, ok := rules[code[:4]]; ok {
			return fieldEdges[f]
		}
		return nil
	}
}

// wipoReverse maps each field to the subclasses and main groups of its patterns,
// in equal shares.
func (p *parsed) wipoReverse(r *Registry) map[string][]edge {
	src, _ := source("wipo-ipc-technology-fields.csv")
	m := r.meta(edgeMeta{weightType: cipmap.WeightEqual, source: "WIPO IPC-technology concordance (" + src + ")"})
	out := map[string][]edge{}
	for f, targets := range p.wipoTargets {
		for _, t := range targets {
			out[f] = append(out[f], edge{to: t, w: 1})
		}
		out[f] = normalise(out[f], m, m)
	}
	return out
}

func ipcLevel(c string) int {
	switch {
	case len(c) == 1:
		return 1
	case len(c) == 3:
		return 2
	case len(c) == 4:
		return 3
	case strings.HasSuffix(c, "/00"):
		return 4
	}
	return 5
}

func (p *parsed) registerMIC(r *Registry) error {
	info := p.mic.System
	if info.ID != MIC2025 || len(p.mic.Codes) != 10 {
		return fmt.Errorf("refdata mic2025.yaml: system %q with %d codes, want mic2025 with 10", info.ID, len(p.mic.Codes))
	}
	var codes []cipmap.Code
	for _, c := range p.mic.Codes {
		codes = append(codes, cipmap.Code{Code: c.Code, Level: 1, Name: c.Name})
	}
	r.builtin(info, codes)
	return nil
}

// --- SEI 2018 -------------------------------------------------------------------

// splitPath splits an SEI path "A > B > C" into its elements, spaces (no-break
// spaces too) trimmed.
func splitPath(path string) []string {
	parts := strings.Split(path, ">")
	for i, s := range parts {
		parts[i] = strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
	}
	return parts
}

func (p *parsed) registerSEI(r *Registry) error {
	src, lic := source("sei2018-codes.csv", "gbt4754-2017-to-sei2018.csv", "sei2018-placement.csv")
	info := cipmap.CodeSystem{
		ID: SEI2018, Name: cipmap.Label{EN: "Strategic Emerging Industries classification (2018)", ZH: "战略性新兴产业分类(2018)"},
		Version: "2018", Source: src + " (third-level categories from the GB/T 4754-2017 links, numbered by cipmap)", Licence: lic,
		Levels: []string{"domain", "category", "sub-category"},
	}
	type second struct{ code, name string }
	var codes []cipmap.Code
	domains := map[string]string{} // name → code
	seconds := map[string][]*second{}
	byCode := map[string]*second{}
	for i, row := range p.seiCodes {
		d, dn, s, sn := field(row, 0), field(row, 1), field(row, 2), field(row, 3)
		if d == "" || s == "" || !strings.HasPrefix(s, d+".") {
			return fmt.Errorf("refdata sei2018-codes.csv:%d: codes %q, %q", i+2, d, s)
		}
		if _, ok := domains[dn]; !ok {
			domains[dn] = d
			codes = append(codes, cipmap.Code{Code: d, Level: 1, Name: cipmap.Label{ZH: dn}})
		}
		sc := &second{s, sn}
		seconds[d] = append(seconds[d], sc)
		byCode[s] = sc
	}
	findSecond := func(d, name string) *second {
		for _, s := range seconds[d] {
			if s.name == name {
				return s
			}
		}
		for _, s := range seconds[d] {
			// sei2018-codes.csv cuts 新能源汽车相关服务 to 新能源汽车相关服.
			if strings.HasPrefix(name, s.name) || strings.HasPrefix(s.name, name) {
				if len(name) > len(s.name) {
					s.name = name
				}
				return s
			}
		}
		return nil
	}
	type rule struct{ domain, contains, code string }
	var rules []rule
	for i, row := range p.seiRules {
		ru := rule{field(row, 0), field(row, 1), field(row, 2)}
		if byCode[ru.code] == nil || domains[ru.domain] == "" || !strings.HasPrefix(ru.code, domains[ru.domain]+".") {
			return fmt.Errorf("refdata sei2018-placement.csv:%d: rule %v does not name a domain and one of its categories", i+2, row)
		}
		rules = append(rules, ru)
	}
	// Third-level nodes, keyed by parent code and last path element.
	type third struct {
		parent, last, path, note string
		code                     string
	}
	thirds := map[[2]string]*third{}
	type link struct {
		gb      string
		key     [2]string
		partial bool
	}
	var links []link
	for i, row := range p.gbSEI {
		gb, path, star := field(row, 0), field(row, 2), field(row, 3) // gb4754_2017_code, sei2018_path, partial_star
		el := splitPath(path)
		line := i + 2
		d, ok := domains[el[0]]
		if !ok {
			return fmt.Errorf("refdata gbt4754-2017-to-sei2018.csv:%d: domain %q is not in sei2018-codes.csv", line, el[0])
		}
		var t *third
		switch len(el) {
		case 3:
			s := findSecond(d, el[1])
			if s == nil {
				return fmt.Errorf("refdata gbt4754-2017-to-sei2018.csv:%d: category %q is not in sei2018-codes.csv under %s", line, el[1], el[0])
			}
			t = &third{parent: s.code, last: el[2], path: strings.Join(el, " > ")}
		case 2:
			t = &third{parent: d, last: el[1], path: strings.Join(el, " > "),
				note: "the source gives no second level; placed directly under the domain (no rule of sei2018-placement.csv matches)"}
			for _, ru := range rules {
				if ru.domain == el[0] && strings.Contains(el[1], ru.contains) {
					t.parent = ru.code
					t.note = fmt.Sprintf("the source gives no second level; placed under %s %s by cipmap's rule %q of sei2018-placement.csv", ru.code, byCode[ru.code].name, ru.contains)
					break
				}
			}
		default:
			return fmt.Errorf("refdata gbt4754-2017-to-sei2018.csv:%d: path %q has %d elements, want 2 or 3", line, path, len(el))
		}
		key := [2]string{t.parent, t.last}
		if thirds[key] == nil {
			thirds[key] = t
		}
		if star != "Y" && star != "N" {
			return fmt.Errorf("refdata gbt4754-2017-to-sei2018.csv:%d: partial_star %q, want Y or N", line, star)
		}
		links = append(links, link{gb: gb, key: key, partial: star == "Y"})
	}
	for _, ss := range seconds {
		for _, s := range ss {
			d := s.code[:strings.IndexByte(s.code, '.')]
			codes = append(codes, cipmap.Code{Code: s.code, Parent: d, Level: 2, Name: cipmap.Label{ZH: s.name}})
		}
	}
	// Number the third-level nodes under each parent in the order of their names:
	// 1.2.1, 1.2.2, ...; nodes placed directly under a domain d get d.0.1, d.0.2, ...
	byParent := map[string][]*third{}
	for _, t := range thirds {
		byParent[t.parent] = append(byParent[t.parent], t)
	}
	for parent, ts := range byParent {
		sort.Slice(ts, func(i, j int) bool { return ts[i].last < ts[j].last })
		prefix := parent
		if !strings.Contains(parent, ".") {
			prefix += ".0"
		}
		for i, t := range ts {
			t.code = prefix + "." + strconv.Itoa(i+1)
			codes = append(codes, cipmap.Code{Code: t.code, Parent: parent, Level: 3, Name: cipmap.Label{ZH: t.path}, Note: t.note})
		}
	}
	sort.SliceStable(codes, func(i, j int) bool { return seiLess(codes[i].Code, codes[j].Code) })
	r.builtin(info, codes)

	// GB/T 4754-2017 class → SEI: equal shares over a class's links.
	gbs := r.systems[GB2017]
	src, _ = source("gbt4754-2017-to-sei2018.csv")
	m := &edgeMeta{source: "NBS 战略性新兴产业分类(2018), links of GB/T 4754-2017 classes (" + src + ")"}
	var pairs []pair
	for _, l := range links {
		if _, ok := gbs.index[l.gb]; !ok {
			return fmt.Errorf("refdata gbt4754-2017-to-sei2018.csv: class %q is not in GB/T 4754-2017", l.gb)
		}
		pairs = append(pairs, pair{from: l.gb, to: thirds[l.key].code, partial: l.partial, partialRev: l.partial, meta: m})
	}
	return r.addWeightedPairs(GB2017, SEI2018, pairs)
}

// seiLess orders SEI codes numerically: 1.2 < 1.10, 3.0.1 < 3.1.
func seiLess(a, b string) bool {
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) && i < len(bs); i++ {
		x, _ := strconv.Atoi(as[i])
		y, _ := strconv.Atoi(bs[i])
		if x != y {
			return x < y
		}
	}
	return len(as) < len(bs)
}

// --- building links from tables ---------------------------------------------------

// checkPairs drops the pairs whose codes are not codes of their systems, and
// records them in the registry's notes (the built-in GB/T 4754-2002 → ISIC Rev.3
// table names a few codes, such as 3922, that ISIC Rev.3 does not have).
func (r *Registry) checkPairs(from, to string, ps []pair) []pair {
	fs, ts := r.systems[from], r.systems[to]
	var bad []string
	out := make([]pair, 0, len(ps))
	for _, p := range ps {
		_, okf := fs.index[p.from]
		_, okt := ts.index[p.to]
		switch {
		case !okf:
			bad = append(bad, from+" "+p.from)
		case !okt && p.to != "":
			bad = append(bad, to+" "+p.to)
		default:
			out = append(out, p)
		}
	}
	if len(bad) > 0 {
		sort.Strings(bad)
		uniq := bad[:0]
		for i, b := range bad {
			if i == 0 || b != bad[i-1] {
				uniq = append(uniq, b)
			}
		}
		r.dataMu.Lock()
		defer r.dataMu.Unlock()
		r.notes = append(r.notes, fmt.Sprintf("crosswalk %s → %s: %d of %d rows left out: they name codes that are not codes of their systems (%s)",
			from, to, len(ps)-len(out), len(ps), strings.Join(uniq, ", ")))
	}
	return out
}

// addPairs registers an unweighted table in both directions with structural
// weights (see WeightStructural).
func (r *Registry) addPairs(from, to string, ps []pair) error {
	ps = r.checkPairs(from, to, ps)
	fwd, rev := r.structural(from, to, ps)
	r.links[[2]string{from, to}] = fwd
	r.links[[2]string{to, from}] = rev
	return nil
}

// structural builds both directions of an unweighted table: a code's share to a
// target is proportional to 1 / (number of codes linking to that target).
func (r *Registry) structural(from, to string, ps []pair) (fwd, rev *link) {
	ps = dedupePairs(ps)
	indeg := map[string]int32{}  // to → number of from codes
	outdeg := map[string]int32{} // from → number of to codes
	for _, p := range ps {
		if p.to != "" {
			indeg[p.to]++
		}
		outdeg[p.from]++
	}
	fwd = &link{from: from, to: to, edges: make(map[string][]edge, len(outdeg)), explicit: true}
	rev = &link{from: to, to: from, edges: make(map[string][]edge, len(indeg)), explicit: true}
	metas := map[*edgeMeta][2]*edgeMeta{}
	variants := func(m *edgeMeta) (eq, st *edgeMeta) {
		v, ok := metas[m]
		if !ok {
			base := edgeMeta{}
			if m != nil {
				base = *m
			}
			e, s := base, base
			e.weightType, s.weightType = cipmap.WeightEqual, WeightStructural
			v = [2]*edgeMeta{r.meta(e), r.meta(s)}
			metas[m] = v
		}
		return v[0], v[1]
	}
	// ps is sorted by from: the edges of each source code are contiguous.
	back := make([]edge, len(ps))
	for i, p := range ps {
		w := 1.0
		if p.to != "" {
			w = 1 / float64(indeg[p.to])
			rev.edges[p.to] = append(rev.edges[p.to], edge{to: p.from, w: 1 / float64(outdeg[p.from]), partial: p.partialRev, meta: p.meta})
		}
		back[i] = edge{to: p.to, w: w, partial: p.partial, meta: p.meta}
	}
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].from == ps[i].from {
			j++
		}
		eq, st := variants(back[i].meta)
		fwd.edges[ps[i].from] = normalise(back[i:j:j], eq, st)
		i = j
	}
	for c, es := range rev.edges {
		eq, st := variants(es[0].meta)
		rev.edges[c] = normalise(es, eq, st)
	}
	return fwd, rev
}

// dedupePairs sorts pairs and merges repeated ones (their partial flags or-ed).
func dedupePairs(ps []pair) []pair {
	ps = append([]pair(nil), ps...)
	if !slices.IsSortedFunc(ps, comparePairs) {
		slices.SortStableFunc(ps, comparePairs)
	}
	out := ps[:0]
	for _, p := range ps {
		if n := len(out); n > 0 && out[n-1].from == p.from && out[n-1].to == p.to {
			out[n-1].partial = out[n-1].partial || p.partial
			out[n-1].partialRev = out[n-1].partialRev || p.partialRev
			continue
		}
		out = append(out, p)
	}
	return out
}

func comparePairs(a, b pair) int {
	if c := strings.Compare(a.from, b.from); c != 0 {
		return c
	}
	return strings.Compare(a.to, b.to)
}

// addWeightedPairs registers a table whose rows share each source code's mass
// equally (GB/T 4754 → SEI, IPC → SEI). The reverse splits each target code's mass
// over its sources in proportion to those shares (as deriveReverse does).
func (r *Registry) addWeightedPairs(from, to string, ps []pair) error {
	fwd, rev := r.weightedLinks(from, to, ps)
	r.links[[2]string{from, to}] = fwd
	r.links[[2]string{to, from}] = rev
	return nil
}

// weightedLinks builds the two links of addWeightedPairs.
func (r *Registry) weightedLinks(from, to string, ps []pair) (fwd, rev *link) {
	ps = dedupePairs(r.checkPairs(from, to, ps))
	fwd = &link{from: from, to: to, edges: map[string][]edge{}, explicit: true, weighted: true}
	rev = &link{from: to, to: from, edges: map[string][]edge{}, weighted: true}
	var m, rm [2]*edgeMeta
	src := ""
	back := make([]edge, len(ps))
	for i := 0; i < len(ps); {
		j := i + 1
		for j < len(ps) && ps[j].from == ps[i].from {
			j++
		}
		w := 1 / float64(j-i)
		for k := i; k < j; k++ {
			p := ps[k]
			if m[0] == nil || (p.meta != nil && p.meta.source != src) {
				if p.meta != nil {
					src = p.meta.source
				}
				m[0] = r.meta(edgeMeta{weightType: cipmap.WeightEqual, source: src})
				rm[0] = r.meta(edgeMeta{weightType: cipmap.WeightEqual, source: "reverse of " + src})
				rm[1] = r.meta(edgeMeta{weightType: WeightStructural, source: "reverse of " + src})
			}
			back[k] = edge{to: p.to, w: w, partial: p.partial, meta: m[0]}
			rev.edges[p.to] = append(rev.edges[p.to], edge{to: p.from, w: w, partial: p.partialRev, meta: rm[0]})
		}
		fwd.edges[ps[i].from] = back[i:j:j]
		i = j
	}
	for c, es := range rev.edges {
		rev.edges[c] = normalise(es, rm[0], rm[1])
	}
	return fwd, rev
}
