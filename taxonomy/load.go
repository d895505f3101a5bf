package taxonomy

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/tagger"
	"io"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/refdata"
)

// System ids of the built-in code systems.
const (
	HS2022     = "hs2022"
	HS2017     = "hs2017"
	HSCombined = "hscombined"
	GB2017     = "gbt4754-2017"
	GB2011     = "gbt4754-2011"
	GB2002     = "gbt4754-2002"
	ISIC4      = "isic4"
	ISIC31     = "isic31"
	ISIC3      = "isic3"
	SEI2018    = "sei2018"
	IPC        = "ipc"
	WIPO35     = "wipo35"
	MIC2025    = "mic2025"
)

// Load builds a new registry of the built-in code systems and crosswalks from the
// tables of package refdata. It takes some tens of milliseconds; Default shares
// one registry between callers.
func Load() (*Registry, error) {
	// Read and parse the tables concurrently; register them in a fixed order
	// afterwards, since the order of systems breaks ties between shortest paths.
	var p parsed
	var std *ctt.Standard
	var tg *tagger.Tagger
	readCTT := func() (err error) {
		if std, err = ctt.Load(); err != nil {
			return err
		}
		tg, err = tagger.New(std.Tags, tagger.Options{})
		return err
	}
	if err := runAll(p.readHS, p.readHS2017, p.readHSCorrelation, p.readHSCombined,
		p.readGB2017, p.readGBEditions, p.readISIC, p.readSEI, p.readMIC, readCTT); err != nil {
		return nil, err
	}
	r := New()
	if err := p.register(r); err != nil {
		return nil, err
	}
	if err := r.registerCTT(std, tg); err != nil {
		return nil, err
	}
	return r, nil
}

// runAll runs the tasks concurrently and returns the first error, in task order.
func runAll(tasks ...func() error) error {
	errs := make([]error, len(tasks))
	var wg sync.WaitGroup
	for i, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = t()
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// parsed holds the built-in tables as read, before they are registered.
type parsed struct {
	hsSections, hs2022, hs2017, hsCombined []cipmap.Code
	hsCorr, hsISIC                         []pair
	gb2017, gb2011, gb2002                 []cipmap.Code
	gb2002to2011, gb2011to2017, gb2002ISIC []pair
	isic4, isic31, isic3                   []cipmap.Code
	isic4to31, isic31to3                   []pair
	ipc                                    []cipmap.Code
	ipcSEI                                 []pair
	wipo                                   []cipmap.Code
	wipoRules                              map[string]string // "H04N" or "H04N3" → field
	wipoTargets                            map[string][]string
	seiCodes                               [][]string // sei2018-codes.csv rows
	gbSEI                                  [][]string // gbt4754-2017-to-sei2018.csv rows
	seiRules                               [][]string // sei2018-placement.csv rows
	mic                                    micFile
}

// pair is one row of an unweighted crosswalk table.
type pair struct {
	from, to   string // to == "": the source says the code has no counterpart
	partial    bool   // the link covers only part of from
	partialRev bool   // the link covers only part of to
	meta       *edgeMeta
}

func sortPairs(ps []pair) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].from != ps[j].from {
			return ps[i].from < ps[j].from
		}
		return ps[i].to < ps[j].to
	})
}

// source describes a refdata file for CodeSystem.Source and edge sources.
func source(names ...string) (src, licence string) {
	var srcs, lics []string
	for _, n := range names {
		f, ok := refdata.Lookup(n)
		if !ok {
			srcs = append(srcs, n)
			continue
		}
		s := n + ": " + f.Repo
		if f.Commit != "" {
			s += " @ " + f.Commit
		}
		s += ", " + f.Path
		srcs = append(srcs, s)
		if !contains(lics, f.Licence) {
			lics = append(lics, f.Licence)
		}
	}
	return strings.Join(srcs, "; "), strings.Join(lics, "; ")
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// rows streams the records of a CSV (or, with comma '\t', TSV) table of refdata to
// fn, after checking that its header has the wanted columns. rec is reused from one
// call to the next; its strings are not.
func rows(name string, comma rune, want []string, fn func(line int, rec []string, c map[string]int) error) error {
	b, err := refdata.ReadFile(name)
	if err != nil {
		return err
	}
	b = bytes.TrimPrefix(b, []byte("\ufeff"))
	cr := csv.NewReader(bytes.NewReader(b))
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.Comment = '#'
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("refdata %s: header: %w", name, err)
	}
	c, err := cols(name, header, want...)
	if err != nil {
		return err
	}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("refdata %s: %w", name, err)
		}
		line, _ := cr.FieldPos(0)
		if err := fn(line, rec, c); err != nil {
			return err
		}
	}
}

// cols maps header names to indexes and checks that the wanted ones are there.
func cols(name string, header []string, want ...string) (map[string]int, error) {
	m := map[string]int{}
	for i, h := range header {
		m[strings.TrimSpace(h)] = i
	}
	for _, w := range want {
		if _, ok := m[w]; !ok {
			return nil, fmt.Errorf("refdata %s: no column %q in %q", name, w, header)
		}
	}
	return m, nil
}

func field(row []string, i int) string {
	if i < len(row) {
		return strings.TrimSpace(row[i])
	}
	return ""
}

// --- HS ---------------------------------------------------------------------

func (p *parsed) readHS() error {
	err := rows("sections.csv", ',', []string{"section", "name"}, func(_ int, r []string, c map[string]int) error {
		p.hsSections = append(p.hsSections, cipmap.Code{Code: field(r, c["section"]), Level: 1, Name: cipmap.Label{EN: field(r, c["name"])}})
		return nil
	})
	if err != nil {
		return err
	}
	p.hs2022 = make([]cipmap.Code, 0, 7000)
	return rows("harmonized-system.csv", ',', []string{"section", "hscode", "description", "parent", "level"}, func(line int, r []string, c map[string]int) error {
		code, parent, level := field(r, c["hscode"]), field(r, c["parent"]), field(r, c["level"])
		var l int
		switch level {
		case "2":
			l, parent = 2, field(r, c["section"])
			if parent == "TOTAL" {
				parent = ""
			}
		case "4":
			l = 3
		case "6":
			l = 4
		case "5":
			return nil // TOTAL
		default:
			return fmt.Errorf("refdata harmonized-system.csv:%d: level %q", line, level)
		}
		p.hs2022 = append(p.hs2022, cipmap.Code{Code: code, Parent: parent, Level: l, Name: cipmap.Label{EN: field(r, c["description"])}})
		return nil
	})
}

func (p *parsed) readHS2017() error {
	b, err := refdata.ReadFile("comtrade-hs2017.json")
	if err != nil {
		return err
	}
	var doc struct {
		Results []struct{ ID, Text, Parent string }
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("refdata comtrade-hs2017.json: %w", err)
	}
	p.hs2017 = make([]cipmap.Code, 0, len(doc.Results))
	for _, x := range doc.Results {
		if !allDigits(x.ID) || (len(x.ID) != 2 && len(x.ID) != 4 && len(x.ID) != 6) {
			continue // ALL, TOTAL, AG2, ...
		}
		name := strings.TrimSpace(strings.TrimPrefix(x.Text, x.ID+" - "))
		parent := x.Parent
		if len(x.ID) == 2 {
			parent = "" // the section, from HS 2022's table, at registration
		}
		p.hs2017 = append(p.hs2017, cipmap.Code{Code: x.ID, Parent: parent, Level: len(x.ID)/2 + 1, Name: cipmap.Label{EN: name}})
	}
	return nil
}

func (p *parsed) readHSCorrelation() error {
	const name = "hs2022-hs2017-correlations.csv"
	src, _ := source(name)
	m := &edgeMeta{source: "UN correlation table HS 2022 ↔ HS 2017 (" + src + ")"}
	p.hsCorr = make([]pair, 0, 16000)
	return rows(name, ',', []string{"HS2022", "HS2017", "Relationship"}, func(line int, r []string, c map[string]int) error {
		a, b := field(r, c["HS2022"]), field(r, c["HS2017"])
		if len(a) != 6 || len(b) != 6 || !allDigits(a) || !allDigits(b) {
			return fmt.Errorf("refdata %s:%d: codes %q, %q are not HS subheadings", name, line, a, b)
		}
		p.hsCorr = append(p.hsCorr, pair{from: a, to: b, meta: m})
		return nil
	})
}

func (p *parsed) readHSCombined() error {
	const name = "hs-combined-isic3-wits.csv"
	src, _ := source(name)
	m := &edgeMeta{source: "WITS concordance HS (combined) → ISIC Rev.3 (" + src + ")"}
	p.hsCombined = make([]cipmap.Code, 0, 6000)
	p.hsISIC = make([]pair, 0, 6000)
	return rows(name, ',', nil, func(line int, r []string, _ map[string]int) error {
		hs, isic := field(r, 0), field(r, 2)
		if len(hs) != 6 || !allDigits(hs) || len(isic) != 4 {
			return fmt.Errorf("refdata %s:%d: codes %q, %q", name, line, hs, isic)
		}
		p.hsCombined = append(p.hsCombined, cipmap.Code{Code: hs, Parent: hs[:4], Name: cipmap.Label{EN: field(r, 1)}})
		if isic == "9999" {
			isic = "" // "Goods not elsewhere classified": no ISIC Rev.3 counterpart
		}
		p.hsISIC = append(p.hsISIC, pair{from: hs, to: isic, meta: m})
		return nil
	})
}

// --- GB/T 4754 ----------------------------------------------------------------

func (p *parsed) readGB2017() error {
	const name = "gbt4754-2017-flat.csv"
	p.gb2017 = make([]cipmap.Code, 0, 2000)
	return rows(name, ',', []string{"code", "level", "name_zh", "parent_code", "description_zh"}, func(line int, r []string, c map[string]int) error {
		l := field(r, c["level"])
		if len(l) != 1 || l[0] < '1' || l[0] > '4' {
			return fmt.Errorf("refdata %s:%d: level %q", name, line, l)
		}
		p.gb2017 = append(p.gb2017, cipmap.Code{
			Code: field(r, c["code"]), Parent: field(r, c["parent_code"]), Level: int(l[0] - '0'),
			Name: cipmap.Label{ZH: field(r, c["name_zh"])}, Note: field(r, c["description_zh"]),
		})
		return nil
	})
}

func (p *parsed) readGBEditions() error {
	const name = "gb_all_pairs.csv"
	src, _ := source(name)
	m02 := &edgeMeta{source: "GB/T 4754-2002 → 2011 (" + src + ")"}
	m11 := &edgeMeta{source: "GB/T 4754-2011 → 2017 (" + src + ")"}
	codes := map[string]map[string]bool{"2002": {}, "2011": {}}
	err := rows(name, ',', []string{"from_year", "to_year", "level", "from_code", "to_code"}, func(line int, r []string, c map[string]int) error {
		fy, ty, from, to := field(r, c["from_year"]), field(r, c["to_year"]), field(r, c["from_code"]), field(r, c["to_code"])
		var dst *[]pair
		var m *edgeMeta
		switch fy + ty {
		case "20022011":
			dst, m = &p.gb2002to2011, m02
		case "20112017":
			dst, m = &p.gb2011to2017, m11
		}
		// The codes of an edition: those the 2002 → 2011 and 2011 → 2017 tables
		// convert from or to (not the 1994 → 2002 table, which names a 2002 code,
		// 3515, that the 2002 → 2011 table does not know).
		if dst == nil {
			return nil
		}
		for _, x := range [2]struct{ year, code string }{{fy, from}, {ty, to}} {
			if codes[x.year] != nil && x.code != "" {
				if !allDigits(x.code) || len(x.code) < 2 || len(x.code) > 4 {
					return fmt.Errorf("refdata %s:%d: code %q", name, line, x.code)
				}
				codes[x.year][x.code] = true
			}
		}
		if dst != nil && from != "" {
			*dst = append(*dst, pair{from: from, to: to, meta: m})
		}
		return nil
	})
	if err != nil {
		return err
	}
	// GB 2011 class names from the raw 2011 → 2017 table extracted from the
	// standard's PDF: its source_line is "2017code 2017name 2011code 2011name [note]".
	names11 := map[string]string{}
	err = rows("GB_2011_2017_raw.csv", ',', []string{"S_2011", "S_2017", "source_line"}, func(_ int, r []string, c map[string]int) error {
		t := strings.Fields(field(r, c["source_line"]))
		if len(t) >= 4 && t[0] == field(r, c["S_2017"]) && t[2] == field(r, c["S_2011"]) {
			if _, ok := names11[t[2]]; !ok {
				names11[t[2]] = t[3]
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, y := range []string{"2002", "2011"} {
		var list []string
		for code := range codes[y] {
			list = append(list, code)
		}
		sort.Strings(list)
		out := make([]cipmap.Code, 0, len(list))
		for _, code := range list {
			cc := cipmap.Code{Code: code, Parent: structuralParent(kindGB, code), Level: len(code) - 1}
			if y == "2011" {
				cc.Name.ZH = names11[code]
			}
			out = append(out, cc)
		}
		if y == "2002" {
			p.gb2002 = out
		} else {
			p.gb2011 = out
		}
	}
	// GB/T 4754-2002 → ISIC Rev.3, code to code at the same level.
	const gi = "gb_2002_isic3.csv"
	src, _ = source(gi)
	mi := &edgeMeta{source: "GB/T 4754-2002 → ISIC Rev.3 (" + src + ")"}
	return rows(gi, ',', []string{"gb_level", "gb_code", "isic_level", "isic_code"}, func(_ int, r []string, c map[string]int) error {
		if field(r, c["gb_level"]) == field(r, c["isic_level"]) { // the table also lists the ISIC codes at other levels
			p.gb2002ISIC = append(p.gb2002ISIC, pair{from: field(r, c["gb_code"]), to: field(r, c["isic_code"]), meta: mi})
		}
		return nil
	})
}

// --- ISIC ---------------------------------------------------------------------

func (p *parsed) readISIC() error {
	// Rev.4: "Code","Description".
	var recs [][2]string
	err := rows("ISIC_Rev_4_english_structure.txt", ',', []string{"Code", "Description"}, func(_ int, r []string, c map[string]int) error {
		recs = append(recs, [2]string{field(r, c["Code"]), field(r, c["Description"])})
		return nil
	})
	if err != nil {
		return err
	}
	p.isic4 = isicTree(recs)
	// Rev.3: fixed width, "Code          Description".
	b, err := refdata.ReadFile("ISIC_Rev_3_english_structure.txt")
	if err != nil {
		return err
	}
	recs = recs[:0]
	sc := bufio.NewScanner(bytes.NewReader(b))
	first := true
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r ")
		if first {
			first = false
			continue
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		recs = append(recs, [2]string{f[0], strings.TrimSpace(strings.TrimPrefix(line, f[0]))})
	}
	p.isic3 = isicTree(recs)
	// ISIC4 ↔ ISIC3.1.
	const n4 = "ISIC4_ISIC31.txt"
	src, _ := source(n4)
	m4 := &edgeMeta{source: "UN correspondence ISIC Rev.4 ↔ ISIC Rev.3.1 (" + src + ")"}
	codes31 := map[string]bool{}
	err = rows(n4, ',', []string{"ISIC4code", "partialISIC4", "ISIC31code", "partialISIC31"}, func(_ int, r []string, c map[string]int) error {
		a, b := field(r, c["ISIC4code"]), field(r, c["ISIC31code"])
		codes31[b] = true
		p.isic4to31 = append(p.isic4to31, pair{from: a, to: b, partial: field(r, c["partialISIC4"]) == "1", partialRev: field(r, c["partialISIC31"]) == "1", meta: m4})
		return nil
	})
	if err != nil {
		return err
	}
	const n31 = "ISIC_Rev_31-ISIC_Rev_3_correspondence.txt"
	src, _ = source(n31)
	m31 := &edgeMeta{source: "UN correspondence ISIC Rev.3.1 ↔ ISIC Rev.3 (" + src + ")"}
	err = rows(n31, ',', []string{"Rev31", "partial31", "Rev3", "partial3"}, func(_ int, r []string, c map[string]int) error {
		a, b := field(r, c["Rev31"]), field(r, c["Rev3"])
		codes31[a] = true
		if b == "n/a" {
			b = ""
		}
		p.isic31to3 = append(p.isic31to3, pair{from: a, to: b, partial: field(r, c["partial31"]) == "1", partialRev: field(r, c["partial3"]) == "1", meta: m31})
		return nil
	})
	if err != nil {
		return err
	}
	var list []string
	for code := range codes31 {
		list = append(list, code)
	}
	sort.Strings(list)
	for _, code := range list {
		p.isic31 = append(p.isic31, cipmap.Code{Code: code, Parent: code[:3]})
	}
	return nil
}

// isicTree turns (code, description) rows in structure order into codes: a
// division's parent is the section row above it.
func isicTree(recs [][2]string) []cipmap.Code {
	var out []cipmap.Code
	section := ""
	for _, r := range recs {
		code := r[0]
		c := cipmap.Code{Code: code, Name: cipmap.Label{EN: r[1]}}
		switch len(code) {
		case 1:
			section = code
			c.Level = 1
		case 2:
			c.Parent, c.Level = section, 2
		default:
			c.Parent, c.Level = code[:len(code)-1], len(code)
		}
		out = append(out, c)
	}
	return out
}

// --- IPC and WIPO fields --------------------------------------------------------

func (p *parsed) readIPC() error {
	const name = "ipc-2016-hierarchy.tsv"
	b, err := refdata.ReadFile(name)
	if err != nil {
		return err
	}
	p.ipc = make([]cipmap.Code, 0, bytes.Count(b, []byte("\n")))
	line := 0
	for len(b) > 0 {
		var ln []byte
		if i := bytes.IndexByte(b, '\n'); i >= 0 {
			ln, b = b[:i], b[i+1:]
		} else {
			ln, b = b, nil
		}
		line++
		ln = bytes.TrimRight(ln, "\r")
		if line == 1 || len(ln) == 0 {
			continue
		}
		// ipc_code \t ancestor (the parent group, compact) \t section \t version
		f0, rest, _ := bytes.Cut(ln, []byte("\t"))
		f1, _, _ := bytes.Cut(rest, []byte("\t"))
		code, ok := normalizeIPCBytes(f0)
		if !ok {
			return fmt.Errorf("refdata %s:%d: IPC code %q", name, line, f0)
		}
		var parent string
		if len(f1) > 0 {
			if parent, ok = normalizeIPCBytes(f1); !ok {
				return fmt.Errorf("refdata %s:%d: IPC code %q", name, line, f1)
			}
		} else {
			parent = structuralParent(kindIPC, code)
		}
		p.ipc = append(p.ipc, cipmap.Code{Code: code, Parent: parent})
	}
	return nil
}

func (p *parsed) readIPCSEI() error {
	const name = "ipc-sei2018.csv"
	src, _ := source(name)
	m := &edgeMeta{source: "CNIPA 战略性新兴产业分类与国际专利分类参照关系表 (2021) (" + src + ")"}
	p.ipcSEI = make([]pair, 0, 35000)
	err := rows(name, ',', []string{"ipc_code", "sei_code"}, func(line int, r []string, c map[string]int) error {
		code, ok := normalizeIPC(strings.ToUpper(field(r, c["ipc_code"])))
		if !ok {
			return fmt.Errorf("refdata %s:%d: IPC code %q", name, line, field(r, c["ipc_code"]))
		}
		p.ipcSEI = append(p.ipcSEI, pair{from: code, to: field(r, c["sei_code"]), meta: m})
		return nil
	})
	if err != nil {
		return err
	}
	// cipmap's supplement for the subclasses the CNIPA table lacks (H01L), used only
	// where the table has nothing for a code's subtree.
	const supp = "ipc-sei2018-supplement.csv"
	covered := map[string]bool{}
	for _, pr := range p.ipcSEI {
		covered[pr.from[:min(4, len(pr.from))]] = true
	}
	sm := &edgeMeta{source: "cipmap's supplement for IPC codes the CNIPA table lacks (" + supp + ")"}
	return rows(supp, ',', []string{"ipc_code", "sei_code"}, func(line int, r []string, c map[string]int) error {
		if strings.HasPrefix(field(r, 0), "#") {
			return nil
		}
		code, ok := normalizeIPC(strings.ToUpper(field(r, c["ipc_code"])))
		if !ok {
			return fmt.Errorf("refdata %s:%d: IPC code %q", supp, line, field(r, c["ipc_code"]))
		}
		if covered[code[:min(4, len(code))]] {
			return fmt.Errorf("refdata %s:%d: IPC %s: the CNIPA table has rows for its subclass; the supplement is for subclasses it lacks", supp, line, code)
		}
		p.ipcSEI = append(p.ipcSEI, pair{from: code, to: field(r, c["sei_code"]), meta: sm})
		return nil
	})
}

func (p *parsed) readWIPO() error {
	const name = "wipo-ipc-technology-fields.csv"
	romans := []string{"I", "II", "III", "IV", "V", "VI", "VII", "VIII"}
	sectors := map[string]string{}
	seen := map[string]bool{}
	p.wipoRules = map[string]string{}
	p.wipoTargets = map[string][]string{}
	return rows(name, ',', []string{"field_nr", "sector", "field_name", "ipc"}, func(line int, r []string, c map[string]int) error {
		nr, sector, pat := field(r, c["field_nr"]), field(r, c["sector"]), field(r, c["ipc"])
		sec, ok := sectors[sector]
		if !ok {
			if len(sectors) == len(romans) {
				return fmt.Errorf("refdata %s:%d: too many sectors", name, line)
			}
			sec = romans[len(sectors)]
			sectors[sector] = sec
			p.wipo = append(p.wipo, cipmap.Code{Code: sec, Level: 1, Name: cipmap.Label{EN: sector}})
		}
		if !seen[nr] {
			seen[nr] = true
			p.wipo = append(p.wipo, cipmap.Code{Code: nr, Parent: sec, Level: 2, Name: cipmap.Label{EN: field(r, c["field_name"])}})
		}
		// A SQL LIKE pattern over PATSTAT's fixed-width codes: "F21H%" is a whole
		// subclass, "H04N   3%" main group 3 of H04N and its subgroups.
		if !strings.HasSuffix(pat, "%") || len(pat) < 5 {
			return fmt.Errorf("refdata %s:%d: pattern %q", name, line, pat)
		}
		body := strings.TrimSuffix(pat, "%")
		sub, main := body[:4], strings.TrimSpace(body[4:])
		if _, ok := normalizeIPC(sub); !ok || (main != "" && !allDigits(main)) {
			return fmt.Errorf("refdata %s:%d: pattern %q", name, line, pat)
		}
		key, target := sub, sub
		if main != "" {
			key, target = sub+main, sub+main+"/00"
		}
		if prev, ok := p.wipoRules[key]; ok && prev != nr {
			return fmt.Errorf("refdata %s:%d: pattern %q is in fields %s and %s", name, line, pat, prev, nr)
		}
		p.wipoRules[key] = nr
		p.wipoTargets[nr] = append(p.wipoTargets[nr], target)
		return nil
	})
}

// --- SEI 2018 and MIC 2025 ------------------------------------------------------

func (p *parsed) readSEI() error {
	keep := func(dst *[][]string) func(int, []string, map[string]int) error {
		return func(_ int, r []string, _ map[string]int) error {
			*dst = append(*dst, append([]string(nil), r...))
			return nil
		}
	}
	if err := rows("sei2018-codes.csv", ',', []string{"domain_code", "domain_name", "sei_code", "sei_name"}, keep(&p.seiCodes)); err != nil {
		return err
	}
	if err := rows("gbt4754-2017-to-sei2018.csv", ',', []string{"gb4754_2017_code", "sei2018_path", "partial_star"}, keep(&p.gbSEI)); err != nil {
		return err
	}
	return rows("sei2018-placement.csv", ',', []string{"domain", "contains", "sei_code"}, keep(&p.seiRules))
}

type micFile struct {
	System cipmap.CodeSystem `yaml:"system"`
	Codes  []struct {
		Code string       `yaml:"code"`
		Name cipmap.Label `yaml:"name"`
	} `yaml:"codes"`
}

func (p *parsed) readMIC() error {
	rc, err := refdata.Open("mic2025.yaml")
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(b, &p.mic); err != nil {
		return fmt.Errorf("refdata mic2025.yaml: %w", err)
	}
	return nil
}
