package source

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"

	"github.com/cipmap/cipmap"
)

// csvReader reads CSV with encoding/csv: strict RFC 4180 quoting, ragged rows allowed
// up to the header's width.
type csvReader struct {
	table
	cr     *csv.Reader
	closer io.Closer
	err    error
}

func newCSVReader(name string, text *bufio.Reader, closer io.Closer, opts Options) (*csvReader, error) {
	comma := opts.Delimiter
	if comma == 0 {
		comma = ','
	}
	if opts.Comment == comma {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s: the comment character and the delimiter are both %q", name, comma)
	}
	cr := csv.NewReader(text)
	cr.Comma = comma
	cr.Comment = opts.Comment
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = false
	cr.ReuseRecord = true
	r := &csvReader{table: table{name: name}, cr: cr, closer: closer}

	headerRow := opts.HeaderRow
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			if headerRow <= 1 {
				return nil, errorf(name, 0, 0, "the file is empty: no header row")
			}
			return nil, errorf(name, 0, 0, "the file ends before header row %d", headerRow)
		}
		if err != nil {
			return nil, r.convert(err)
		}
		line, _ := cr.FieldPos(0)
		if headerRow == 0 {
			headerRow = line
		}
		if line < headerRow {
			continue
		}
		if line > headerRow {
			return nil, errorf(name, headerRow, 0, "header row %d holds no record (it is blank, a comment or inside a quoted field); the next record starts on line %d", headerRow, line)
		}
		if err := r.setHeader(line, fields, fieldLabel); err != nil {
			return nil, err
		}
		return r, nil
	}
}

// Columns returns the column names from the header.
func (r *csvReader) Columns() []string { return r.columns }

// Next returns the next record. A row with fewer fields than the header reads the
// missing trailing fields as "", as spreadsheets export them; a row with more is an
// error.
func (r *csvReader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	fields, err := r.cr.Read()
	if err != nil {
		r.err = r.convert(err)
		return nil, r.err
	}
	rec := &r.rec
	rec.Line, _ = r.cr.FieldPos(0)
	if len(fields) > len(r.columns) {
		line, col := r.cr.FieldPos(len(r.columns))
		r.err = r.tooMany(line, col, len(fields), fields[len(r.columns)])
		return nil, r.err
	}
	for i, f := range fields {
		rec.Values[i] = f
		line, col := r.cr.FieldPos(i)
		rec.pos[i] = position{line, col}
	}
	for i := len(fields); i < len(rec.Values); i++ {
		rec.Values[i] = ""
		rec.pos[i] = position{rec.Line, 0}
	}
	return rec, nil
}

// convert turns an error of encoding/csv into an error for the user.
func (r *csvReader) convert(err error) error {
	var pe *csv.ParseError
	var ce *cipmap.Error
	switch {
	case err == io.EOF:
		return io.EOF
	case errors.As(err, &ce):
		return ce
	case errors.As(err, &pe):
		var what string
		switch {
		case errors.Is(pe.Err, csv.ErrQuote) && pe.StartLine != pe.Line:
			what = fmt.Sprintf(`unbalanced " in the quoted field of the record that starts on line %d; a quote inside a quoted field is written twice ("")`, pe.StartLine)
		case errors.Is(pe.Err, csv.ErrQuote):
			what = `unbalanced " in a quoted field; a quote inside a quoted field is written twice ("")`
		case errors.Is(pe.Err, csv.ErrBareQuote):
			what = `" in a field that is not quoted; quote the field and write the quote twice (""), or read the file as tsv if it uses no quoting`
		default:
			what = pe.Err.Error()
		}
		return errorf(r.name, pe.Line, pe.Column, "%s", what)
	}
	return fmt.Errorf("read %s: %w", r.name, err)
}

// Close closes the file.
func (r *csvReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}
