package taxonomy

import (
	"errors"
	"math"
	"math/rand"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
)

// sharedData is the project's folder of real data (../../shared/data/README.md).
const sharedData = "../../shared/data/classifications"

// appendixC is GB/T 4754-2017 → ISIC Rev.4 (product: no): users import it.
var appendixC = filepath.Join(sharedData, "gbt4754-2017-isic4", "gb-isic4-appendix-c.csv")

func registry(t testing.TB) *Registry {
	t.Helper()
	r, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func convert(t *testing.T, r *Registry, from, code, to string) *Result {
	t.Helper()
	res, err := r.Convert(from, code, to)
	if err != nil {
		t.Fatalf("Convert(%s, %s, %s): %v", from, code, to, err)
	}
	checkMass(t, res)
	return res
}

// checkMass checks that the distribution and the unmapped mass add up to 1 and that
// the distribution is sorted, largest first.
func checkMass(t *testing.T, res *Result) {
	t.Helper()
	sum := res.Unmapped
	for i, d := range res.Distribution {
		sum += d.Weight
		if d.Weight <= 0 {
			t.Errorf("%s %s: target %s has weight %v", res.From, res.Code, d.Code, d.Weight)
		}
		if i > 0 && d.Weight > res.Distribution[i-1].Weight {
			t.Errorf("%s %s: distribution not sorted at %d", res.From, res.Code, i)
		}
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("%s %s → %s: distribution + unmapped = %v, want 1", res.From, res.Code, res.To, sum)
	}
}

func weights(res *Result) map[string]float64 {
	m := map[string]float64{}
	for _, d := range res.Distribution {
		m[d.Code] = d.Weight
	}
	return m
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestSystemsLoadWithTheirCounts(t *testing.T) {
	r := registry(t)
	tests := []struct {
		system string
		want   map[string]int
	}{
		{HS2022, map[string]int{"section": 21, "chapter": 97, "heading": 1229, "subheading": 5613}},
		{HS2017, map[string]int{"section": 21, "chapter": 97, "heading": 1223, "subheading": 5388}},
		{GB2017, map[string]int{"section": 20, "division": 97, "group": 473, "class": 1382}},
		{GB2011, map[string]int{"division": 96, "group": 432, "class": 1094}},
		{GB2002, map[string]int{"division": 95, "group": 396, "class": 913}},
		{ISIC4, map[string]int{"section": 21, "division": 88, "group": 238, "class": 419}},
		{ISIC31, map[string]int{"division": 62, "group": 161, "class": 298}},
		{ISIC3, map[string]int{"section": 17, "division": 60, "group": 159, "class": 292}},
		{SEI2018, map[string]int{"domain": 9, "category": 40, "sub-category": 305}},
		{WIPO35, map[string]int{"sector": 5, "field": 35}},
		{MIC2025, map[string]int{"sector": 10}},
	}
	for _, tt := range tests {
		got, err := r.LevelCounts(tt.system)
		if err != nil {
			t.Fatal(err)
		}
		for level, n := range tt.want {
			if got[level] != n {
				t.Errorf("%s: %d codes at level %s, want %d (all: %v)", tt.system, got[level], level, n, got)
			}
		}
	}
	ipc, err := r.LevelCounts(IPC)
	if err != nil {
		t.Fatal(err)
	}
	if ipc["section"] != 8 || ipc["main group"]+ipc["subgroup"] < 71333 {
		t.Errorf("IPC: %v, want 8 sections and at least the 71,333 groups of IPC 2016.01", ipc)
	}
	var ids []string
	for _, s := range r.Systems() {
		ids = append(ids, s.ID)
		if s.Source == "" || s.Licence == "" || len(s.Levels) == 0 {
			t.Errorf("%s: source, licence and levels must be stated: %+v", s.ID, s)
		}
	}
	want := "hs2022 hs2017 hscombined gbt4754-2017 gbt4754-2011 gbt4754-2002 isic4 isic31 isic3 sei2018 ipc wipo35 mic2025 fyp14 ctt"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("systems %s, want %s", got, want)
	}
}

func TestGBNotesAndNames(t *testing.T) {
	r := registry(t)
	c, err := r.Lookup(GB2017, "C3973")
	if err != nil {
		t.Fatal(err)
	}
	if c.Code != "3973" || c.Name.ZH != "集成电路制造" || c.Parent != "397" || c.Level != 4 {
		t.Errorf("3973 = %+v", c)
	}
	if !strings.Contains(c.Note, "集成电路圆片") {
		t.Errorf("3973 note %q does not hold the official description", c.Note)
	}
	a, _ := r.Lookup(GB2017, "A")
	if !strings.Contains(a.Note, "本门类包括01～05大类") {
		t.Errorf("section A note = %q", a.Note)
	}
	// In GB/T 4754-2011 集成电路制造 was 3963; the edition table links it to 3973.
	if c, _ := r.Lookup(GB2011, "3963"); c.Name.ZH != "集成电路制造" {
		t.Errorf("GB 2011 3963 = %+v", c)
	}
	if res := convert(t, r, GB2011, "3963", GB2017); res.Best.Code != "3973" || res.Best.Weight != 1 {
		t.Errorf("GB 2011 3963 → 2017 %+v", res.Distribution)
	}
}

// The official SEI 2018 links of GB/T 4754-2017 classes come out exactly.
func TestGBToSEIOfficialLinks(t *testing.T) {
	r := registry(t)
	tests := []struct {
		gb, path string
	}{
		{"3973", "新一代信息技术产业 > 电子核心产业 > 集成电路制造"},
		{"3491", "高端装备制造产业 > 智能制造装备产业 > 机器人与增材设备制造"},
		{"3825", "新能源产业 > 太阳能产业 > 太阳能设备和生产装备制造"},
	}
	for _, tt := range tests {
		res := convert(t, r, GB2017, tt.gb, SEI2018)
		if len(res.Distribution) != 1 {
			t.Fatalf("%s → SEI: %d targets, want 1: %+v", tt.gb, len(res.Distribution), res.Distribution)
		}
		b := res.Best
		if b.Name.ZH != tt.path || b.Weight != 1 || b.Partial {
			t.Errorf("%s → SEI = %s %q weight %v partial %v, want %q weight 1 not partial", tt.gb, b.Code, b.Name.ZH, b.Weight, b.Partial, tt.path)
		}
		if !reflectPath(res.Path, GB2017, SEI2018) {
			t.Errorf("%s: path %v", tt.gb, res.Path)
		}
	}
	// 3825 光伏设备及元器件制造 lands under 新能源产业 > 太阳能产业 (6.3).
	res := convert(t, r, GB2017, "3825", SEI2018)
	c, _ := r.Lookup(SEI2018, res.Best.Code)
	if c.Parent != "6.3" || !strings.HasPrefix(c.Code, "6.3.") || c.Level != 3 {
		t.Errorf("3825 → %+v, want a sub-category of 6.3 太阳能产业", c)
	}
	if p, _ := r.Lookup(SEI2018, "6.3"); p.Name.ZH != "太阳能产业" {
		t.Errorf("6.3 = %+v", p)
	}
	// 3442 气体压缩机械制造 has three partial (*) links, equal shares.
	res = convert(t, r, GB2017, "3442", SEI2018)
	want := []string{
		"新能源汽车产业 > 新能源汽车装置、配件制造 > 新能源汽车零部件配件制造",
		"新能源汽车产业 > 新能源汽车相关设施制造 > 供能装置制造",
		"节能环保产业 > 高效节能产业 > 高效节能通用设备制造",
	}
	var got []string
	for _, d := range res.Distribution {
		got = append(got, d.Name.ZH)
		if !d.Partial || !near(d.Weight, 1.0/3) {
			t.Errorf("3442 → %s: weight %v partial %v, want 1/3 partial", d.Name.ZH, d.Weight, d.Partial)
		}
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("3442 → %q, want %q", got, want)
	}
	edges, err := r.Edges(GB2017, "3442", SEI2018)
	if err != nil || len(edges) != 3 || edges[0].WeightType != cipmap.WeightEqual || !edges[0].Partial {
		t.Errorf("Edges(3442) = %+v, %v", edges, err)
	}
}

func reflectPath(got []string, want ...string) bool {
	return strings.Join(got, " ") == strings.Join(want, " ")
}

func TestSEIStructure(t *testing.T) {
	r := registry(t)
	// The truncated name of sei2018-codes.csv is repaired from the paths.
	if c, _ := r.Lookup(SEI2018, "5.4"); c.Name.ZH != "新能源汽车相关服务" {
		t.Errorf("5.4 = %q", c.Name.ZH)
	}
	// A two-level path keeps its name and goes under the second level a rule names.
	res := convert(t, r, GB2017, "2642", SEI2018) // 油墨及类似产品制造
	if res.Best.Name.ZH != "新材料产业 > 油墨制造" {
		t.Fatalf("2642 → %q", res.Best.Name.ZH)
	}
	c, _ := r.Lookup(SEI2018, res.Best.Code)
	if c.Parent != "3.3" || !strings.Contains(c.Note, "油墨") {
		t.Errorf("油墨制造 = %+v, want under 3.3 先进石化化工新材料 with a note naming the rule", c)
	}
	// A two-level path that no rule matches goes under the domain as 3.0.n.
	kids, err := r.Children(SEI2018, "3")
	if err != nil {
		t.Fatal(err)
	}
	var direct []string
	for _, k := range kids {
		if strings.HasPrefix(k.Code, "3.0.") {
			direct = append(direct, k.Name.ZH)
		}
	}
	if len(direct) == 0 || len(direct) > 3 {
		t.Errorf("nodes directly under 新材料产业: %q", direct)
	}
	// Codes are numbered by name within their parent, so they are stable.
	kids, _ = r.Children(SEI2018, "1.2")
	for i := 1; i < len(kids); i++ {
		a, b := kids[i-1].Name.ZH, kids[i].Name.ZH
		if a[strings.LastIndex(a, ">"):] > b[strings.LastIndex(b, ">"):] {
			t.Errorf("1.2 children not numbered by name: %q before %q", a, b)
		}
	}
}

// A split: HS 2022 490590 merged HS 2017 490510 and 490599; converting it back
// returns both, and converting either forward gives 490590 whole.
func TestHSSplitsAndMerges(t *testing.T) {
	r := registry(t)
	res := convert(t, r, HS2022, "4905.90", HS2017)
	w := weights(res)
	if len(w) != 2 || !near(w["490510"], 0.5) || !near(w["490599"], 0.5) || res.Unmapped != 0 {
		t.Errorf("HS2022 490590 → HS2017 = %v (unmapped %v), want 490510 and 490599 at 0.5", w, res.Unmapped)
	}
	for _, c := range []string{"490510", "490599"} {
		res := convert(t, r, HS2017, c, HS2022)
		if len(res.Distribution) != 1 || res.Best.Code != "490590" || res.Best.Weight != 1 {
			t.Errorf("HS2017 %s → HS2022 = %+v, want 490590 weight 1", c, res.Distribution)
		}
	}
	// HS 2017 070959 split into six HS 2022 subheadings: all six come back.
	res = convert(t, r, HS2017, "070959", HS2022)
	w = weights(res)
	for _, c := range []string{"070952", "070953", "070954", "070955", "070956", "070959"} {
		if !near(w[c], 1.0/6) {
			t.Errorf("HS2017 070959 → HS2022 %s weight %v, want 1/6 (got %v)", c, w[c], w)
		}
	}
	if len(w) != 6 {
		t.Errorf("HS2017 070959 → %d HS2022 codes, want 6", len(w))
	}
	res = convert(t, r, HS2022, "070953", HS2017)
	if res.Best.Code != "070959" || res.Best.Weight != 1 {
		t.Errorf("HS2022 070953 → %+v, want 070959", res.Best)
	}
	// n:n: HS 2017 854231 (processors) also feeds the new e-waste subheadings
	// 8549xx; all seven targets come back, and 854231 keeps almost all the mass.
	res = convert(t, r, HS2017, "854231", HS2022)
	w = weights(res)
	if len(w) != 7 || res.Best.Code != "854231" || res.Best.Weight < 0.99 || w["854921"] <= 0 {
		t.Errorf("HS2017 854231 → %v", w)
	}
	edges, _ := r.Edges(HS2017, "854231", HS2022)
	if len(edges) != 7 || edges[0].WeightType != WeightStructural {
		t.Errorf("Edges(854231) = %+v", edges)
	}
	// A heading converts through its subheadings.
	res = convert(t, r, HS2022, "8504", HS2017)
	if len(res.Steps) != 1 || len(res.Steps[0].Routes) != 1 || res.Steps[0].Routes[0].Method != ViaDescendants {
		t.Errorf("8504: steps %+v, want one route through the descendants", res.Steps)
	}
	if len(res.Distribution) < 10 || res.Unmapped != 0 {
		t.Errorf("8504 → %d HS 2017 codes, unmapped %v", len(res.Distribution), res.Unmapped)
	}
}

func TestUnknownCodesNameTheNearestValidOnes(t *testing.T) {
	r := registry(t)
	tests := []struct {
		system, code string
		nearest      []string
	}{
		{HS2022, "8504.99", []string{"850490"}},
		{GB2017, "3977", []string{"3976", "3979"}},
		{IPC, "B25Z 9/16", nil},
		{SEI2018, "1.9", []string{"1.1", "1.2"}},
		{MIC2025, "robotics", nil},
	}
	for _, tt := range tests {
		_, err := r.Convert(tt.system, tt.code, SEI2018)
		if err == nil {
			t.Errorf("%s %s: no error", tt.system, tt.code)
			continue
		}
		if cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), tt.system) {
			t.Errorf("%s %s: error %q (code %s), want EINVALID naming the system", tt.system, tt.code, err, cipmap.ErrorCode(err))
		}
		var u *UnknownCodeError
		if !errors.As(err, &u) {
			t.Errorf("%s %s: %v is not an UnknownCodeError", tt.system, tt.code, err)
			continue
		}
		if len(u.Nearest) == 0 || len(u.Nearest) > 5 {
			t.Errorf("%s %s: nearest %v, want 1-5 codes", tt.system, tt.code, u.Nearest)
		}
		for _, n := range tt.nearest {
			if !strings.Contains(err.Error(), n) {
				t.Errorf("%s %s: error %q does not suggest %s", tt.system, tt.code, err, n)
			}
		}
	}
	if _, err := r.Convert(HS2022, "85A4", HS2017); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("malformed HS code: %v", err)
	}
	if _, err := r.Convert("hs1996", "8504", HS2017); cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), "hs2022") {
		t.Errorf("unknown system: %v", err)
	}
}

func TestNormalize(t *testing.T) {
	r := registry(t)
	tests := []struct{ system, in, want string }{
		{HS2022, "8504.40", "850440"},
		{HS2022, "8504 40", "850440"},
		{HS2022, "85044000", "850440"}, // national tariff line
		{HS2022, "10121", "010121"},    // leading zero lost in a spreadsheet
		{HS2022, "８５０４．４０", "850440"},  // full width
		{HS2022, "xvi", "XVI"},
		{GB2017, "C3973", "3973"},
		{GB2017, "c", "C"},
		{ISIC4, "C2610", "2610"},
		{IPC, "B25J 9/16", "B25J9/16"},
		{IPC, "B25J9/16", "B25J9/16"},
		{IPC, "b25j0009160000", "B25J9/16"},
		{IPC, "B25J   9/16", "B25J9/16"},
		{IPC, "H01L 21/0234", "H01L21/0234"},
		{IPC, "B25J 9/160", "B25J9/16"},
		{IPC, "B25J9", "B25J9/00"},
		{IPC, "b25j", "B25J"},
		{SEI2018, " 1.2. ", "1.2"},
		{WIPO35, "07", "7"},
		{MIC2025, "Aerospace", "aerospace"},
	}
	for _, tt := range tests {
		got, err := r.Normalize(tt.system, tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Normalize(%s, %q) = %q, %v; want %q", tt.system, tt.in, got, err, tt.want)
		}
	}
	if _, err := r.Normalize(GB2017, "B3973"); err == nil || !strings.Contains(err.Error(), "section C") {
		t.Errorf("B3973: %v, want an error saying 3973 is in section C", err)
	}
}

func TestIPC(t *testing.T) {
	r := registry(t)
	// Every IPC code maps to its WIPO field through the table's patterns.
	tests := []struct{ ipc, field string }{
		{"B25J 9/16", "25"},   // Handling (B25J%)
		{"H04N 5/232", "2"},   // Audio-visual (H04N   5%)
		{"H04N 1/00", "3"},    // Telecommunications (H04N   1%)
		{"H04N 21/2343", "4"}, // Digital communication (H04N  21%)
		{"A61K 31/00", "16"},  // Pharmaceuticals
	}
	for _, tt := range tests {
		res := convert(t, r, IPC, tt.ipc, WIPO35)
		if res.Best.Code != tt.field || res.Best.Weight != 1 {
			t.Errorf("%s → WIPO %+v, want field %s", tt.ipc, res.Best, tt.field)
		}
	}
	// IPC → SEI 2018, with a subgroup the CNIPA table does not list going through
	// its nearest listed ancestor.
	res := convert(t, r, IPC, "B25J9/16", SEI2018)
	if res.Best.Code != "2.1" || res.Best.Name.ZH != "智能制造装备产业" {
		t.Errorf("B25J9/16 → %+v, want 2.1 智能制造装备产业", res.Best)
	}
	res = convert(t, r, IPC, "B25J9/1699", SEI2018) // a later IPC version's subgroup
	if res.Best.Code != "2.1" || len(res.Steps[0].Routes) != 1 || res.Steps[0].Routes[0].Method != ViaAncestor {
		t.Errorf("B25J9/1699 → %+v, routes %+v", res.Best, res.Steps[0].Routes)
	}
	// H01L is absent from the CNIPA table: cipmap's supplement links it, naming
	// itself as the source; solar cells (H01L31) go to solar energy.
	res = convert(t, r, IPC, "H01L21/02", SEI2018)
	if res.Best.Code != "1.2" || res.Unmapped != 0 {
		t.Errorf("H01L21/02 → %+v, unmapped %v; want 1.2 from the supplement", res.Distribution, res.Unmapped)
	}
	if es, _ := r.Edges(IPC, "H01L", SEI2018); len(es) != 1 || !strings.Contains(es[0].Source, "supplement") {
		t.Errorf("H01L edges %+v, want one naming the supplement", es)
	}
	if res = convert(t, r, IPC, "H01L31/0445", SEI2018); res.Best.Code != "6.3" {
		t.Errorf("H01L31/0445 → %+v, want 6.3", res.Best)
	}
	// SEI → IPC goes back over the same table.
	res = convert(t, r, SEI2018, "1.5", IPC)
	if len(res.Distribution) < 100 || res.Unmapped != 0 {
		t.Errorf("SEI 1.5 → %d IPC codes, unmapped %v", len(res.Distribution), res.Unmapped)
	}
}

// HS → GB/T 4754-2017 has no direct table: it is composed through HS 2017, HS
// combined, ISIC Rev.3 and the GB editions, and says so.
func TestComposedConversionReportsPathAndUnmappedMass(t *testing.T) {
	r := registry(t)
	res := convert(t, r, HS2022, "8542.31", GB2017) // processors and controllers
	want := []string{HS2022, HS2017, HSCombined, ISIC3, GB2002, GB2011, GB2017}
	if !reflectPath(res.Path, want...) {
		t.Errorf("path %v, want %v", res.Path, want)
	}
	if len(res.Steps) != len(want)-1 {
		t.Errorf("%d steps, want %d", len(res.Steps), len(want)-1)
	}
	if res.Unmapped != 0 || weights(res)["3973"] <= 0 {
		t.Errorf("854231 → %+v (unmapped %v), want 3973 集成电路制造 among the targets", res.Distribution, res.Unmapped)
	}
	// HS 2022 050210 (pig bristles) is "goods not elsewhere classified" in WITS:
	// all its mass is unmapped, at the HS combined → ISIC Rev.3 step.
	res = convert(t, r, HS2022, "050210", GB2017)
	if res.Unmapped != 1 || len(res.Distribution) != 0 {
		t.Errorf("050210 → %+v, unmapped %v", res.Distribution, res.Unmapped)
	}
	lost := res.Steps[2]
	if lost.From != HSCombined || lost.To != ISIC3 || lost.Unmapped != 1 || len(lost.Routes) != 1 || lost.Routes[0].Method != Unmapped {
		t.Errorf("050210 step %+v", lost)
	}
	// An HS 2017 subheading that HS combined lacks (created after HS 2007) goes
	// through its heading.
	res = convert(t, r, HS2022, "851713", GB2017) // smartphones (new in HS 2022)
	found := false
	for _, ro := range res.Steps[1].Routes {
		found = found || ro.Method == ViaAncestor
	}
	if !found || len(res.Distribution) == 0 {
		t.Errorf("851713: step %+v, want a route through an ancestor", res.Steps[1])
	}
	// The mean unmapped mass over all HS 2022 subheadings is small.
	codes, _ := r.Codes(HS2022)
	var in []string
	for _, c := range codes {
		if len(c.Code) == 6 {
			in = append(in, c.Code)
		}
	}
	all, err := r.ConvertMany(HS2022, GB2017, in)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0.0
	for _, x := range all {
		sum += x.Unmapped
	}
	mean := sum / float64(len(all))
	t.Logf("HS 2022 → GB/T 4754-2017 over %d subheadings: mean unmapped mass %.4f; path %v", len(all), mean, all[0].Path)
	if mean > 0.05 {
		t.Errorf("mean unmapped mass %.4f", mean)
	}
	// And back: a GB class reaches HS 2022 codes.
	res = convert(t, r, GB2017, "3973", HS2022)
	if weights(res)["854231"] <= 0 {
		t.Errorf("3973 → HS 2022 %v lacks 854231", res.Distribution[:min(5, len(res.Distribution))])
	}
}

func TestISICRevisions(t *testing.T) {
	r := registry(t)
	res := convert(t, r, ISIC4, "2610", ISIC3)
	if !reflectPath(res.Path, ISIC4, ISIC31, ISIC3) || len(res.Distribution) == 0 {
		t.Errorf("ISIC4 2610 → ISIC3: path %v, %+v", res.Path, res.Distribution)
	}
	// ISIC Rev.3.1 9600 has no Rev.3 counterpart.
	res = convert(t, r, ISIC31, "9600", ISIC3)
	if res.Unmapped != 1 {
		t.Errorf("ISIC3.1 9600 → ISIC3: unmapped %v", res.Unmapped)
	}
	// Partial flags of the UN tables are kept.
	res = convert(t, r, ISIC4, "0113", ISIC31)
	for _, d := range res.Distribution {
		if !d.Partial {
			t.Errorf("ISIC4 0113 → %s not partial", d.Code)
		}
	}
}

func TestImportAppendixC(t *testing.T) {
	if _, err := os.Stat(appendixC); err != nil {
		t.Skipf("GB → ISIC Rev.4 appendix absent: %v", err)
	}
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := r.ImportFileReport(appendixC, GB2017, ISIC4, ImportOptions{
		FromColumn: "GB", ToColumn: "isic4", Where: map[string]string{"yr": "2017.0"}, SkipUnknown: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("appendix C: %+v", rep)
	if rep.Edges < 1400 || rep.Filtered != 1527 || rep.Unknown > 5 {
		t.Errorf("report %+v", rep)
	}
	res := convert(t, r, GB2017, "3973", ISIC4)
	if res.Best.Code != "2610" || res.Best.Weight != 1 || !reflectPath(res.Path, GB2017, ISIC4) {
		t.Errorf("3973 → ISIC4 %+v path %v, want 2610", res.Best, res.Path)
	}
	// The reverse is derived: ISIC4 2610 → GB classes including 3973.
	res = convert(t, r, ISIC4, "2610", GB2017)
	if weights(res)["3973"] <= 0 {
		t.Errorf("ISIC4 2610 → %+v lacks 3973", res.Distribution)
	}
	// The shared registry is untouched.
	// Paths of equal length keep preferring the GB chain (registered first).
	if p, _ := r.Path(HS2022, GB2017); !reflectPath(p, HS2022, HS2017, HSCombined, ISIC3, GB2002, GB2011, GB2017) {
		t.Errorf("HS 2022 → GB 2017 after the import: %v", p)
	}
	if p, err := registry(t).Path(GB2017, ISIC4); err == nil && len(p) == 2 {
		t.Error("an import into a registry of Load leaked into Default")
	}
}

func TestImportErrorsNameFileAndLine(t *testing.T) {
	r := New()
	if err := r.AddSystem(cipmap.CodeSystem{ID: "a"}, []cipmap.Code{{Code: "x"}, {Code: "y"}}); err != nil {
		t.Fatal(err)
	}
	if err := r.AddSystem(cipmap.CodeSystem{ID: "b"}, []cipmap.Code{{Code: "p"}, {Code: "q"}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, content string
		opts          ImportOptions
		want          string
	}{
		{"weight.csv", "from_code,to_code,weight\nx,p,0.5\nx,q,lots\n", ImportOptions{}, "weight.csv:3: column weight: \"lots\""},
		{"unknown.csv", "from_code,to_code\nx,p\nz,q\n", ImportOptions{}, "unknown.csv:3: column from_code: \"z\""},
		{"column.csv", "src,dst\nx,p\n", ImportOptions{}, "column.csv:1: no column \"from_code\""},
		{"partial.csv", "from_code,to_code,partial\nx,p,maybe\n", ImportOptions{}, "partial.csv:2: column partial"},
	}
	for _, tt := range tests {
		_, err := r.ImportFile(write(tt.name, tt.content), "a", "b", tt.opts)
		if err == nil || cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v, want EINVALID containing %q", tt.name, err, tt.want)
		}
	}
	if _, err := r.ImportFile(filepath.Join(dir, "absent.csv"), "a", "b", ImportOptions{}); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("absent file: %v", err)
	}
	// Weighted rows, a skipped unknown code and a partial flag.
	p := write("ok.csv", "from_code,to_code,weight,partial\nx,p,3,1\nx,q,1,0\nz,q,1,0\n")
	rep, err := r.ImportFileReport(p, "a", "b", ImportOptions{SkipUnknown: true})
	if err != nil || rep.Edges != 2 || rep.Unknown != 1 || len(rep.UnknownRows) != 1 || !strings.Contains(rep.UnknownRows[0], "ok.csv:4") {
		t.Fatalf("report %+v, %v", rep, err)
	}
	res, err := r.Convert("a", "x", "b")
	if err != nil {
		t.Fatal(err)
	}
	w := weights(res)
	if !near(w["p"], 0.75) || !near(w["q"], 0.25) || !res.Best.Partial {
		t.Errorf("x → %+v", res.Distribution)
	}
	// The derived reverse: q's mass comes from x only.
	res, _ = r.Convert("b", "q", "a")
	if res.Best.Code != "x" || res.Best.Weight != 1 {
		t.Errorf("q → %+v", res.Distribution)
	}
}

// A tag tree registered through AddSystem and AddEdges converts through SEI 2018 to
// GB/T 4754 with the reverse of the official links (the way CTT is registered).
func TestAddSystemAndEdges(t *testing.T) {
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	err = r.AddSystem(cipmap.CodeSystem{ID: "mytags", Name: cipmap.Label{EN: "my tags"}, Levels: []string{"domain", "field"}}, []cipmap.Code{
		{Code: "semiconductors", Name: cipmap.Label{EN: "Semiconductors", ZH: "半导体"}},
		{Code: "semiconductors.fabrication", Parent: "semiconductors", Name: cipmap.Label{EN: "Fabrication", ZH: "晶圆制造"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	ic := convert(t, r, GB2017, "3973", SEI2018).Best.Code
	err = r.AddEdges([]cipmap.CrosswalkEdge{
		{FromSystem: "mytags", From: "semiconductors.fabrication", ToSystem: SEI2018, To: ic, Weight: 1, WeightType: cipmap.WeightExpert, Source: "test"},
	})
	if err != nil {
		t.Fatal(err)
	}
	res := convert(t, r, "mytags", "semiconductors.fabrication", GB2017)
	if !reflectPath(res.Path, "mytags", SEI2018, GB2017) || res.Best.Code != "3973" {
		t.Errorf("mytags → GB: path %v best %+v", res.Path, res.Best)
	}
	// The parent tag converts through its child.
	res = convert(t, r, "mytags", "semiconductors", SEI2018)
	if res.Best.Code != ic || res.Steps[0].Routes[0].Method != ViaDescendants {
		t.Errorf("semiconductors → %+v %+v", res.Best, res.Steps)
	}
	// And back, SEI → CTT through the derived reverse.
	res = convert(t, r, SEI2018, ic, "mytags")
	if res.Best.Code != "semiconductors.fabrication" {
		t.Errorf("SEI %s → mytags %+v", ic, res.Best)
	}
	if err := r.AddEdges([]cipmap.CrosswalkEdge{{FromSystem: "mytags", From: "nope", ToSystem: SEI2018, To: ic, Weight: 1}}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("edge from an unknown code: %v", err)
	}
	if err := r.AddSystem(cipmap.CodeSystem{ID: "mytags"}, []cipmap.Code{{Code: "x", Parent: "nope"}}); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("code with an unknown parent: %v", err)
	}
}

func TestConvertManyIsMemoisedAndKeepsBadCodes(t *testing.T) {
	r := registry(t)
	res, err := r.ConvertMany(HS2022, HS2017, []string{"490590", "4905.90", "490590", "99x", "070953"})
	if err != nil {
		t.Fatal(err)
	}
	if res[0] != res[2] || res[1].Code != "490590" || res[1].Input != "4905.90" {
		t.Errorf("memoisation: %p %p, %+v", res[0], res[2], res[1])
	}
	if res[3].Err == nil || res[3].Unmapped != 1 || cipmap.ErrorCode(res[3].Err) != cipmap.EINVALID {
		t.Errorf("bad code: %+v", res[3])
	}
	if res[4].Best.Code != "070959" {
		t.Errorf("070953 → %+v", res[4].Best)
	}
	island, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if err := island.AddSystem(cipmap.CodeSystem{ID: "island"}, []cipmap.Code{{Code: "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := island.ConvertMany("island", HS2022, []string{"x"}); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("no path: %v", err)
	}
}

func TestConcurrentConversions(t *testing.T) {
	r, err := Load() // IPC not loaded yet: the first users race to load it
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, q := range [][3]string{{IPC, "B25J9/16", SEI2018}, {HS2022, "850440", GB2017}, {SEI2018, "2.1", WIPO35}} {
				if _, err := r.Convert(q[0], q[1], q[2]); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// Loading is quick: every command calls Default.
func TestLoadTime(t *testing.T) {
	start := time.Now()
	if _, err := Load(); err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("Load: %v (IPC and WIPO fields load on first use)", d)
	if !raceEnabled && !testing.Short() && d > 900*time.Millisecond {
		t.Errorf("Load took %v; the target is 300 ms", d)
	}
}

// hsSample draws n real HS 2022 codes (subheadings, some headings, some written
// with a dot) with a fixed seed.
func hsSample(t testing.TB, r *Registry, n int) []string {
	codes, err := r.Codes(HS2022)
	if err != nil {
		t.Fatal(err)
	}
	var pool []string
	for _, c := range codes {
		switch len(c.Code) {
		case 6:
			pool = append(pool, c.Code, c.Code[:4]+"."+c.Code[4:])
		case 4:
			pool = append(pool, c.Code)
		}
	}
	rng := rand.New(rand.NewSource(1))
	out := make([]string, n)
	for i := range out {
		out[i] = pool[rng.Intn(len(pool))]
	}
	return out
}

// A million HS 2022 codes convert to GB/T 4754-2017 in well under 2 s, caches cold.
func TestConvertManyMillion(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	r, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	in := hsSample(t, r, 1_000_000)
	start := time.Now()
	res, err := r.ConvertMany(HS2022, GB2017, in)
	if err != nil {
		t.Fatal(err)
	}
	d := time.Since(start)
	t.Logf("ConvertMany: 1,000,000 HS 2022 codes → GB/T 4754-2017 in %v (cold caches)", d)
	if len(res) != len(in) || res[0].Err != nil {
		t.Fatalf("%d results, first %+v", len(res), res[0])
	}
	if !raceEnabled && d > 2*time.Second {
		t.Errorf("ConvertMany took %v, want < 2 s", d)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadIPC(b *testing.B) {
	for b.Loop() {
		r, err := Load()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.LevelCounts(IPC); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvertMany converts 1,000,000 real HS 2022 codes to GB/T 4754-2017
// per operation (step caches warm after the first).
func BenchmarkConvertMany(b *testing.B) {
	r := registry(b)
	in := hsSample(b, r, 1_000_000)
	b.ResetTimer()
	for b.Loop() {
		if _, err := r.ConvertMany(HS2022, GB2017, in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConvert(b *testing.B) {
	r := registry(b)
	for b.Loop() {
		if _, err := r.Convert(HS2022, "854231", GB2017); err != nil {
			b.Fatal(err)
		}
	}
}

// CTT is built in: its tags convert to SEI 2018, Made in China 2025 and the 14th
// Five-Year Plan areas through their links, and every system converts to CTT
// through SEI 2018.
func TestBuiltinCTT(t *testing.T) {
	r := registry(t)
	for _, c := range []struct{ from, code, to, want string }{
		{GB2017, "3973", CTT, "ic-fabrication"},
		{GB2017, "3491", CTT, "smart-manufacturing-equipment"},
		{SEI2018, "6.1", CTT, "nuclear-power"},
		{CTT, "industrial-robots", SEI2018, "2.1"},
		{CTT, "servo-motors", MIC2025, "high-end-cnc-robotics"},
		{CTT, "precision-reducers", SEI2018, "2.1"}, // through its parent's link
		{IPC, "B25J9/16", CTT, "smart-manufacturing-equipment"},
	} {
		res := convert(t, r, c.from, c.code, c.to)
		if res.Best.Code != c.want {
			t.Errorf("%s %s → %s: best %+v, want %s (path %v)", c.from, c.code, c.to, res.Best, c.want, res.Path)
		}
	}
	res := convert(t, r, HS2022, "850440", CTT)
	if len(res.Distribution) < 3 || res.Unmapped <= 0 || res.Unmapped >= 1 {
		t.Errorf("HS 850440 → ctt: %d codes, unmapped %v; want a distribution and the mass of non-SEI classes unmapped", len(res.Distribution), res.Unmapped)
	}
}
