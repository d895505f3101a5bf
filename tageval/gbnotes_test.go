package tageval_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/tageval"
)

var update = flag.Bool("update", false, "rewrite the built-in sets in sets/ from the registry")

// TestSetsAreGenerated checks that the committed sets are what GBNotesCases makes of
// the registry now; go test -update rewrites them.
func TestSetsAreGenerated(t *testing.T) {
	reg := registry(t)
	for _, tt := range []struct {
		file string
		own  bool
	}{
		{"sets/gbt4754-2017-notes.tsv", false},
		{"sets/gbt4754-2017-notes-own.tsv", true},
	} {
		cases, err := tageval.GBNotesCases(reg, tt.own)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := tageval.Write(&b, cases); err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(tt.file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(tt.file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("%s differs from what GBNotesCases makes of the registry now; run go test ./tageval -run TestSetsAreGenerated -update and review the diff", tt.file)
		}
		back, err := tageval.Parse(tt.file, bytes.NewReader(got), reg)
		if err != nil {
			t.Fatal(err)
		}
		if len(back) != len(cases) {
			t.Fatalf("%s: read back %d cases, wrote %d", tt.file, len(back), len(cases))
		}
		for i := range cases {
			cases[i].Line = back[i].Line
			if back[i].ID != cases[i].ID || back[i].Text != cases[i].Text || back[i].Group != cases[i].Group ||
				len(back[i].Expected) != len(cases[i].Expected) {
				t.Fatalf("%s: case %d reads back as %+v, was %+v", tt.file, i, back[i], cases[i])
			}
		}
	}
}

// TestGBNotesSet checks what the notes set holds: every class once, the SEI links as
// the registry has them, and texts that are the class's own words.
func TestGBNotesSet(t *testing.T) {
	reg := registry(t)
	cases, err := tageval.Set(tageval.GBNotes, reg)
	if err != nil {
		t.Fatal(err)
	}
	own, err := tageval.Set(tageval.GBNotesOwn, reg)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, c := range cases {
		count[c.Group]++
	}
	// 1,382 classes; 469 have SEI 2018 links, 351 of them partial ones.
	if len(cases) != 1382 || len(own) != 1382 || count["full"] != 118 || count["partial"] != 351 || count["none"] != 913 {
		t.Errorf("got %d and %d cases, groups %v; want 1382 each, 118 full, 351 partial, 913 none", len(cases), len(own), count)
	}
	byID := map[string]tageval.Case{}
	for _, c := range cases {
		byID[c.ID] = c
		if strings.Contains(c.Text, "◆") || strings.Contains(c.Text, "列入") && strings.Contains(c.Text, "不包括：") {
			t.Errorf("%s: the text holds the ◆ 不包括 part:\n%s", c.ID, c.Text)
		}
		if strings.Contains(c.Text, " > ") {
			t.Errorf("%s: the text holds an SEI path:\n%s", c.ID, c.Text)
		}
	}
	c := byID["3812"]
	if !strings.HasPrefix(c.Text, "电动机制造\n◇ 包括下列电动机制造活动：") || len(c.Expected) != 4 || c.Expected[0].String() != "sei2018:2.2.1" || c.Group != "partial" {
		t.Errorf("3812 = %+v", c)
	}
	if c := byID["0313"]; len(c.Expected) != 0 || c.Group != "none" || !strings.HasPrefix(c.Text, "猪的饲养\n") {
		t.Errorf("0313 = %+v; want a negative case", c)
	}
	for _, o := range own {
		c := byID[o.ID]
		if len(o.Text) > len(c.Text) || o.Group != c.Group || len(o.Expected) != len(c.Expected) {
			t.Errorf("%s: the own-words case %+v is not the notes case %+v less some lines", o.ID, o, c)
		}
		if o.ID == "3812" && (strings.Contains(o.Text, "新能源汽车轮毂电机") || !strings.Contains(o.Text, "伺服电机")) {
			t.Errorf("3812 in the own-words set keeps SEI's products or loses the note's own lines:\n%s", o.Text)
		}
	}
}
