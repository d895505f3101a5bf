package source_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/cipmap/cipmap/source"
)

// samples is the shared data directory of the project, next to the repository.
var samples = filepath.Join("..", "..", "shared", "data", "samples")

// sample returns the path of a shared sample file, or skips the test if it is absent.
func sample(t *testing.T, path string) string {
	t.Helper()
	p := filepath.Join(samples, path)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("shared sample %s is not here (%v); it comes with the project's data directory", p, err)
	}
	return p
}

// TestHarnessedLightning reads CSET's PLA procurement data: a UTF-8 CSV with a BOM,
// CRLF line ends, long multi-line Chinese fields and many all-blank rows.
func TestHarnessedLightning(t *testing.T) {
	path := sample(t, "procurement-pla-ai-2020/Harnessed_Lightning_Raw_Data.csv")
	r, err := source.Open(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cols := r.Columns()
	if len(cols) != 12 {
		t.Errorf("%d columns, want 12: %q", len(cols), cols)
	}
	if len(cols) > 0 && cols[0] != "title" {
		t.Errorf("first column %q, want \"title\" (without the byte-order mark)", cols[0])
	}
	records, nonEmpty, suppliers := 0, 0, 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		records++
		if rec.Empty() {
			continue
		}
		nonEmpty++
		s, ok := rec.Get("supplier (中标单位)")
		if !ok {
			t.Fatalf("%s:%d: no column \"supplier (中标单位)\"", path, rec.Line)
		}
		if s != "" {
			suppliers++
		}
	}
	if records != 996 || nonEmpty != 343 {
		t.Errorf("%d records, %d not empty; want 996 and 343", records, nonEmpty)
	}
	if suppliers == 0 {
		t.Error("no record names a supplier")
	}
}

// TestAmplyfiInvestments reads CSET's AMPLYFI investments, JSON Lines in a file named
// .json, and checks every amount against the text of the line: numbers are kept as
// written.
func TestAmplyfiInvestments(t *testing.T) {
	path := sample(t, "ai-investments-amplyfi/data_cset_amplyfi_deduplicated_investments_zh_usd.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// The amounts as written, line by line, by encoding/json with UseNumber.
	var want []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		d := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		d.UseNumber()
		var obj map[string]any
		if err := d.Decode(&obj); err != nil {
			t.Fatal(err)
		}
		n, _ := obj["amount"].(json.Number)
		want = append(want, string(n))
	}

	r, err := source.Open(path, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []string
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		a, _ := rec.Get("amount")
		got = append(got, a)
		if len(got) == 1 {
			if a != "25000" {
				t.Errorf("first amount = %q, want \"25000\"", a)
			}
			if e, _ := rec.Get("entity_id"); e != "99b5152f-fdd0-4703-9887-e8f7002e92db" {
				t.Errorf("first entity_id = %q", e)
			}
			if rec.Line != 1 {
				t.Errorf("first record on line %d, want 1", rec.Line)
			}
		}
	}
	if len(got) != 3851 {
		t.Errorf("%d objects, want 3851", len(got))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("object %d: amount %q, want %q", i+1, got[i], want[i])
		}
	}
}
