package parse_test

import (
	"testing"
	"unicode/utf8"

	"github.com/cipmap/cipmap/parse"
	"golang.org/x/text/width"
)

func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"plain ASCII", "plain ASCII"},
		{"  padded\t value \r\n", "padded value"},
		{"２０２０年８月１３日", "2020年8月13日"},
		{"ＵＳＤ　２．５ｍ", "USD 2.5m"}, // ideographic space
		{"华为技术有限公司（深圳）", "华为技术有限公司(深圳)"},
		{"国发〔2026〕30号", "国发[2026]30号"},
		{"工信部联节﹝2026﹞59号", "工信部联节[2026]59号"}, // small brackets, via NFKC to 〔〕
		{"【重要】通知", "[重要]通知"},
		{"［１］", "[1]"},
		{"《中国制造2025》", "《中国制造2025》"},         // title marks are kept
		{"a\u00a0\u2003b", "a b"},            // no-break space, em space
		{"\ufeff9144\u200b0300", "91440300"}, // byte-order mark, zero-width space
		{"３，５００万元", "3,500万元"},
		{"６０％", "60%"},
		{"\xff1", "\ufffd1"}, // invalid UTF-8
	} {
		if got := parse.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestFoldWidth checks Fold against golang.org/x/text/width: every full-width ASCII
// variant (U+FF01 to U+FF5E) folds to the character width.Narrow gives.
func TestFoldWidth(t *testing.T) {
	for r := rune(0xFF01); r <= 0xFF5E; r++ {
		s := string(r)
		if got, want := parse.Fold(s), width.Narrow.String(s); got != want {
			t.Errorf("Fold(%q) = %q, want %q as width.Narrow", s, got, want)
		}
	}
}

func TestFoldAllocs(t *testing.T) {
	for _, s := range []string{"2020-08-13", "华为技术有限公司", "25200.0元"} {
		if n := testing.AllocsPerRun(100, func() { parse.Fold(s) }); n != 0 {
			t.Errorf("Fold(%q) allocates %v times, want 0", s, n)
		}
	}
}

func TestIsEmpty(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want bool
	}{
		{"", true}, {"   ", true}, {"\u3000", true},
		{"..", true}, {"-", true}, {"—", true}, {"——", true}, {"－", true}, {"/", true},
		{"N/A", true}, {"n/a", true}, {"Ｎ／Ａ", true}, {"NA", true}, {"#N/A", true},
		{"null", true}, {"NULL", true}, {"None", true}, {"NaN", true},
		{"无", true}, {"暂无", true}, {"不详", true},
		{"0", false}, {"-1", false}, {"无锡", false}, {"none of these", false}, {"N", false},
	} {
		if got := parse.IsEmpty(tt.in); got != tt.want {
			t.Errorf("IsEmpty(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzFold(f *testing.F) {
	for _, s := range []string{"", " a  b ", "２０２０年", "（１）", "〔2026〕", "e\u200b\u0301", "\xff", "ᄀ\u2028ᅡ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := parse.Fold(s)
		if again := parse.Fold(got); again != got {
			t.Errorf("Fold is not idempotent: Fold(%q) = %q, Fold of that = %q", s, got, again)
		}
		if !utf8.ValidString(got) {
			t.Errorf("Fold(%q) = %q is not valid UTF-8", s, got)
		}
		if len(got) > 0 && (got[0] == ' ' || got[len(got)-1] == ' ') {
			t.Errorf("Fold(%q) = %q is not trimmed", s, got)
		}
		parse.IsEmpty(s)
	})
}
