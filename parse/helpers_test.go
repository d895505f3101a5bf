package parse_test

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"os"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

// checkInvalid asserts that err is a *cipmap.Error with code EINVALID whose message
// contains each of want: the tests pass the bad value and the words that say what was
// expected.
func checkInvalid(t *testing.T, in string, err error, want ...string) {
	t.Helper()
	var e *cipmap.Error
	if !errors.As(err, &e) {
		t.Errorf("%q: got error %v (%T), want a *cipmap.Error", in, err, err)
		return
	}
	if e.Code != cipmap.EINVALID {
		t.Errorf("%q: got code %q, want %q", in, e.Code, cipmap.EINVALID)
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			t.Errorf("%q: message %q does not mention %q", in, e.Message, w)
		}
	}
}

// readCSV reads a CSV file with a header into maps from column to value, skipping the
// test if the file is not there (the shared data lives beside the repository).
func readCSV(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("no shared data: %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	header := recs[0]
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, v := range rec {
			if i < len(header) {
				row[header[i]] = v
			}
		}
		rows = append(rows, row)
	}
	return rows
}
