package source_test

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap/source"
	"github.com/xuri/excelize/v2"
)

// workbook writes a workbook for the tests: a first sheet "Notes" and a sheet "Data"
// with a title row, a header in row 3, typed and formatted cells, a gap and a short row.
func workbook(t *testing.T) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.SetSheetName("Sheet1", "Notes"))
	must(f.SetCellValue("Notes", "A1", "see sheet Data"))
	_, err := f.NewSheet("Data")
	must(err)
	set := func(cell string, v any) { t.Helper(); must(f.SetCellValue("Data", cell, v)) }
	style := func(cell string, s *excelize.Style) {
		t.Helper()
		id, err := f.NewStyle(s)
		must(err)
		must(f.SetCellStyle("Data", cell, cell, id))
	}
	isoDate := "yyyy-mm-dd"
	day := time.Date(2020, 8, 13, 0, 0, 0, 0, time.UTC)

	set("A1", "2020年企业名单")
	set("A3", " 名称 ")
	set("B3", "amount")
	set("C3", "date")
	set("D3", "iso date")
	set("E3", "share")
	set("F3", "")
	set("G3", "note")

	set("A4", "华为技术有限公司")
	set("B4", 25000)
	set("C4", day)
	set("D4", day)
	style("D4", &excelize.Style{CustomNumFmt: &isoDate})
	set("E4", 1234.5)
	style("E4", &excelize.Style{NumFmt: 4}) // #,##0.00
	set("F4", "unnamed")
	set("G4", "  ")

	// Row 5 is missing; row 6 has a value only in B, and a styled empty cell in K
	// that must not count as a value right of the header.
	set("B6", 0.1)
	style("K6", &excelize.Style{NumFmt: 4})

	set("A7", "x")
	set("H7", "right of the header")

	path := filepath.Join(t.TempDir(), "firms.xlsx")
	must(f.SaveAs(path))
	return path
}

func TestXLSX(t *testing.T) {
	path := workbook(t)
	r, err := source.Open(path, source.Options{Sheet: "Data", HeaderRow: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	want := []string{"名称", "amount", "date", "iso date", "share", "column_6", "note"}
	if got := r.Columns(); fmt.Sprintf("%q", got) != fmt.Sprintf("%q", want) {
		t.Errorf("Columns() = %q, want %q", got, want)
	}

	rec, err := r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Line != 4 {
		t.Errorf("first record in row %d, want 4", rec.Line)
	}
	for _, tt := range []struct{ column, want string }{
		{"名称", "华为技术有限公司"},
		{"amount", "25000"},
		{"date", "08-13-20"},       // excelize's default date format, Excel's "mm-dd-yy"
		{"iso date", "2020-08-13"}, // the cell's own format
		{"share", "1,234.50"},      // formatted as the cell says
		{"column_6", "unnamed"},
		{"note", "  "},
	} {
		if got, _ := rec.Get(tt.column); got != tt.want {
			t.Errorf("%s = %q, want %q", tt.column, got, tt.want)
		}
	}
	if line, col := rec.Pos(4); line != 4 || col != 5 {
		t.Errorf("Pos(share) = %d:%d, want 4:5", line, col)
	}

	rec, err = r.Next()
	if err != nil {
		t.Fatal(err)
	}
	if rec.Line != 6 {
		t.Errorf("second record in row %d, want 6 (row 5 is empty)", rec.Line)
	}
	if got, _ := rec.Get("amount"); got != "0.1" {
		t.Errorf("amount = %q, want 0.1", got)
	}
	if got, _ := rec.Get("名称"); got != "" {
		t.Errorf("名称 = %q, want \"\"", got)
	}

	_, err = r.Next()
	wantError(t, err, "firms.xlsx:7:8:", `cell H7 of sheet "Data" holds "right of the header"`)
}

func TestXLSXSheets(t *testing.T) {
	path := workbook(t)
	t.Run("first sheet by default", func(t *testing.T) {
		r, err := source.Open(path, source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got := r.Columns(); fmt.Sprint(got) != "[see sheet Data]" {
			t.Errorf("Columns() = %q", got)
		}
		if _, err := r.Next(); err != io.EOF {
			t.Errorf("Next() = %v, want io.EOF", err)
		}
	})
	t.Run("case-insensitive name", func(t *testing.T) {
		r, err := source.Open(path, source.Options{Sheet: "data", HeaderRow: 3})
		if err != nil {
			t.Fatal(err)
		}
		r.Close()
	})
	t.Run("title row as header by default", func(t *testing.T) {
		r, err := source.Open(path, source.Options{Sheet: "Data"})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if got := r.Columns(); fmt.Sprint(got) != "[2020年企业名单]" {
			t.Errorf("Columns() = %q", got)
		}
	})
	t.Run("unknown sheet", func(t *testing.T) {
		_, err := source.Open(path, source.Options{Sheet: "Firms"})
		wantError(t, err, `no sheet named "Firms"`, `the workbook's sheets are "Notes", "Data"`)
	})
	t.Run("empty header row", func(t *testing.T) {
		_, err := source.Open(path, source.Options{Sheet: "Data", HeaderRow: 2})
		wantError(t, err, "firms.xlsx:2:", `header row 2 of sheet "Data" is empty`)
	})
	t.Run("header row past the end", func(t *testing.T) {
		_, err := source.Open(path, source.Options{Sheet: "Data", HeaderRow: 100})
		wantError(t, err, `sheet "Data" ends before header row 100`)
	})
	t.Run("from a reader", func(t *testing.T) {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		r, err := source.NewReader("firms.xlsx", bytes.NewReader(b), source.Options{Sheet: "Data", HeaderRow: 3})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		if rec, err := r.Next(); err != nil || rec.Values[0] != "华为技术有限公司" {
			t.Errorf("Next() = %v, %v", rec, err)
		}
	})
	t.Run("not a workbook", func(t *testing.T) {
		_, err := source.NewReader("x.xlsx", strings.NewReader("a,b\n1,2\n"), source.Options{})
		wantError(t, err, "x.xlsx: not a readable xlsx workbook")
	})
}
