package source_test

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/source"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// dump reads every record of r into a text that shows each value with its position,
// ending with the error that stopped the reading, for golden files.
func dump(r source.Reader) string {
	var b strings.Builder
	if cols := r.Columns(); cols != nil {
		fmt.Fprintf(&b, "columns: %q\n", cols)
	}
	for {
		rec, err := r.Next()
		if err == io.EOF {
			b.WriteString("EOF\n")
			break
		}
		if err != nil {
			fmt.Fprintf(&b, "error: %v\n", err)
			break
		}
		fmt.Fprintf(&b, "record %d (empty %v):\n", rec.Line, rec.Empty())
		for i, c := range rec.Columns {
			line, col := rec.Pos(i)
			fmt.Fprintf(&b, "  %s = %q @%d:%d\n", c, rec.Values[i], line, col)
		}
	}
	if bc, ok := r.(source.BlankCounter); ok {
		fmt.Fprintf(&b, "blank lines: %d\n", bc.Blank())
	}
	return b.String()
}

// golden compares got with the golden file path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from what was read (go test -update rewrites it):\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

// TestGolden reads every fixture in testdata and compares all records, values and
// positions, and the error that ends the reading, with its golden file.
func TestGolden(t *testing.T) {
	tests := []struct {
		name string // the golden file is testdata/<dir>/<name>.golden
		file string // in testdata
		opts source.Options
	}{
		{"auto", "gbk/input.csv", source.Options{}},
		{"gbk", "gbk/input.csv", source.Options{Encoding: "gbk"}},
		{"declared-utf8", "gbk/input.csv", source.Options{Encoding: "utf-8"}},
		{"bom", "bom/input.csv", source.Options{}},
		{"multiline", "multiline/input.csv", source.Options{}},
		{"broken-quote", "broken-quote/input.csv", source.Options{}},
		{"ragged", "ragged/input.csv", source.Options{}},
		{"tsv", "tsv/input.tsv", source.Options{}},
		{"tsv-comment", "tsv/input.tsv", source.Options{Comment: '#'}},
		{"header-row", "header-row/input.csv", source.Options{HeaderRow: 4}},
		{"header-row-blank", "header-row/input.csv", source.Options{HeaderRow: 3}},
		{"nested", "nested-json/input.json", source.Options{}},
		{"nested", "nested-jsonl/input.jsonl", source.Options{}},
		{"wrapper", "wrapper-json/input.json", source.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			var got string
			r, err := source.Open(path, tt.opts)
			if err != nil {
				got = fmt.Sprintf("open error: %v\n", err)
			} else {
				got = dump(r)
				if err := r.Close(); err != nil {
					t.Errorf("Close: %v", err)
				}
			}
			golden(t, filepath.Join(filepath.Dir(path), tt.name+".golden"), got)
		})
	}
}

// read returns the records of the file at path, values copied, or the first error.
func read(t *testing.T, path string, opts source.Options) ([]map[string]string, error) {
	t.Helper()
	r, err := source.Open(path, opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return readAll(r)
}

func readAll(r source.Reader) ([]map[string]string, error) {
	var recs []map[string]string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return recs, err
		}
		m := map[string]string{}
		for i, c := range rec.Columns {
			m[c] = rec.Values[i]
		}
		recs = append(recs, m)
	}
}

// wantError checks that err is an EINVALID *cipmap.Error whose message contains every
// one of parts.
func wantError(t *testing.T, err error, parts ...string) {
	t.Helper()
	var ce *cipmap.Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v (%T) is not a *cipmap.Error", err, err)
	}
	if ce.Code != cipmap.EINVALID {
		t.Errorf("error code %q, want %q: %v", ce.Code, cipmap.EINVALID, err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error %q does not contain %q", err, p)
		}
	}
}

func TestEncodings(t *testing.T) {
	const gbk = "testdata/gbk/input.csv"
	for _, enc := range []string{"", "auto", "gbk", "GBK", "gb18030", "cp936"} {
		t.Run(enc, func(t *testing.T) {
			recs, err := read(t, gbk, source.Options{Encoding: enc})
			if err != nil {
				t.Fatal(err)
			}
			if len(recs) != 3 {
				t.Fatalf("got %d records, want 3", len(recs))
			}
			if got, want := recs[0]["名称"], "华为技术有限公司"; got != want {
				t.Errorf("名称 = %q, want %q", got, want)
			}
			if got, want := recs[1]["注册资本（万元）"], "2,440,000"; got != want {
				t.Errorf("注册资本（万元） = %q, want %q", got, want)
			}
			// 镕 is in GBK but not in GB 2312.
			if got, want := recs[2]["名称"], "朱镕基基金会（示例）"; got != want {
				t.Errorf("名称 = %q, want %q", got, want)
			}
		})
	}
	t.Run("declared utf-8 on a GBK file", func(t *testing.T) {
		_, err := read(t, gbk, source.Options{Encoding: "utf-8"})
		// The first byte of the file, 0xC3, starts 名 in GBK.
		wantError(t, err, "testdata/gbk/input.csv:1:1:", "invalid UTF-8 (byte 0xC3)", "encoding: gbk")
	})
	t.Run("unknown encoding", func(t *testing.T) {
		_, err := read(t, gbk, source.Options{Encoding: "latin-1"})
		wantError(t, err, `unknown encoding "latin-1"`)
	})
}

func TestBOM(t *testing.T) {
	r, err := source.Open("testdata/bom/input.csv", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []string{"title", "supplier (中标单位)", "contract_value_RMB"}
	if got := r.Columns(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}
	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if got, ok := rec.Get("supplier (中标单位)"); !ok || got != "北京某科技有限公司" {
		t.Errorf(`Get("supplier (中标单位)") = %q, %v`, got, ok)
	}
	if got, ok := rec.Get("contract_value_RMB"); !ok || got != "1,200,000" {
		t.Errorf(`Get("contract_value_RMB") = %q, %v; the \r of the CRLF line end must not be kept`, got, ok)
	}
	if _, ok := rec.Get("no such column"); ok {
		t.Error(`Get("no such column") reports the column present`)
	}
}

func TestCSV(t *testing.T) {
	t.Run("multi-line quoted field", func(t *testing.T) {
		r, err := source.Open("testdata/multiline/input.csv", source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if got, want := rec.Values[2], "Line one\nline two, with a comma\nand \"quoted\" words"; got != want {
			t.Errorf("content = %q, want %q", got, want)
		}
		// amount follows the closing quote on line 4.
		if line, col := rec.Pos(3); line != 4 || col != 23 {
			t.Errorf("Pos(amount) = %d:%d, want 4:23", line, col)
		}
		rec, err = r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec.Line != 5 {
			t.Errorf("second record on line %d, want 5", rec.Line)
		}
	})
	t.Run("broken quote", func(t *testing.T) {
		_, err := read(t, "testdata/broken-quote/input.csv", source.Options{})
		wantError(t, err, "testdata/broken-quote/input.csv:3:8:", `unbalanced "`)
	})
	t.Run("too many fields", func(t *testing.T) {
		recs, err := read(t, "testdata/ragged/input.csv", source.Options{})
		wantError(t, err, "testdata/ragged/input.csv:4:7:", "the row has 4 fields but the header (line 1) has 3 columns", `"9"`)
		if len(recs) != 2 {
			t.Fatalf("read %d records before the error, want 2", len(recs))
		}
		if got := recs[1]["c"]; got != "" {
			t.Errorf("missing trailing field reads %q, want \"\"", got)
		}
	})
	t.Run("header", func(t *testing.T) {
		for _, tt := range []struct {
			name, text string
			opts       source.Options
			want       []string // columns, or
			err        []string // parts of the error
		}{
			{"trimmed", " a ,\tb\t, c\n", source.Options{}, []string{"a", "b", "c"}, nil},
			{"empty names", "a,,c,\n", source.Options{}, []string{"a", "column_2", "c", "column_4"}, nil},
			{"duplicates", "a,b,a,b,b\n", source.Options{}, nil, []string{"x.csv:1:", `duplicate column names in the header: "a" (field 1, field 3), "b" (field 2, field 4, field 5)`}},
			{"no names", ",,\n", source.Options{}, nil, []string{"x.csv:1:", "no column names"}},
			{"empty file", "", source.Options{}, nil, []string{"x.csv: the file is empty"}},
			{"header row past the end", "a\n", source.Options{HeaderRow: 3}, nil, []string{"ends before header row 3"}},
			{"semicolons", "a;b\n1;2\n", source.Options{Delimiter: ';'}, []string{"a", "b"}, nil},
			{"comment", "# note\na,b\n", source.Options{Comment: '#'}, []string{"a", "b"}, nil},
			{"blank lines first", "\n\na,b\n", source.Options{}, []string{"a", "b"}, nil},
			{"header row 1 is blank", "\na,b\n", source.Options{HeaderRow: 1}, nil, []string{"x.csv:1:", "header row 1 holds no record", "starts on line 2"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				r, err := source.NewReader("x.csv", strings.NewReader(tt.text), tt.opts)
				if tt.err != nil {
					wantError(t, err, tt.err...)
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := r.Columns(); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", tt.want) {
					t.Errorf("Columns() = %q, want %q", got, tt.want)
				}
			})
		}
	})
	t.Run("blank rows", func(t *testing.T) {
		r, err := source.NewReader("x.csv", strings.NewReader("a,b\n , \u3000\n\n1,\n"), source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var empty []bool
		for {
			rec, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			empty = append(empty, rec.Empty())
		}
		// The empty line is skipped; " , 　" is a record with blank values.
		if fmt.Sprint(empty) != "[true false]" {
			t.Errorf("Empty() of the records = %v, want [true false]", empty)
		}
	})
	t.Run("errors are final", func(t *testing.T) {
		r, err := source.NewReader("x.csv", strings.NewReader("a\n\"x\n"), source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		_, err1 := r.Next()
		_, err2 := r.Next()
		if err1 == nil || err1 != err2 {
			t.Errorf("Next after an error returned %v, then %v; want the same error", err1, err2)
		}
	})
}

func TestTSV(t *testing.T) {
	recs, err := read(t, "testdata/tsv/input.tsv", source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := recs[0]["name"], `"Huawei`; got != want {
		t.Errorf("name = %q, want %q: quotes are ordinary characters in tsv", got, want)
	}
	if got, want := recs[0]["note"], `5" screen, 12" tall`; got != want {
		t.Errorf("note = %q, want %q", got, want)
	}
	if len(recs) != 3 {
		t.Errorf("got %d records, want 3 (the empty line is skipped)", len(recs))
	}
	recs, err = read(t, "testdata/tsv/input.tsv", source.Options{Comment: '#'})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 {
		t.Errorf("with Comment '#', got %d records, want 2", len(recs))
	}
}

func TestHeaderRow(t *testing.T) {
	recs, err := read(t, "testdata/header-row/input.csv", source.Options{HeaderRow: 4})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 1 || recs[0]["company"] != "A" || recs[0]["revenue"] != "1" {
		t.Errorf("records = %v, want [map[company:A revenue:1]]", recs)
	}
	_, err = read(t, "testdata/header-row/input.csv", source.Options{HeaderRow: 3})
	wantError(t, err, "testdata/header-row/input.csv:3:", "header row 3 holds no record")
}

func TestOptions(t *testing.T) {
	for _, tt := range []struct {
		name string
		file string
		opts source.Options
		err  []string
	}{
		{"unknown format", "x.csv", source.Options{Format: "parquet"}, []string{`unknown format "parquet"`}},
		{"unknown extension", "x.dat", source.Options{}, []string{`unknown file extension ".dat"`}},
		{"xls", "x.xls", source.Options{}, []string{".xls", "not supported"}},
		{"no extension", "x", source.Options{}, []string{"no file extension"}},
		{"bad delimiter", "x.csv", source.Options{Delimiter: '"'}, []string{"cannot be a delimiter"}},
		{"negative header row", "x.csv", source.Options{HeaderRow: -1}, []string{"header row -1"}},
		{"comment is delimiter", "x.csv", source.Options{Comment: ','}, []string{"comment character and the delimiter"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := source.NewReader(tt.file, strings.NewReader("a,b\n"), tt.opts)
			wantError(t, err, tt.err...)
		})
	}
	t.Run("missing file", func(t *testing.T) {
		_, err := source.Open("testdata/no-such-file.csv", source.Options{})
		if cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
			t.Errorf("error %v has code %q, want %q", err, cipmap.ErrorCode(err), cipmap.ENOTFOUND)
		}
	})
}

func TestFormatOf(t *testing.T) {
	for name, want := range map[string]source.Format{
		"a.csv": source.CSV, "A.CSV": source.CSV, "a.tsv": source.TSV, "a.txt": source.TSV,
		"a.xlsx": source.XLSX, "a.json": source.JSON, "a.jsonl": source.JSONL, "a.ndjson": source.JSONL,
	} {
		if got, err := source.FormatOf(name); got != want || err != nil {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
}

func TestGlob(t *testing.T) {
	got, err := source.Glob("testdata/*/input.csv")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"testdata/bom/input.csv", "testdata/broken-quote/input.csv", "testdata/gbk/input.csv",
		"testdata/header-row/input.csv", "testdata/multiline/input.csv", "testdata/ragged/input.csv",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Glob = %q, want %q", got, want)
	}
	if got, err := source.Glob("testdata/bom/input.csv"); err != nil || len(got) != 1 {
		t.Errorf("Glob of a plain path = %q, %v", got, err)
	}
	if _, err := source.Glob("testdata/*.nothing"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("Glob with no match: error %v, want code %q", err, cipmap.ENOTFOUND)
	}
	if _, err := source.Glob("testdata"); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("Glob of a directory: error %v, want code %q", err, cipmap.ENOTFOUND)
	}
	if _, err := source.Glob("testdata/[a"); cipmap.ErrorCode(err) != cipmap.EINVALID {
		t.Errorf("Glob of a bad pattern: error %v, want code %q", err, cipmap.EINVALID)
	}
}

func TestRecordPosOutOfRange(t *testing.T) {
	var rec source.Record
	if line, col := rec.Pos(3); line != 0 || col != 0 {
		t.Errorf("Pos out of range = %d:%d, want 0:0", line, col)
	}
	if !rec.Empty() {
		t.Error("a record with no values is not Empty")
	}
}
