package source_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/source"
)

var encodings = []string{"", "utf-8", "gbk", "gb18030"}

// addSeeds adds the testdata files matching pattern to the corpus of f.
func addSeeds(f *testing.F, pattern string, add func(data []byte)) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		add(b)
	}
}

// checkReader reads r to the end and checks what every reader promises, whatever the
// input: no panic, errors that are EINVALID *cipmap.Errors and final, values aligned
// with columns and valid UTF-8, positions in range, and an end; and an error if
// mustFail.
func checkReader(t *testing.T, r source.Reader, err error, size int, mustFail bool) []*source.Record {
	t.Helper()
	if err != nil {
		checkError(t, err)
		return nil
	}
	defer r.Close()
	var recs []*source.Record
	for n := 0; ; n++ {
		if n > size+1 {
			t.Fatalf("more records (%d) than bytes of input (%d)", n, size)
		}
		rec, err := r.Next()
		if err == io.EOF {
			if mustFail {
				t.Fatalf("read %d records to the end without an error", n)
			}
			if _, err := r.Next(); err != io.EOF {
				t.Fatalf("Next after io.EOF returned %v", err)
			}
			return recs
		}
		if err != nil {
			checkError(t, err)
			if _, err2 := r.Next(); err2 != err {
				t.Fatalf("Next after error %v returned %v", err, err2)
			}
			return recs
		}
		if len(rec.Values) != len(rec.Columns) {
			t.Fatalf("record at %d has %d values for %d columns", rec.Line, len(rec.Values), len(rec.Columns))
		}
		for i, v := range rec.Values {
			if !utf8.ValidString(v) || !utf8.ValidString(rec.Columns[i]) {
				t.Fatalf("record at %d: column %q value %q is not valid UTF-8", rec.Line, rec.Columns[i], v)
			}
			if line, col := rec.Pos(i); line < 1 || col < 0 {
				t.Fatalf("record at %d: Pos(%d) = %d:%d", rec.Line, i, line, col)
			}
		}
		rec.Empty()
		cp := *rec
		cp.Values = append([]string(nil), rec.Values...)
		cp.Columns = append([]string(nil), rec.Columns...)
		recs = append(recs, &cp)
	}
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var ce *cipmap.Error
	if !errors.As(err, &ce) || ce.Code != cipmap.EINVALID {
		t.Fatalf("error %v (%T) is not an EINVALID *cipmap.Error", err, err)
	}
	if !strings.HasPrefix(ce.Message, "x.") {
		t.Fatalf("error %q does not name the file", ce.Message)
	}
}

func FuzzCSV(f *testing.F) {
	addSeeds(f, "*/*.csv", func(b []byte) { f.Add(b, uint8(0), uint8(0), false) })
	addSeeds(f, "*/*.tsv", func(b []byte) { f.Add(b, uint8(0), uint8(0), true) })
	f.Add([]byte("a,b\n\"x\ny\",2\n"), uint8(1), uint8(1), false)
	f.Add([]byte("a,b\n1,\"x\"\"y\n"), uint8(0), uint8(0), false)
	f.Add([]byte("\xef\xbb\xbfa,a\n"), uint8(0), uint8(0), false)
	f.Fuzz(func(t *testing.T, data []byte, enc, header uint8, tsv bool) {
		opts := source.Options{Encoding: encodings[int(enc)%len(encodings)], HeaderRow: int(header % 8)}
		name := "x.csv"
		if tsv {
			name = "x.tsv"
		}
		r, err := source.NewReader(name, bytes.NewReader(data), opts)
		checkReader(t, r, err, len(data), opts.Encoding == "utf-8" && !utf8.Valid(data))
	})
}

func FuzzJSON(f *testing.F) {
	addSeeds(f, "*/*.json", func(b []byte) { f.Add(b) })
	f.Add([]byte(`[{"a":"\ud83d\ude00","b":[1,{"c":null}]}]`))
	f.Add([]byte(`{"x":1,"rows":[{"a":1}],"y":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := source.NewReader("x.json", bytes.NewReader(data), source.Options{Encoding: "utf-8"})
		recs := checkReader(t, r, err, len(data), !utf8.Valid(data))
		// An array of objects that encoding/json finds valid must read the same.
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		if len(trimmed) == 0 || trimmed[0] != '[' || !json.Valid(data) || !utf8.Valid(data) {
			return
		}
		var elems []json.RawMessage
		if json.Unmarshal(data, &elems) != nil {
			return
		}
		for i, e := range elems {
			want, ok := reference(e)
			if !ok { // not an object, or duplicate names: an error
				if len(recs) != i {
					t.Fatalf("element %d is not a record, but %d records were read", i+1, len(recs))
				}
				return
			}
			if i >= len(recs) {
				t.Fatalf("read %d records of %d", len(recs), len(elems))
			}
			compare(t, recs[i], want)
		}
		if len(recs) != len(elems) {
			t.Fatalf("read %d records, want %d", len(recs), len(elems))
		}
	})
}

func FuzzJSONL(f *testing.F) {
	addSeeds(f, "*/*.jsonl", func(b []byte) { f.Add(b) })
	f.Add([]byte("{\"a\":\"x\\\"\",\"b\":{\"c\":[1, 2]}}\n\n{\"a\":1e5}"))
	f.Add([]byte("{\"a\":1}\n{\"a\":\n2}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := source.NewReader("x.jsonl", bytes.NewReader(data), source.Options{Encoding: "utf-8"})
		recs := checkReader(t, r, err, len(data), !utf8.Valid(data))
		if !utf8.Valid(data) || bytes.HasPrefix(data, []byte("\ufeff")) {
			return
		}
		// Line by line, what encoding/json makes of the input must be what was read:
		// the same records, and an error on the first line it cannot read.
		n := 0
		for i, line := range bytes.Split(data, []byte("\n")) {
			if len(bytes.Trim(line, " \t\r")) == 0 {
				continue
			}
			want, ok := reference(line)
			if !ok {
				if n < len(recs) {
					t.Fatalf("line %d %q: encoding/json rejects it, but it was read as %q", i+1, line, recs[n].Values)
				}
				return
			}
			if n >= len(recs) {
				t.Fatalf("line %d %q: encoding/json reads %v, but it was not read", i+1, line, want)
			}
			if recs[n].Line != i+1 {
				t.Fatalf("record %d on line %d, want %d", n+1, recs[n].Line, i+1)
			}
			compare(t, recs[n], want)
			n++
		}
		if n != len(recs) {
			t.Fatalf("read %d records, encoding/json reads %d", len(recs), n)
		}
	})
}

// compare checks that rec holds the names and values of want, in order.
func compare(t *testing.T, rec *source.Record, want [][2]string) {
	t.Helper()
	got := make([][2]string, len(rec.Columns))
	for i := range rec.Columns {
		got[i] = [2]string{rec.Columns[i], rec.Values[i]}
	}
	if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Fatalf("record at %d:\ngot  %q\nwant %q", rec.Line, got, want)
	}
}

// reference flattens a JSON object with encoding/json as the package documents it:
// names and values in order, numbers as written, arrays as compact JSON text. ok is
// false if text is not one valid JSON object with distinct flattened names.
func reference(text []byte) (kvs [][2]string, ok bool) {
	if !json.Valid(text) {
		return nil, false
	}
	if t := bytes.TrimLeft(text, " \t\r\n"); len(t) == 0 || t[0] != '{' {
		return nil, false
	}
	if !flatten(text, "", &kvs) {
		return nil, false
	}
	seen := map[string]bool{}
	for _, kv := range kvs {
		if seen[kv[0]] {
			return nil, false
		}
		seen[kv[0]] = true
	}
	return kvs, true
}

func flatten(obj []byte, prefix string, kvs *[][2]string) bool {
	d := json.NewDecoder(bytes.NewReader(obj))
	d.UseNumber()
	if _, err := d.Token(); err != nil { // {
		return false
	}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		key := prefix + tok.(string)
		var raw json.RawMessage
		if err := d.Decode(&raw); err != nil {
			return false
		}
		var v string
		switch raw[0] {
		case '{':
			if !flatten(raw, key+".", kvs) {
				return false
			}
			continue
		case '[':
			var b bytes.Buffer
			if err := json.Compact(&b, raw); err != nil {
				return false
			}
			v = b.String()
		case '"':
			if err := json.Unmarshal(raw, &v); err != nil {
				return false
			}
		case 'n':
			v = ""
		default:
			v = string(raw)
		}
		*kvs = append(*kvs, [2]string{key, v})
	}
	return true
}
