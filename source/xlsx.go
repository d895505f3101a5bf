package source

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/xuri/excelize/v2"
)

// xlsxReader reads one sheet of a workbook with excelize's streaming row iterator.
type xlsxReader struct {
	table
	f     *excelize.File
	rows  *excelize.Rows
	sheet string
	row   int // sheet row number of the last row read
	err   error
}

func openXLSX(path string, opts Options) (r Reader, err error) {
	defer recoverXLSX(path, &err)
	if fi, err := os.Stat(path); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, cipmap.WrapError(cipmap.ENOTFOUND, err, "source file %s does not exist", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	} else if fi.IsDir() {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s is a directory, not a source file", path)
	}
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: not a readable xlsx workbook", path)
	}
	return startXLSX(path, f, opts)
}

func newXLSXReader(name string, rd io.Reader, opts Options) (r Reader, err error) {
	defer recoverXLSX(name, &err)
	f, err := excelize.OpenReader(rd)
	if err != nil {
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: not a readable xlsx workbook", name)
	}
	return startXLSX(name, f, opts)
}

// recoverXLSX turns a panic in excelize, on a workbook it cannot make sense of, into
// an error.
func recoverXLSX(name string, err *error) {
	if v := recover(); v != nil {
		*err = cipmap.Errorf(cipmap.EINVALID, "%s: malformed xlsx workbook (%v)", name, v)
	}
}

// startXLSX finds the sheet and reads up to its header row.
func startXLSX(name string, f *excelize.File, opts Options) (Reader, error) {
	sheet, err := findSheet(name, f, opts.Sheet)
	if err != nil {
		f.Close()
		return nil, err
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: sheet %q", name, sheet)
	}
	r := &xlsxReader{table: table{name: name}, f: f, rows: rows, sheet: sheet}
	headerRow := opts.HeaderRow
	for headerRow == 0 || r.row < headerRow {
		cells, err := r.readRow()
		if err == io.EOF {
			r.Close()
			if headerRow == 0 {
				return nil, errorf(name, 0, 0, "sheet %q is empty: no header row", sheet)
			}
			return nil, errorf(name, 0, 0, "sheet %q ends before header row %d", sheet, headerRow)
		}
		if err != nil {
			r.Close()
			return nil, err
		}
		if headerRow == 0 && len(cells) > 0 {
			headerRow = r.row
		}
		if headerRow == 0 || r.row < headerRow {
			continue
		}
		if len(cells) == 0 {
			r.Close()
			return nil, errorf(name, headerRow, 0, "header row %d of sheet %q is empty", headerRow, sheet)
		}
		if err := r.setHeader(r.row, cells, columnLabel); err != nil {
			r.Close()
			return nil, err
		}
	}
	return r, nil
}

// findSheet returns the name of the sheet called want, or of the first sheet if want
// is "".
func findSheet(name string, f *excelize.File, want string) (string, error) {
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: the workbook has no sheets", name)
	}
	if want == "" {
		return sheets[0], nil
	}
	for _, s := range sheets {
		if s == want {
			return s, nil
		}
	}
	for _, s := range sheets {
		if strings.EqualFold(s, want) {
			return s, nil
		}
	}
	q := make([]string, len(sheets))
	for i, s := range sheets {
		q[i] = fmt.Sprintf("%q", s)
	}
	return "", cipmap.Errorf(cipmap.EINVALID, "%s: no sheet named %q; the workbook's sheets are %s", name, want, strings.Join(q, ", "))
}

// columnLabel names a column of a sheet by its letters.
func columnLabel(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprintf("column %d", i+1)
	}
	return "column " + name
}

// readRow reads the next row that has cells, with trailing empty cells dropped, and
// sets r.row to its number.
func (r *xlsxReader) readRow() (cells []string, err error) {
	defer recoverXLSX(r.name, &err)
	for r.rows.Next() {
		r.row++
		cells, err := r.rows.Columns()
		if err != nil {
			return nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: sheet %q row %d", r.name, r.sheet, r.row)
		}
		for len(cells) > 0 && cells[len(cells)-1] == "" {
			cells = cells[:len(cells)-1]
		}
		if len(cells) > 0 || r.columns == nil {
			return cells, nil
		}
	}
	if err := r.rows.Error(); err != nil {
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "%s: sheet %q after row %d", r.name, r.sheet, r.row)
	}
	return nil, io.EOF
}

// Columns returns the column names from the header.
func (r *xlsxReader) Columns() []string { return r.columns }

// Next returns the next row that has a cell with a value; rows without one are
// skipped. A row with a value to the right of the header's last column is an error.
func (r *xlsxReader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	cells, err := r.readRow()
	if err != nil {
		r.err = err
		return nil, err
	}
	if n := len(r.columns); len(cells) > n {
		i := n
		for cells[i] == "" {
			i++
		}
		cell, _ := excelize.CoordinatesToCellName(i+1, r.row)
		r.err = errorf(r.name, r.row, i+1, "cell %s of sheet %q holds %s, right of the header's last column (%d columns, row %d)",
			cell, r.sheet, quote(cells[i]), n, r.headerLine)
		return nil, r.err
	}
	rec := &r.rec
	rec.Line = r.row
	for i, c := range cells {
		rec.Values[i] = c
		rec.pos[i] = position{r.row, i + 1}
	}
	for i := len(cells); i < len(rec.Values); i++ {
		rec.Values[i] = ""
		rec.pos[i] = position{r.row, i + 1}
	}
	return rec, nil
}

// Close closes the workbook.
func (r *xlsxReader) Close() error {
	if r.f == nil {
		return nil
	}
	err := r.rows.Close()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	r.f = nil
	return err
}
