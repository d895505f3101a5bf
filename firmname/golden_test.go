package firmname

import (
	"bufio"
	"flag"
	"os"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/names.golden from Parse's output")

// TestGolden parses the real firm names of testdata/names.txt and compares the
// result with testdata/names.golden, so that any change in how a name is taken
// apart shows as a diff to review. Run with -update to accept a change.
func TestGolden(t *testing.T) {
	in, err := os.Open("testdata/names.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	var b strings.Builder
	b.WriteString("# raw\tscript\tregion\ttrade name\tindustry\tlegal form\tgroup\tbranch\tpinyin\tkey\ttokens\n")
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := Parse(line)
		b.WriteString(strings.Join([]string{n.Raw, string(n.Script), n.Region, n.TradeName, n.Industry,
			n.LegalForm, strconv.FormatBool(n.Group), n.Branch, n.Pinyin, n.Key, strings.Join(n.Tokens, " ")}, "\t"))
		b.WriteByte('\n')
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	got := b.String()
	if *update {
		if err := os.WriteFile("testdata/names.golden", []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("testdata/names.golden")
	if err != nil {
		t.Fatal(err)
	}
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(gotLines), len(wantLines)); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Errorf("testdata/names.golden line %d:\n got %q\nwant %q", i+1, g, w)
		}
	}
}
