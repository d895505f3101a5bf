package ctt

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/cipmap/cipmap"
)

func load(t *testing.T) *Standard {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLoad(t *testing.T) {
	s := load(t)
	if s.Version != Version {
		t.Errorf("Version = %q, want %q", s.Version, Version)
	}
	if got := len(s.Tags); got < 250 {
		t.Errorf("%d tags, want at least 250", got)
	}
	var roots []string
	for _, r := range s.Roots() {
		roots = append(roots, r.ID)
	}
	wantRoots := []string{
		"information-technology", "high-end-equipment", "new-materials", "bio-industry",
		"new-energy-vehicles", "new-energy", "energy-saving-environmental",
		"digital-creative", "related-services", "traditional-industry",
	}
	if !slices.Equal(roots, wantRoots) {
		t.Errorf("roots = %v, want %v", roots, wantRoots)
	}
	byLevel := map[int]int{}
	byDomain := map[string]int{}
	for _, tag := range s.Tags {
		p := s.Path(tag.ID)
		if tag.Level != len(p) || tag.Level < 1 || tag.Level > MaxLevel {
			t.Errorf("%s: level %d, path of %d", tag.ID, tag.Level, len(p))
		}
		if len(p) > 1 && !slices.Contains(s.Children(tag.Parent), tag) {
			t.Errorf("%s is not among the children of its parent %s", tag.ID, tag.Parent)
		}
		byLevel[tag.Level]++
		byDomain[p[0].ID]++
	}
	for l := 1; l <= MaxLevel; l++ {
		if byLevel[l] == 0 {
			t.Errorf("no tags at level %d", l)
		}
	}
	t.Logf("%d tags; by level %v", len(s.Tags), byLevel)
	for _, r := range wantRoots {
		t.Logf("  %-28s %3d", r, byDomain[r])
	}
}

// TestSEICoverage checks that every SEI 2018 domain is a CTT domain and every SEI
// category a CTT field (level 2) under the domain that links to the category's
// domain. Other tags may link to a category as well (energy storage, a field of
// new-energy, links to 1.2 for storage devices).
func TestSEICoverage(t *testing.T) {
	s := load(t)
	codes, err := Codes(SEI2018)
	if err != nil {
		t.Fatal(err)
	}
	var domains, categories int
	for _, c := range codes {
		home := slices.ContainsFunc(s.Tags, func(tag *cipmap.Tag) bool {
			if tag.Level != c.Level || !slices.Contains(tag.Links[SEI2018], c.Code) {
				return false
			}
			return c.Level == 1 || slices.Contains(s.Tag(tag.Parent).Links[SEI2018], c.Parent)
		})
		switch {
		case !home && c.Level == 1:
			t.Errorf("SEI %s %s: no domain links it", c.Code, c.Name.ZH)
		case !home:
			t.Errorf("SEI %s %s: no field under a domain linked to SEI %s links it", c.Code, c.Name.ZH, c.Parent)
		}
		if c.Level == 1 {
			domains++
		} else {
			categories++
		}
	}
	if domains != 9 || categories != 40 {
		t.Errorf("SEI 2018 has %d domains and %d categories, want 9 and 40", domains, categories)
	}
}

func TestLinkedSystems(t *testing.T) {
	s := load(t)
	for _, sys := range []struct {
		id   string
		want int
	}{{MIC2025, 10}, {FYP14, 7}} {
		codes, err := Codes(sys.id)
		if err != nil {
			t.Fatal(err)
		}
		if len(codes) != sys.want {
			t.Errorf("%s has %d codes, want %d", sys.id, len(codes), sys.want)
		}
		for _, c := range codes {
			if !slices.ContainsFunc(s.Tags, func(tag *cipmap.Tag) bool { return slices.Contains(tag.Links[sys.id], c.Code) }) {
				t.Errorf("%s %s (%s): no tag links it", sys.id, c.Code, c.Name.ZH)
			}
		}
	}
	if _, err := Codes("isic4"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("Codes(isic4): error %v, want code %s", err, cipmap.ENOTFOUND)
	}
}

// TestNamedTags checks the sectors that the field studies by name: where they are
// in the tree and what they are called.
func TestNamedTags(t *testing.T) {
	s := load(t)
	for _, tc := range []struct {
		path string // ids from the domain down
		zh   string
	}{
		{"high-end-equipment smart-manufacturing-equipment industrial-robots servo-motors", "伺服电机"},
		{"high-end-equipment smart-manufacturing-equipment industrial-robots precision-reducers", "精密减速器"},
		{"high-end-equipment smart-manufacturing-equipment industrial-robots robot-controllers", "机器人控制器"},
		{"high-end-equipment smart-manufacturing-equipment cnc-machine-tools", "数控机床"},
		{"high-end-equipment smart-manufacturing-equipment additive-manufacturing", "增材制造"},
		{"information-technology semiconductors ic-design", "集成电路设计"},
		{"information-technology semiconductors eda", "电子设计自动化"},
		{"information-technology semiconductors ic-fabrication", "集成电路制造"},
		{"information-technology semiconductors semiconductor-equipment lithography", "光刻机"},
		{"information-technology semiconductors semiconductor-equipment etching-equipment", "刻蚀设备"},
		{"information-technology semiconductors semiconductor-equipment deposition-equipment", "薄膜沉积设备"},
		{"information-technology semiconductors semiconductor-materials silicon-wafers", "半导体硅片"},
		{"information-technology semiconductors semiconductor-materials photoresist", "光刻胶"},
		{"information-technology semiconductors semiconductor-materials electronic-gases", "电子特种气体"},
		{"information-technology semiconductors ic-packaging-testing", "集成电路封装测试"},
		{"information-technology artificial-intelligence machine-learning", "机器学习"},
		{"information-technology artificial-intelligence computer-vision", "计算机视觉"},
		{"information-technology artificial-intelligence nlp", "自然语言处理"},
		{"information-technology artificial-intelligence speech", "智能语音"},
		{"information-technology artificial-intelligence ai-chips", "人工智能芯片"},
		{"information-technology artificial-intelligence autonomous-driving", "自动驾驶"},
		{"information-technology advanced-computing hpc", "高性能计算"},
		{"information-technology next-gen-networks mobile-communications 5g", "第五代移动通信"},
		{"information-technology next-gen-networks mobile-communications 6g", "第六代移动通信"},
		{"information-technology next-gen-networks mobile-communications base-stations", "通信基站"},
		{"information-technology next-gen-networks optical-communication", "光通信"},
		{"information-technology next-gen-networks iot", "物联网"},
		{"information-technology quantum-information quantum-communication", "量子通信"},
		{"information-technology quantum-information quantum-computing", "量子计算"},
		{"information-technology electronic-core new-display oled", "有机发光二极管显示"},
		{"information-technology electronic-core new-display micro-led", "微型发光二极管显示"},
		{"information-technology software-it-services industrial-software", "工业软件"},
		{"information-technology software-it-services basic-software operating-systems", "操作系统"},
		{"information-technology software-it-services basic-software databases", "数据库"},
		{"information-technology software-it-services cybersecurity", "网络安全"},
		{"information-technology internet-cloud-bigdata cloud-computing", "云计算"},
		{"information-technology internet-cloud-bigdata big-data", "大数据"},
		{"information-technology internet-cloud-bigdata blockchain", "区块链"},
		{"new-energy-vehicles nev-components power-batteries lithium-ion-batteries", "锂离子电池"},
		{"new-energy-vehicles nev-components power-batteries solid-state-batteries", "固态电池"},
		{"new-energy-vehicles nev-components power-batteries battery-materials", "电池材料"},
		{"new-energy-vehicles nev-components fuel-cells", "燃料电池"},
		{"new-energy-vehicles charging-infrastructure charging-piles", "充电桩"},
		{"new-energy solar solar-pv polysilicon", "多晶硅"},
		{"new-energy solar solar-pv pv-wafers", "光伏硅片"},
		{"new-energy solar solar-pv solar-cells", "光伏电池片"},
		{"new-energy solar solar-pv pv-modules", "光伏组件"},
		{"new-energy solar solar-pv pv-inverters", "光伏逆变器"},
		{"new-energy wind-power wind-turbines wind-turbine-blades", "风电叶片"},
		{"new-energy wind-power offshore-wind", "海上风电"},
		{"new-energy nuclear-power", "核电"},
		{"new-energy smart-grid", "智能电网"},
		{"new-energy energy-storage", "储能"},
		{"new-energy other-new-energy hydrogen", "氢能"},
		{"high-end-equipment aviation-equipment commercial-aircraft", "大型客机"},
		{"high-end-equipment aviation-equipment aero-engines", "航空发动机"},
		{"high-end-equipment space satellite-manufacturing", "卫星制造"},
		{"high-end-equipment space launch-vehicles", "运载火箭"},
		{"high-end-equipment space commercial-space", "商业航天"},
		{"high-end-equipment space beidou", "北斗卫星导航"},
		{"high-end-equipment rail-transit-equipment high-speed-rail", "高速铁路装备"},
		{"high-end-equipment marine-engineering-equipment", "海洋工程装备"},
		{"high-end-equipment frontier-exploration deep-sea-exploration", "深海探测"},
		{"new-materials advanced-nonferrous rare-earths", "稀土"},
		{"bio-industry biopharmaceuticals biologics vaccines", "疫苗"},
		{"bio-industry biopharmaceuticals biologics antibody-drugs", "抗体药物"},
		{"bio-industry biopharmaceuticals cell-therapy car-t", "CAR-T细胞疗法"},
		{"bio-industry biomedical-engineering", "生物医学工程"},
		{"bio-industry gene-technology", "基因技术"},
		{"bio-industry brain-science", "脑科学与类脑研究"},
		{"energy-saving-environmental environmental-protection", "先进环保"},
		{"digital-creative", "数字创意"},
		{"traditional-industry steel special-steel", "特殊钢"},
		{"traditional-industry shipbuilding", "船舶工业"},
	} {
		want := strings.Fields(tc.path)
		id := want[len(want)-1]
		tag := s.Tag(id)
		if tag == nil {
			t.Errorf("no tag %s", id)
			continue
		}
		var got []string
		for _, p := range s.Path(id) {
			got = append(got, p.ID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("path of %s = %v, want %v", id, got, want)
		}
		if tag.Name.ZH != tc.zh {
			t.Errorf("%s: name %q, want %q", id, tag.Name.ZH, tc.zh)
		}
	}
}

// TestCoarseLabels checks that the coarse sector labels of investment datasets find
// the inner node that holds them.
func TestCoarseLabels(t *testing.T) {
	s := load(t)
	for _, tc := range []struct{ label, tag string }{
		{"新能源", "new-energy"},
		{"新材料", "new-materials"},
		{"先进制造", "high-end-equipment"},
		{"advanced manufacturing", "high-end-equipment"},
		{"硬科技", "information-technology"},
		{"hard tech", "information-technology"},
		{"tmt", "information-technology"},
		{"大健康", "bio-industry"},
		{"医疗健康", "bio-industry"},
		{"企业服务", "software-it-services"},
		{"新能源汽车", "new-energy-vehicles"},
		{"节能环保", "energy-saving-environmental"},
		{"低空经济", "aviation-equipment"},
		{"信创产业", "basic-software"},
	} {
		var found []string
		for _, tag := range s.Tags {
			if slices.Contains(wordsOf(tag), foldWord(tc.label)) {
				found = append(found, tag.ID)
			}
		}
		if !slices.Equal(found, []string{tc.tag}) {
			t.Errorf("%q is a word of %v, want [%s]", tc.label, found, tc.tag)
		}
		if len(s.Children(tc.tag)) == 0 {
			t.Errorf("%q: %s is a leaf, want an inner node", tc.label, tc.tag)
		}
	}
}

// wordsOf returns the words that find a tag: keywords, synonyms and names, folded.
func wordsOf(tag *cipmap.Tag) []string {
	var ws []string
	for _, m := range []map[string][]string{tag.Keywords, tag.Synonyms} {
		for _, lang := range languages {
			for _, w := range m[lang] {
				ws = append(ws, foldWord(w))
			}
		}
	}
	return append(ws, foldWord(tag.Name.ZH), foldWord(tag.Name.EN))
}

// TestWordsFindOneTag checks that a word finds one tag, so that a match is not split
// between tags by accident. The tagger folds plurals as well; the files keep English
// words singular.
func TestWordsFindOneTag(t *testing.T) {
	// Words that are as much about one tag as another, split between them.
	shared := map[string]bool{
		"航空航天": true, "aerospace": true, // aviation-equipment, space
		"硅片": true, // silicon-wafers (semiconductors), pv-wafers
	}
	s := load(t)
	owner := map[string]string{}
	for _, tag := range s.Tags {
		for _, w := range wordsOf(tag) {
			switch prev, ok := owner[w]; {
			case !ok:
				owner[w] = tag.ID
			case prev != tag.ID && !shared[w]:
				t.Errorf("%q finds both %s and %s", w, prev, tag.ID)
			}
		}
	}
	for w := range shared {
		if _, ok := owner[w]; !ok {
			t.Errorf("shared word %q is no tag's word", w)
		}
	}
}

// TestExclusions checks that each exclusion contains a word of its tag (it is there
// to stop that word), or is an English phrase that an abbreviation of the tag also
// stands for.
func TestExclusions(t *testing.T) {
	s := load(t)
	n := 0
	for _, tag := range s.Tags {
		for _, lang := range languages {
			for _, x := range tag.Exclusions[lang] {
				n++
				if lang == "en" {
					continue
				}
				if !slices.ContainsFunc(wordsOf(tag), func(w string) bool { return strings.Contains(x, w) }) {
					t.Errorf("%s: exclusion %q holds none of the tag's words", tag.ID, x)
				}
			}
		}
	}
	if n == 0 {
		t.Error("no exclusions")
	}
}

func TestStandardMethods(t *testing.T) {
	s := load(t)
	if s.Tag("no-such-tag") != nil || s.Path("no-such-tag") != nil || s.Children("no-such-tag") != nil {
		t.Error("an unknown id gives a tag, a path or children")
	}
	if s.Children("") != nil {
		t.Error(`Children("") is not nil; the roots are Roots()`)
	}
	if got := s.Children("servo-motors"); len(got) != 0 {
		t.Errorf("servo-motors has children %v", got)
	}
	// Each Load returns its own copy.
	s.Tag("servo-motors").Keywords["zh"][0] = "changed"
	s.Tags = s.Tags[:1]
	again := load(t)
	if again.Tag("servo-motors").Keywords["zh"][0] != "伺服电机" || len(again.Tags) < 250 {
		t.Error("a change to one Load's standard shows in the next")
	}
}

// TestSEICodesAreShared checks that the embedded SEI code list is still the shared
// data it was copied from.
func TestSEICodesAreShared(t *testing.T) {
	shared, err := os.ReadFile(filepath.Join("..", "..", "shared", "data", "classifications", "sei-ipc", "sei2018-codes.csv"))
	if os.IsNotExist(err) {
		t.Skip("the shared data is not here")
	}
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(seiCSV, shared) {
		t.Error("sei2018-codes.csv differs from the shared copy; copy it again and update NOTICE.md")
	}
	codes, err := Codes(SEI2018)
	if err != nil {
		t.Fatal(err)
	}
	if c := codes[len(codes)-1]; c.Code != "9.2" || c.Parent != "9" || c.Name.ZH != "其他相关服务" {
		t.Errorf("last SEI code %+v, want 9.2 其他相关服务 in domain 9", c)
	}
}

// A valid file, which the cases of TestParseErrors break one way each.
const validFile = `version: "1"
domain: test-domain
tags:
  - id: test-domain
    name: {en: Test domain, zh: 测试领域}
    definition: {en: A domain for tests., zh: 用于测试的领域。}
    keywords: {zh: [测试领域], en: [test domain]}
    links: {sei2018: ["1"]}
  - id: test-field
    parent: test-domain
    name: {en: Test field, zh: 测试方向}
    definition: {en: A field for tests., zh: 用于测试的方向。}
    keywords: {zh: [测试方向], en: [test field]}
    links: {sei2018: ["1.2"], mic2025: [rail], fyp14: [ai]}
`

func TestParse(t *testing.T) {
	f, err := Parse("v1/99-test-domain.yaml", []byte(validFile))
	if err != nil {
		t.Fatal(err)
	}
	if f.Domain != "test-domain" || len(f.Tags) != 2 || f.Tags[1].Parent != "test-domain" {
		t.Errorf("Parse = %+v", f)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		name      string
		old, new  string // replace old by new in validFile
		wantParts []string
	}{
		{"missing parent", "parent: test-domain", "parent: no-such-tag",
			[]string{":9:", `tag "test-field"`, `parent "no-such-tag" is not an earlier tag`}},
		{"duplicate id", "id: test-field", "id: test-domain",
			[]string{":9:", `tag "test-domain"`, "appears twice"}},
		{"missing zh name", "name: {en: Test field, zh: 测试方向}", "name: {en: Test field}",
			[]string{`tag "test-field"`, "name.zh is missing"}},
		{"unknown key", "    links: {sei2018: [\"1.2\"]", "    level: 2\n    links: {sei2018: [\"1.2\"]",
			[]string{"line 14", `unknown key "level"`}},
		{"no parent", "    parent: test-domain\n", "",
			[]string{`tag "test-field"`, "no parent"}},
		{"first tag not the domain", "domain: test-domain", "domain: other-domain",
			[]string{`tag "test-domain"`, `the first tag must be the domain "other-domain"`}},
		{"bad id", "id: test-field", "id: Test_Field",
			[]string{`tag "Test_Field"`, "slug"}},
		{"no en keyword", "keywords: {zh: [测试方向], en: [test field]}", "keywords: {zh: [测试方向]}",
			[]string{`tag "test-field"`, "keywords.en: at least one"}},
		{"repeated keyword", "keywords: {zh: [测试方向], en: [test field]}", "keywords: {zh: [测试方向], en: [test field]}\n    synonyms: {en: [Test-Field]}",
			[]string{`tag "test-field"`, `"Test-Field" must be lower case`, `"Test-Field" is also in keywords.en`}},
		{"latin zh keyword", "zh: [测试方向]", "zh: [测试方向, EDA]",
			[]string{`tag "test-field"`, `keywords.zh: "EDA" holds no Chinese character`}},
		{"unknown language", "keywords: {zh: [测试方向], en: [test field]}", "keywords: {zh: [测试方向], en: [test field], ja: [テスト]}",
			[]string{`tag "test-field"`, `unknown language "ja"`}},
		{"unknown system", "mic2025: [rail]", "isic4: [\"2710\"]",
			[]string{`tag "test-field"`, `unknown code system "isic4"`}},
		{"unknown SEI code", `sei2018: ["1.2"]`, `sei2018: ["1.9"]`,
			[]string{`tag "test-field"`, `"1.9" is not a code of sei2018`}},
		{"unknown MIC2025 code", "mic2025: [rail]", "mic2025: [steel]",
			[]string{`tag "test-field"`, `"steel" is not a code of mic2025`}},
		{"wrong version", `version: "1"`, `version: "2"`,
			[]string{`version "2": want "1"`}},
		{"empty file", validFile, "",
			[]string{"the file is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(validFile, tc.old, tc.new, 1)
			if data == validFile && tc.old != tc.new {
				t.Fatalf("%q is not in the valid file", tc.old)
			}
			_, err := Parse("v1/99-test-domain.yaml", []byte(data))
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Fatalf("error %v, want code %s", err, cipmap.EINVALID)
			}
			msg := err.Error()
			for _, part := range append([]string{"v1/99-test-domain.yaml"}, tc.wantParts...) {
				if !strings.Contains(msg, part) {
					t.Errorf("error %q does not say %q", msg, part)
				}
			}
		})
	}
}

// TestParseTooDeep checks that a fifth level is an error.
func TestParseTooDeep(t *testing.T) {
	data := validFile
	parent := "test-field"
	for _, id := range []string{"level-three", "level-four", "level-five"} {
		data += strings.NewReplacer("test-field", id, "测试方向", "测试"+id, "test field", "test "+id, "parent: test-domain", "parent: "+parent).
			Replace(validFile[strings.Index(validFile, "  - id: test-field"):])
		parent = id
	}
	_, err := Parse("deep.yaml", []byte(data))
	if err == nil {
		t.Fatal("no error")
	}
	if !strings.Contains(err.Error(), `tag "level-five": parent "level-four" is at level 4`) {
		t.Errorf("error %v, want level-five rejected", err)
	}
	if strings.Contains(err.Error(), `tag "level-four"`) {
		t.Errorf("error %v also rejects level-four", err)
	}
}

// TestLoadFSErrors checks what Load checks across files.
func TestLoadFSErrors(t *testing.T) {
	other := strings.NewReplacer("test-domain", "other-domain", "测试领域", "其他领域", "test domain", "other domain").Replace(validFile)
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"id in two files", map[string]string{"v1/01-test-domain.yaml": validFile, "v1/02-other-domain.yaml": other},
			`v1/02-other-domain.yaml: tag "test-field": the id is taken by a tag of v1/01-test-domain.yaml`},
		{"file not named after its domain", map[string]string{"v1/01-test.yaml": validFile},
			"v1/01-test.yaml: the file must be named NN-test-domain.yaml"},
		{"no files", map[string]string{"v1/README.md": "# nothing"},
			"no *.yaml files in v1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, data := range tc.files {
				fsys[name] = &fstest.MapFile{Data: []byte(data)}
			}
			_, err := loadFS(fsys, "v1")
			if cipmap.ErrorCode(err) != cipmap.EINVALID || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want %q", err, tc.want)
			}
		})
	}
}
