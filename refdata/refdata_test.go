package refdata

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the gzipped copies from the shared data folder")

// sharedData is the project's folder of real data (../../shared/data/README.md).
const sharedData = "../../shared/data/classifications"

// correlationSheet is the sheet of the HS 2022 ↔ HS 2017 XLSX that
// hs2022-hs2017-correlations.csv holds.
const correlationSheet = "HS2022-HS2017 Correlations"

func TestManifestMatchesEmbeddedFiles(t *testing.T) {
	fs, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 21 {
		t.Errorf("manifest lists %d files, want 21", len(fs))
	}
	listed := map[string]bool{}
	for _, f := range fs {
		listed[f.Name] = true
		if f.Repo == "" || f.Path == "" || f.Licence == "" {
			t.Errorf("%s: repo, path and licence must be stated: %+v", f.Name, f)
		}
		rc, err := Open(f.Name)
		if err != nil {
			t.Errorf("Open(%q): %v", f.Name, err)
			continue
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || len(b) == 0 {
			t.Errorf("%s: read %d bytes, err %v", f.Name, len(b), err)
		}
	}
	entries, err := files.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".gz")
		if name != "manifest.csv" && !listed[name] {
			t.Errorf("%s is embedded but not in manifest.csv", e.Name())
		}
	}
	notice, err := os.ReadFile("NOTICE.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if !bytes.Contains(notice, []byte("`"+f.Name+"`")) {
			t.Errorf("NOTICE.md does not name %s", f.Name)
		}
		if f.Commit != "" && !bytes.Contains(notice, []byte(f.Commit)) {
			t.Errorf("NOTICE.md does not give commit %s of %s", f.Commit, f.Name)
		}
	}
	if _, err := Open("gb-isic4-appendix-c.csv"); err == nil {
		t.Error("the GB → ISIC Rev.4 appendix (product: no) must not be embedded")
	}
	if _, err := Open("../refdata.go"); err == nil {
		t.Error("Open must refuse paths")
	}
}

// TestCopies checks that every embedded copy holds the same bytes as its source in
// the shared data folder (and the correlation CSV the same cells as the XLSX sheet).
// With -update it rewrites the copies instead.
func TestCopies(t *testing.T) {
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared data folder absent: %v", err)
	}
	fs, err := Files()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Local == "" {
			continue
		}
		src := filepath.Join(sharedData, f.Local)
		var want []byte
		if strings.HasSuffix(f.Local, ".xlsx") {
			want, err = sheetCSV(src, correlationSheet)
		} else {
			want, err = os.ReadFile(src)
		}
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		if *update {
			if err := writeGzip(f.Name+".gz", want); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := ReadFile(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (%d bytes, want %d); run go test -run TestCopies -update", f.Name, f.Local, len(got), len(want))
		}
	}
}

// sheetCSV returns the named sheet of an XLSX file as CSV, without its title rows
// (rows of fewer than two cells before the header).
func sheetCSV(path, sheet string) ([]byte, error) {
	x, err := excelize.OpenFile(path)
	if err != nil {
		return nil, err
	}
	defer x.Close()
	rows, err := x.GetRows(sheet)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	header := false
	for _, r := range rows {
		if !header && len(r) < 2 {
			continue
		}
		header = true
		if err := w.Write(r); err != nil {
			return nil, err
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

func writeGzip(name string, b []byte) error {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return err
	}
	if _, err := zw.Write(b); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(name, buf.Bytes(), 0o644)
}

func TestFilesSorted(t *testing.T) {
	fs, _ := Files()
	if !sort.SliceIsSorted(fs, func(i, j int) bool { return fs[i].Name < fs[j].Name }) {
		t.Error("Files is not sorted by name")
	}
	if f, ok := Lookup("harmonized-system.csv"); !ok || f.Repo != "datasets/harmonized-system" || f.Licence != "ODC-PDDL" {
		t.Errorf("Lookup(harmonized-system.csv) = %+v, %v", f, ok)
	}
}
