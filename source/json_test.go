package source_test

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/source"
)

func TestJSONValues(t *testing.T) {
	recs, err := read(t, "testdata/nested-json/input.json", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ column, want string }{
		{"id", "12345678901234567890"}, // beyond float64 and int64
		{"amount", "25000"},
		{"rate", "2.50"},
		{"sci", "1e3"},
		{"hq.city", "深圳"},
		{"hq.geo.lat", "22.65"},
		{"tags", `["ai","5g"]`},
		{"owners", `[{"name":"任正非","share":0.7}]`},
		{"listed", "false"},
		{"ticker", ""},
		{"esc", "tab\there é 😀 \"q\""},
	} {
		got, ok := recs[0][tt.column]
		if !ok || got != tt.want {
			t.Errorf("%s = %q (present %v), want %q", tt.column, got, ok, tt.want)
		}
	}
	if _, ok := recs[1]["empty"]; ok {
		t.Error(`an empty nested object gives a column "empty"`)
	}
}

func TestJSONKeyOrder(t *testing.T) {
	r, err := source.NewReader("x.jsonl", strings.NewReader(`{"z":1,"a":{"y":2,"b":3},"m":4}`+"\n"), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Columns() != nil {
		t.Errorf("Columns() before the first record = %q, want nil", r.Columns())
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if got, want := fmt.Sprint(r.Columns()), "[z a.y a.b m]"; got != want {
		t.Errorf("Columns() = %s, want %s", got, want)
	}
}

func TestJSONLines(t *testing.T) {
	r, err := source.Open("testdata/nested-jsonl/input.jsonl", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var lines []int
	var amounts []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, rec.Line)
		v, _ := rec.Get("amount")
		amounts = append(amounts, v)
	}
	if got, want := fmt.Sprint(lines), "[1 3 5]"; got != want {
		t.Errorf("record lines %s, want %s", got, want)
	}
	if got, want := fmt.Sprintf("%q", amounts), `["25000" "-0.5e-3" ""]`; got != want {
		t.Errorf("amounts %s, want %s", got, want)
	}
	if got := r.(source.BlankCounter).Blank(); got != 2 {
		t.Errorf("Blank() = %d, want 2", got)
	}
}

// TestJSONLinesInJSONFile reads a .json file that holds one object per line, as many
// exports named .json do.
func TestJSONLinesInJSONFile(t *testing.T) {
	r, err := source.NewReader("x.json", strings.NewReader("{\"a\":1}\n{\"a\":2}\n"), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readAll(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[1]["a"] != "2" {
		t.Errorf("records = %v", recs)
	}
}

func TestJSONDocuments(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       string // the values of "a", or
		err        []string
	}{
		{"array", `[{"a":1},{"a":2}]`, "[1 2]", nil},
		{"empty array", ` [ ] `, "[]", nil},
		{"wrapper", `{"n":2,"rows":[{"a":1},{"a":2}],"more":{"x":[1]}}`, "[1 2]", nil},
		{"wrapper with empty array", `{"n":0,"rows":[]}`, "[]", nil},
		{"wrapper with arrays of scalars", `{"ids":[1,2],"rows":[{"a":"x"}]}`, "[x]", nil},
		{"pretty", "[\n  {\n    \"a\": 1\n  }\n]\n", "[1]", nil},
		{"empty file", "", "", []string{"x.json: the file is empty"}},
		{"scalar", `42`, "", []string{"x.json:1:1:", "want a JSON array of objects"}},
		{"array of scalars", `[{"a":1}, 2]`, "", []string{"x.json:1:11:", "want an object (element 2 of the array)"}},
		{"no array in the object", `{"a":1}`, "", []string{"holds no array of objects", "format: jsonl"}},
		{"two arrays", `{"x":[{"a":1}],"y":[{"a":2}]}`, "", []string{"x.json:1:16:", `a second array of objects, "y"`}},
		{"trailing data", `[{"a":1}] [`, "", []string{"x.json:1:11:", "want the end of the file"}},
		{"trailing comma", `[{"a":1},]`, "", []string{"x.json:1:10:", "want an object (element 2"}},
		{"missing comma", "[{\"a\":1}\n {\"a\":2}]", "", []string{"x.json:2:2:", "want ',' or ']'"}},
		{"unclosed", `[{"a":1}`, "", []string{"x.json:1:9:", "got the end of the file"}},
		{"unclosed string", `[{"a":"abc}]`, "", []string{"x.json:1:7:", "string not closed"}},
		{"bad escape", `[{"a":"x\qy"}]`, "", []string{"x.json:1:9:", `invalid escape "\\q"`}},
		{"bad unicode escape", `[{"a":"\u12G4"}]`, "", []string{"x.json:1:8:", `invalid escape "\\u12G4"`}},
		{"control character", "[{\"a\":\"x\ty\"}]", "", []string{"x.json:1:9:", "control character"}},
		{"bad number", `[{"a":01}]`, "", []string{"x.json:1:7:", `invalid number "01"`}},
		{"bad literal", `[{"a":nul}]`, "", []string{"x.json:1:7:", `invalid literal "nul"`}},
		{"duplicate key", `[{"a":1,"b":2,"a":3}]`, "", []string{"x.json:1:19:", `duplicate key "a"`}},
		{"flattened names collide", `[{"a.b":1,"a":{"b":2}}]`, "", []string{"x.json:1:20:", `duplicate key "a.b"`}},
		{"nested arrays", strings.Repeat("[", 20000), "", []string{"x.json:1:2:", "want an object (element 1 of the array), got '['"}},
		{"deep in a record", `[{"a":` + strings.Repeat("[", 20000), "", []string{"nest more than 10000 deep"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := source.NewReader("x.json", strings.NewReader(tt.text), source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			recs, err := readAll(r)
			if tt.err != nil {
				wantError(t, err, tt.err...)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, rec := range recs {
				got = append(got, rec["a"])
			}
			if fmt.Sprint(got) != tt.want {
				t.Errorf("values of a = %v, want %s", got, tt.want)
			}
		})
	}
}

func TestJSONLinesErrors(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		err        []string
	}{
		{"malformed line", "{\"a\":1}\n{\"a\":2}\n{\"a\": 1,, \"b\": 2}\n", []string{"x.jsonl:3:9:", "want a string key, got ','"}},
		{"object over two lines", "{\"a\":1,\n\"b\":2}\n", []string{"x.jsonl:1:8:", "got the end of the line"}},
		{"two objects on a line", "{\"a\":1} {\"a\":2}\n", []string{"x.jsonl:1:9:", "JSON Lines holds one object per line"}},
		{"array line", "[1,2]\n", []string{"x.jsonl:1:1:", "want a JSON object"}},
		{"truncated last line", "{\"a\":1}\n{\"a\":", []string{"x.jsonl:2:6:", "got the end of the file"}},
		{"line break in a string", "{\"a\":\"x\ny\"}\n", []string{"x.jsonl:1:8:", "the line ends inside a string"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, err := source.NewReader("x.jsonl", strings.NewReader(tt.text), source.Options{})
			if err != nil {
				t.Fatal(err)
			}
			_, err = readAll(r)
			wantError(t, err, tt.err...)
		})
	}
}

// TestJSONLongString reads strings longer than the read buffer, with escaped quotes
// and backslashes at the buffer's edges.
func TestJSONLongString(t *testing.T) {
	for _, n := range []int{1 << 16, 1<<16 + 1, 1<<16 - 1, 200000} {
		long := strings.Repeat("x", n-2) + `\"` + strings.Repeat(`\\`, 3) + `\"`
		want := strings.Repeat("x", n-2) + `"` + `\\\` + `"`
		text := `{"a":"` + long + `","b":1}` + "\n"
		r, err := source.NewReader("x.jsonl", strings.NewReader(text), source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(r)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if recs[0]["a"] != want || recs[0]["b"] != "1" {
			t.Errorf("n=%d: a has %d bytes (want %d), b = %q", n, len(recs[0]["a"]), len(want), recs[0]["b"])
		}
	}
}

// TestJSONInvalidUTF8 finds an invalid byte wherever it is, even where a record could
// end.
func TestJSONInvalidUTF8(t *testing.T) {
	for _, tt := range []struct{ name, text, err string }{
		{"x.jsonl", "{\"a\":1}\n\xff\n", "x.jsonl:2:1: invalid UTF-8 (byte 0xFF)"},
		{"x.jsonl", "{\"a\":1}\xff\n", "x.jsonl:1:8: invalid UTF-8 (byte 0xFF)"},
		{"x.jsonl", "{\"a\":\"\xff\"}\n", "x.jsonl:1:7: invalid UTF-8 (byte 0xFF)"},
		{"x.json", "[{\"a\":1}]\n\xff", "x.json:2:1: invalid UTF-8 (byte 0xFF)"},
	} {
		r, err := source.NewReader(tt.name, strings.NewReader(tt.text), source.Options{Encoding: "utf-8"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = readAll(r)
		wantError(t, err, tt.err)
	}
}
