package tageval_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/tageval"
)

func TestParse(t *testing.T) {
	reg := registry(t)
	// Columns in any order, extra columns ignored, a BOM, CSV quoting with a line
	// break and a comma, codes as people write them, a code twice.
	const file = "\ufeffexpected,note,id,text\n" +
		"sei2018:1.2.3; gbt4754-2017:C3491 ;sei2018:1.2.3,x,a,工业机器人\n" +
		",,b,\"两行，\n文字\"\n" +
		"ctt:industrial-robots,,c,\"a \"\"quoted\"\" robot\"\n"
	cases, err := tageval.Parse("cases.csv", strings.NewReader(file), reg)
	if err != nil {
		t.Fatal(err)
	}
	want := []tageval.Case{
		{ID: "a", Text: "工业机器人", Line: 2, Expected: []tageval.Code{{"sei2018", "1.2.3"}, {"gbt4754-2017", "3491"}}},
		{ID: "b", Text: "两行，\n文字", Line: 3},
		{ID: "c", Text: `a "quoted" robot`, Line: 5, Expected: []tageval.Code{{"ctt", "industrial-robots"}}},
	}
	if len(cases) != len(want) {
		t.Fatalf("got %d cases, want %d: %+v", len(cases), len(want), cases)
	}
	for i := range want {
		g, w := cases[i], want[i]
		if g.ID != w.ID || g.Text != w.Text || g.Line != w.Line || len(g.Expected) != len(w.Expected) {
			t.Errorf("case %d = %+v, want %+v", i, g, w)
			continue
		}
		for j := range w.Expected {
			if g.Expected[j] != w.Expected[j] {
				t.Errorf("case %s: expected %v, want %v", g.ID, g.Expected, w.Expected)
			}
		}
	}
	// Write and Parse agree.
	var b bytes.Buffer
	if err := tageval.Write(&b, cases); err != nil {
		t.Fatal(err)
	}
	back, err := tageval.Parse("back.tsv", &b, reg)
	if err != nil || len(back) != 3 || back[1].Text != "两行，\n文字" || back[2].Expected[0].String() != "ctt:industrial-robots" {
		t.Errorf("read back: %+v, %v", back, err)
	}
}

// Bad input names the file, the line, the column, the value and what was expected.
func TestParseErrors(t *testing.T) {
	reg := registry(t)
	for _, tt := range []struct {
		name, file string
		want       []string
	}{
		{"empty", "", []string{"x.tsv: the file is empty"}},
		{"missing column", "id\ttext\nr1\tx\n", []string{"x.tsv:1: the header lacks column(s) expected", `"id\ttext"`}},
		{"unknown system", "id\ttext\texpected\nr1\tx\tsei2018:1.2\nr2\ty\tnace:C26\n",
			[]string{"x.tsv:3: column expected (3): \"nace:C26\": unknown code system \"nace\" (known: hs2022"}},
		{"unknown code", "id\ttext\texpected\nr1\tx\tsei2018:1.9\n",
			[]string{`x.tsv:2: column expected (3): "sei2018:1.9": sei2018: "1.9" is not a code of the system; nearest valid codes: 1.1, 1.2`}},
		{"no system", "id\ttext\texpected\nr1\tx\t2.1\n",
			[]string{`x.tsv:2: column expected (3): "2.1": expected system:code, such as sei2018:1.2`}},
		{"every problem", "text\tid\texpected\n\tr1\t\nx\tr1\tctt:robots;sei2018:\n",
			[]string{"x.tsv:2: column text (1): empty text", `x.tsv:3: column id (2): "r1": the id is taken by the case on line 2`,
				`x.tsv:3: column expected (3): "ctt:robots": ctt: "robots" is not a code of the system`,
				`x.tsv:3: column expected (3): "sei2018:": expected system:code`}},
		{"fields", "id\ttext\texpected\nr1\tx\tsei2018:1\textra\n", []string{"x.tsv:2: 4 field(s) where the header has 3"}},
		{"bare quote", "id,text,expected\nr1,a \"b\" c,\n", []string{"x.tsv:2:6: bare \" in non-quoted-field", "RFC 4180"}},
		{"no cases", "id,text,expected\n", []string{"x.tsv: no cases"}},
		{"gbk", "id,text,expected\nr1,\xb9\xe2\xb7\xfc,\n", []string{"x.tsv:2: column text (2): the text is not UTF-8"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tageval.Parse("x.tsv", strings.NewReader(tt.file), reg)
			if err == nil {
				t.Fatal("no error")
			}
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Errorf("code %s, want %s", cipmap.ErrorCode(err), cipmap.EINVALID)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%s\ndoes not say\n%s", err, w)
				}
			}
		})
	}
}

func TestOpen(t *testing.T) {
	reg := registry(t)
	path := filepath.Join(t.TempDir(), "my.tsv")
	if err := os.WriteFile(path, []byte("id\ttext\texpected\nr1\t光伏组件\tsei2018:6.3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if cases, err := tageval.Open(path, reg); err != nil || len(cases) != 1 || cases[0].Expected[0].Code != "6.3" {
		t.Errorf("Open(%s) = %+v, %v", path, cases, err)
	}
	if cases, err := tageval.Open("gbt4754-notes", reg); err != nil || len(cases) != 1382 {
		t.Errorf("Open(gbt4754-notes) = %d cases, %v", len(cases), err)
	}
	_, err := tageval.Open("no-such-set", reg)
	if cipmap.ErrorCode(err) != cipmap.ENOTFOUND || !strings.Contains(err.Error(), "gbt4754-notes") {
		t.Errorf("Open(no-such-set): %v", err)
	}
}
