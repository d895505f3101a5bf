package tagger

import (
	"strings"
	"testing"
)

// foldTest folds s as the tagger does, with the built-in converter.
func foldTest(t testing.TB, s string) *folded {
	t.Helper()
	c, err := loadT2S()
	if err != nil {
		t.Fatal(err)
	}
	var a, b folded
	foldBasic(&a, s)
	f := c.convert(&a, &b)
	if a.words {
		foldWords(f)
	}
	return f
}

func TestFold(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"full-width letters", "ＡＩ芯片", "ai芯片"},
		{"full-width brackets", "（工业机器人）", "(工业机器人)"},
		{"full-width digits", "５Ｇ基站", "5g基站"},
		{"circled digit", "①号线", "1号线"},
		{"ideographic space between Han", "工业　机器人", "工业机器人"},
		{"space between Han and Latin", "工业机器人 robot  arms", "工业机器人 robot arm"},
		{"ends trimmed, runs collapsed", "  Lithium-Ion   Batteries\t", "lithium ion battery"},
		{"line break kept as one", "line one\r\n\n line two", "line one\nline two"},
		{"upper case", "Precision REDUCERS", "precision reducer"},
		{"traditional", "臺灣積體電路製造", "台湾集成电路制造"},
		{"soft hyphen removed", "robo\u00ADt", "robot"},
		{"combining accent composed", "cafe\u0301", "café"},
		{"invalid UTF-8", "a\xffb", "a\uFFFDb"},
		{"hyphen only between words", "5G-A, -x", "5g a, -x"},
		{"already folded", "新能源汽车", "新能源汽车"},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := string(foldTest(t, c.in).r); got != c.want {
				t.Errorf("fold(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

// TestFoldOffsets checks the map from folded runes back to the original text.
func TestFoldOffsets(t *testing.T) {
	type span struct {
		r          rune
		start, end int
	}
	for _, c := range []struct {
		in   string
		want []span
	}{
		// Full-width letters are three bytes each.
		{"ＡＩ芯", []span{{'a', 0, 3}, {'i', 3, 6}, {'芯', 6, 9}}},
		// The folded word keeps the span of the whole plural.
		{"robots", []span{{'r', 0, 1}, {'o', 1, 2}, {'b', 2, 3}, {'o', 3, 4}, {'t', 4, 6}}},
		// -ies → -y: the y stands for "ies".
		{"flies", []span{{'f', 0, 1}, {'l', 1, 2}, {'y', 2, 5}}},
		// A phrase converted to another length: every output rune has the
		// phrase's span.
		{"中介軟體", []span{{'中', 0, 12}, {'间', 0, 12}, {'件', 0, 12}}},
		// A phrase of the same length maps rune by rune.
		{"積體電路", []span{{'集', 0, 3}, {'成', 3, 6}, {'电', 6, 9}, {'路', 9, 12}}},
		// Collapsed whitespace has the span of the run.
		{"a \t b", []span{{'a', 0, 1}, {' ', 1, 4}, {'b', 4, 5}}},
		// An NFKC expansion: ㈱ is (株).
		{"㈱", []span{{'(', 0, 3}, {'株', 0, 3}, {')', 0, 3}}},
	} {
		f := foldTest(t, c.in)
		var got []span
		for i, r := range f.r {
			got = append(got, span{r, f.start[i], f.end[i]})
		}
		if len(got) != len(c.want) {
			t.Errorf("fold(%q) = %q, want %d runes", c.in, string(f.r), len(c.want))
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("fold(%q) rune %d = %q [%d,%d), want %q [%d,%d)", c.in, i,
					got[i].r, got[i].start, got[i].end, c.want[i].r, c.want[i].start, c.want[i].end)
			}
		}
	}
}

func TestFoldPlural(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"batteries", "battery"},
		{"technologies", "technology"},
		{"robots", "robot"},
		{"chips", "chip"},
		{"vehicles", "vehicle"},
		{"evs", "ev"},
		{"ics", "ic"},
		{"processes", "process"},
		{"switches", "switch"},
		{"boxes", "box"},
		{"meshes", "mesh"},
		{"dies", "die"},
		{"analyses", "analysis"},
		{"axes", "axis"},
		{"gases", "gas"},
		// Not plurals, or not to be folded.
		{"gas", "gas"},
		{"bus", "bus"},
		{"analysis", "analysis"},
		{"chassis", "chassis"},
		{"is", "is"},
		{"its", "its"},
		{"this", "this"},
		{"process", "process"},
		{"status", "status"},
		{"series", "series"},
		{"lens", "lens"},
		{"news", "news"},
		{"gps", "gps"},
		{"robot", "robot"},
		{"s", "s"},
		{"", ""},
	} {
		if got := FoldPlural(c.in); got != c.want {
			t.Errorf("FoldPlural(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestFoldPluralInText checks that words are folded one by one in running text,
// next to Chinese and punctuation.
func TestFoldPluralInText(t *testing.T) {
	got := string(foldTest(t, "Batteries,robots;gas/EVs与chips").r)
	if want := "battery,robot;gas/ev与chip"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestBuiltinSimplify(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ in, want string }{
		{"臺灣", "台湾"},
		{"機器人", "机器人"},
		{"精密減速器", "精密减速器"},
		{"工業機器人用精密減速器", "工业机器人用精密减速器"},
		// Taiwanese terms, at phrase level.
		{"積體電路", "集成电路"},
		{"半導體與積體電路設計", "半导体与集成电路设计"},
		{"乙太網", "以太网"},
		{"網路", "网络"},
		{"軟體", "软件"},
		{"模擬電路", "模拟电路"}, // 模擬 offers 仿真 first; the plain conversion wins
		// cipmap's phrases.
		{"人工智慧晶片", "人工智能芯片"},
		{"伺服馬達", "伺服电机"},
		{"軟體機器人", "软体机器人"},
		{"碳化矽", "碳化硅"},
		// Mainland text is left alone, also where a Taiwanese term has the same
		// characters with another meaning (程序, 文件, 核心, 元件, 序列).
		{"程序文件核心元件序列", "程序文件核心元件序列"},
		{"软件和信息技术服务业", "软件和信息技术服务业"},
		{"ASCII text", "ASCII text"},
	} {
		if got := s.Simplify(c.in); got != c.want {
			t.Errorf("Simplify(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// replacer is a Simplifier for tests.
type replacer struct{ *strings.Replacer }

func (r replacer) Simplify(s string) string { return r.Replace(s) }

// TestCustomSimplifier checks that a caller's Simplifier is used, and that
// evidence offsets stay in the original text when it changes a text's length.
func TestCustomSimplifier(t *testing.T) {
	s := replacer{strings.NewReplacer("機器人", "机器人", "串列埠", "串口")}
	tags := testTree()
	tags[2].Keywords["zh"] = append(tags[2].Keywords["zh"], "串口")
	tg, err := New(tags, Options{Simplifier: s})
	if err != nil {
		t.Fatal(err)
	}
	text := "x機器人 RS串列埠"
	got := tg.Tag(text)
	if len(got.Tags) != 1 || got.Tags[0].Tag != "robots.industrial" {
		t.Fatalf("Tag(%q) = %+v, want robots.industrial", text, got.Tags)
	}
	var ev []string
	for _, e := range got.Tags[0].Evidence {
		ev = append(ev, text[e.Start:e.End])
	}
	// 機器人 keeps its length and maps exactly; 串列埠 → 串口 maps to the run.
	if want := "機器人|串列埠"; strings.Join(ev, "|") != want {
		t.Errorf("evidence %q, want %q", strings.Join(ev, "|"), want)
	}
}
