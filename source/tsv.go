package source

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// tsvReader reads tab-separated values: each line is split on the delimiter, with no
// quoting, so a quote is an ordinary character and a value cannot hold a tab or a
// line break.
type tsvReader struct {
	table
	br      *bufio.Reader
	closer  io.Closer
	delim   string
	comment rune
	line    int      // lines read
	long    []byte   // a line longer than the buffer
	fields  []string // of the last row read
	cols    []int    // byte column of each field
	err     error
}

func newTSVReader(name string, text *bufio.Reader, closer io.Closer, opts Options) (*tsvReader, error) {
	delim := opts.Delimiter
	if delim == 0 {
		delim = '\t'
	}
	if opts.Comment == delim {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s: the comment character and the delimiter are both %q", name, delim)
	}
	r := &tsvReader{
		table:   table{name: name},
		br:      text,
		closer:  closer,
		delim:   string(delim),
		comment: opts.Comment,
	}
	headerRow := opts.HeaderRow
	for {
		line, err := r.readRow()
		if err == io.EOF {
			if headerRow <= 1 {
				return nil, errorf(name, 0, 0, "the file is empty: no header row")
			}
			return nil, errorf(name, 0, 0, "the file ends before header row %d", headerRow)
		}
		if err != nil {
			return nil, err
		}
		if headerRow == 0 {
			headerRow = line
		}
		if line < headerRow {
			continue
		}
		if line > headerRow {
			return nil, errorf(name, headerRow, 0, "header row %d is blank or a comment; the next row is on line %d", headerRow, line)
		}
		if err := r.setHeader(line, r.fields, fieldLabel); err != nil {
			return nil, err
		}
		return r, nil
	}
}

// readRow reads the next line that is neither empty nor a comment into r.fields and
// r.cols and returns its line number.
func (r *tsvReader) readRow() (int, error) {
	for {
		b, err := r.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			r.long = append(r.long[:0], b...)
			for err == bufio.ErrBufferFull {
				b, err = r.br.ReadSlice('\n')
				r.long = append(r.long, b...)
			}
			b = r.long
		}
		if err != nil && (err != io.EOF || len(b) == 0) {
			if err == io.EOF {
				return 0, io.EOF
			}
			if ce, ok := err.(*cipmap.Error); ok {
				return 0, ce
			}
			return 0, fmt.Errorf("read %s: %w", r.name, err)
		}
		r.line++
		if n := len(b); n > 0 && b[n-1] == '\n' {
			b = b[:n-1]
		}
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
		if len(b) == 0 {
			continue
		}
		if r.comment != 0 {
			if c, _ := utf8.DecodeRune(b); c == r.comment {
				continue
			}
		}
		r.split(string(b))
		return r.line, nil
	}
}

// split splits line into r.fields and r.cols.
func (r *tsvReader) split(line string) {
	r.fields = r.fields[:0]
	r.cols = r.cols[:0]
	start := 0
	for {
		i := strings.Index(line[start:], r.delim)
		if i < 0 {
			r.fields = append(r.fields, line[start:])
			r.cols = append(r.cols, start+1)
			return
		}
		r.fields = append(r.fields, line[start:start+i])
		r.cols = append(r.cols, start+1)
		start += i + len(r.delim)
	}
}

// Columns returns the column names from the header.
func (r *tsvReader) Columns() []string { return r.columns }

// Next returns the next record. Empty lines and comments are skipped. A row with fewer
// fields than the header reads the missing trailing fields as ""; a row with more is
// an error.
func (r *tsvReader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	line, err := r.readRow()
	if err != nil {
		r.err = err
		return nil, err
	}
	if len(r.fields) > len(r.columns) {
		n := len(r.columns)
		r.err = r.tooMany(line, r.cols[n], len(r.fields), r.fields[n])
		return nil, r.err
	}
	rec := &r.rec
	rec.Line = line
	for i, f := range r.fields {
		rec.Values[i] = f
		rec.pos[i] = position{line, r.cols[i]}
	}
	for i := len(r.fields); i < len(rec.Values); i++ {
		rec.Values[i] = ""
		rec.pos[i] = position{line, 0}
	}
	return rec, nil
}

// Close closes the file.
func (r *tsvReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}
