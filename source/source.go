package source

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// Format names a kind of source file.
type Format string

// Formats read by this package.
const (
	CSV   Format = "csv"   // comma-separated values with RFC 4180 quoting
	TSV   Format = "tsv"   // tab-separated values, split on tabs with no quoting
	XLSX  Format = "xlsx"  // an Excel workbook, one sheet
	JSON  Format = "json"  // an array of objects, or one object holding one array of objects
	JSONL Format = "jsonl" // JSON Lines: one object per line
)

// Formats lists the formats in the order they are documented.
var Formats = []Format{CSV, TSV, XLSX, JSON, JSONL}

// extensions maps a lower-case file extension to its format.
var extensions = map[string]Format{
	".csv":    CSV,
	".tsv":    TSV,
	".tab":    TSV,
	".txt":    TSV,
	".xlsx":   XLSX,
	".xlsm":   XLSX,
	".json":   JSON,
	".jsonl":  JSONL,
	".ndjson": JSONL,
}

// FormatOf returns the format of a file named name, from its extension, or an EINVALID
// error that says which extensions are known.
func FormatOf(name string) (Format, error) {
	ext := strings.ToLower(filepath.Ext(name))
	if f, ok := extensions[ext]; ok {
		return f, nil
	}
	switch ext {
	case ".xls":
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: Excel 97-2003 workbooks (.xls) are not supported; save the file as .xlsx or .csv", name)
	case "":
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: no file extension to tell the format by; set format to one of %s", name, formatList())
	}
	return "", cipmap.Errorf(cipmap.EINVALID, "%s: unknown file extension %q; known are .csv .tsv .tab .txt .xlsx .xlsm .json .jsonl .ndjson, or set format to one of %s", name, ext, formatList())
}

func formatList() string {
	s := make([]string, len(Formats))
	for i, f := range Formats {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

// Options say how to read a source file. The zero value reads a file whose format
// follows from its extension, in UTF-8 or GB18030 (detected), with the column names in
// its first row.
type Options struct {
	// Format is the file's format; "" means from the file extension: .csv is CSV;
	// .tsv, .tab and .txt are TSV; .xlsx and .xlsm are XLSX; .json is JSON; .jsonl
	// and .ndjson are JSON Lines.
	Format Format
	// Encoding is the text encoding of csv, tsv, json and jsonl files: "utf-8",
	// "gbk" (also "cp936", "gb2312"), "gb18030", or "auto" or "" to detect UTF-8 or
	// GB18030. XLSX files are always UTF-8 inside and ignore it.
	Encoding string
	// Delimiter separates fields: for csv 0 means ','; for tsv 0 means a tab. Other
	// formats ignore it.
	Delimiter rune
	// Sheet is the xlsx sheet to read; "" means the first sheet of the workbook.
	Sheet string
	// HeaderRow is the 1-based row holding the column names: for csv and tsv the
	// physical line where the header record starts, for xlsx the sheet row number. The
	// rows above it are skipped. 0 means the first row that is not empty or a comment,
	// which is row 1 in most files. JSON formats ignore it.
	HeaderRow int
	// Comment, if not 0, starts comment lines in csv and tsv files; they are skipped.
	Comment rune
}

// Record is one row of a tabular file or one object of a JSON file.
//
// A Record returned by Reader.Next, with its Values, is valid until the next call to
// Next, which may reuse it: copy what you keep.
type Record struct {
	// File is the path of the file as given to Open, or the name given to NewReader.
	File string
	// Line is where the record is: for csv, tsv and jsonl the 1-based physical line
	// where the record starts; for xlsx the sheet row number; for json the 1-based
	// index of the object in its array (or the line, for a .json file of JSON Lines).
	// It is how statements cite their source ("file.csv:118").
	Line int
	// Columns are the column names. Tabular files share one slice between records,
	// which must not be modified; each JSON record has its own keys, flattened.
	Columns []string
	// Values are the values, aligned with Columns.
	Values []string

	pos   []position     // of each value
	index map[string]int // column name to index, shared, or nil to search Columns
}

// position is a 1-based line and byte column in a file.
type position struct{ line, col int }

// Get returns the value of column name and whether the record has the column.
func (r *Record) Get(name string) (string, bool) {
	if r.index != nil {
		if i, ok := r.index[name]; ok && i < len(r.Values) {
			return r.Values[i], true
		}
		return "", false
	}
	for i, c := range r.Columns {
		if c == name && i < len(r.Values) {
			return r.Values[i], true
		}
	}
	return "", false
}

// Pos returns the 1-based line and column in the file where value i starts, so errors
// can say file:line:column. Columns count bytes of the UTF-8 text, as encoding/csv's
// FieldPos does (for a GBK file, bytes of the text decoded to UTF-8); the xlsx column is
// the sheet column number (A = 1). JSON values have their real line and column in the
// file even though a json Record's Line is an index. Col is 0 for a value that is not
// in the file (a trailing field missing from a short csv or tsv row), and both are 0
// when i is out of range.
func (r *Record) Pos(i int) (line, col int) {
	if i < 0 || i >= len(r.pos) {
		return 0, 0
	}
	return r.pos[i].line, r.pos[i].col
}

// Index returns the index of column name in the record, or -1.
func (r *Record) Index(name string) int {
	if r.index != nil {
		if i, ok := r.index[name]; ok && i < len(r.Values) {
			return i
		}
		return -1
	}
	for i, c := range r.Columns {
		if c == name && i < len(r.Values) {
			return i
		}
	}
	return -1
}

// Clone returns a copy of the record that the reader's next call does not change.
// Tabular records share their column names and index, which never change.
func (r *Record) Clone() *Record {
	c := *r
	c.Values = append([]string(nil), r.Values...)
	c.pos = append([]position(nil), r.pos...)
	if r.index == nil {
		c.Columns = append([]string(nil), r.Columns...)
	}
	return &c
}

// Empty reports whether every value is blank: empty or white space only (including
// the full-width space U+3000).
func (r *Record) Empty() bool {
	for _, v := range r.Values {
		if !blank(v) {
			return false
		}
	}
	return true
}

// blank reports whether s is empty or white space only.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf {
			if c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\v' && c != '\f' {
				return false
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if !unicode.IsSpace(r) && r != '\uFEFF' {
			return false
		}
		i += size - 1
	}
	return true
}

// Reader reads the records of one source file.
type Reader interface {
	// Columns returns the column names: the header of a tabular file, or the keys of
	// the last record read from a JSON file (nil before the first).
	Columns() []string
	// Next returns the next record, or io.EOF after the last. The record may be
	// reused by the next call. An error about the file's content is a *cipmap.Error
	// with code EINVALID that names file:line:column and what is wrong; errors are
	// final, and Next keeps returning the same one.
	Next() (*Record, error)
	// Close releases the file.
	Close() error
}

// Compile-time checks that the readers are Readers.
var (
	_ Reader       = (*csvReader)(nil)
	_ Reader       = (*tsvReader)(nil)
	_ Reader       = (*xlsxReader)(nil)
	_ Reader       = (*jsonReader)(nil)
	_ BlankCounter = (*jsonReader)(nil)
)

// BlankCounter is implemented by the readers of JSON and JSON Lines: Blank returns how
// many blank lines (white space only) between JSON Lines records have been skipped so
// far; always 0 for a JSON document.
type BlankCounter interface {
	Blank() int
}

// Open opens the source file at path for reading with opts.
func Open(path string, opts Options) (Reader, error) {
	format, err := opts.format(path)
	if err != nil {
		return nil, err
	}
	if format == XLSX {
		return openXLSX(path, opts)
	}
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, cipmap.WrapError(cipmap.ENOTFOUND, err, "source file %s does not exist", path)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		f.Close()
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s is a directory, not a source file", path)
	}
	r, err := newReader(path, f, f, format, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return r, nil
}

// NewReader returns a Reader of the content of r, which is named name in records and
// errors. If opts.Format is "" the format follows from name's extension. An xlsx
// workbook is read into memory whole (Open streams it from the file). Close does not
// close r.
func NewReader(name string, r io.Reader, opts Options) (Reader, error) {
	format, err := opts.format(name)
	if err != nil {
		return nil, err
	}
	if format == XLSX {
		return newXLSXReader(name, r, opts)
	}
	return newReader(name, r, nil, format, opts)
}

// bufferSize is the size of the read buffer of the text readers.
const bufferSize = 64 << 10

// newReader returns a reader of a text format; closer, if not nil, is closed by Close.
func newReader(name string, r io.Reader, closer io.Closer, format Format, opts Options) (Reader, error) {
	text, size, err := decode(name, r, opts.Encoding)
	if err != nil {
		return nil, err
	}
	br := bufio.NewReaderSize(text, size)
	switch format {
	case CSV:
		return newCSVReader(name, br, closer, opts)
	case TSV:
		return newTSVReader(name, br, closer, opts)
	case JSON, JSONL:
		return newJSONReader(name, br, closer, format)
	}
	return nil, cipmap.Errorf(cipmap.EINTERNAL, "source: unhandled format %q", format)
}

// format validates opts and returns the format of the file named name.
func (o Options) format(name string) (Format, error) {
	if o.HeaderRow < 0 {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: header row %d: want a 1-based row number", name, o.HeaderRow)
	}
	if o.Delimiter != 0 && !validDelim(o.Delimiter) {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: %q cannot be a delimiter", name, o.Delimiter)
	}
	if o.Comment != 0 && !validDelim(o.Comment) {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: %q cannot start comments", name, o.Comment)
	}
	if _, err := parseEncoding(o.Encoding); err != nil {
		return "", cipmap.Errorf(cipmap.EINVALID, "%s: %v", name, err)
	}
	if o.Format == "" {
		return FormatOf(name)
	}
	f := Format(strings.ToLower(strings.TrimSpace(string(o.Format))))
	for _, known := range Formats {
		if f == known {
			return f, nil
		}
	}
	if f == "ndjson" {
		return JSONL, nil
	}
	return "", cipmap.Errorf(cipmap.EINVALID, "%s: unknown format %q; known formats are %s", name, o.Format, formatList())
}

// validDelim reports whether r can separate fields or start comments, by the rules of
// encoding/csv.
func validDelim(r rune) bool {
	return r != 0 && r != '"' && r != '\r' && r != '\n' && utf8.ValidRune(r) && r != utf8.RuneError
}

// Glob expands a path or a glob pattern (as path/filepath.Match understands it) into
// the sorted list of the files it names; directories are left out. It is an ENOTFOUND
// error if no file matches and an EINVALID error if the pattern is malformed.
func Glob(pattern string) ([]string, error) {
	matches, err := filepath.Glob(pattern)
	if err != nil {
		return nil, cipmap.WrapError(cipmap.EINVALID, err, "file pattern %q", pattern)
	}
	files := matches[:0]
	for _, m := range matches {
		if fi, err := os.Stat(m); err == nil && !fi.IsDir() {
			files = append(files, m)
		}
	}
	if len(files) == 0 {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no file matches %q", pattern)
	}
	sort.Strings(files)
	return files, nil
}

// errorf returns an EINVALID error about a place in file name.
func errorf(name string, line, col int, format string, args ...any) *cipmap.Error {
	var where string
	switch {
	case line > 0 && col > 0:
		where = fmt.Sprintf("%s:%d:%d: ", name, line, col)
	case line > 0:
		where = fmt.Sprintf("%s:%d: ", name, line)
	default:
		where = name + ": "
	}
	return cipmap.Errorf(cipmap.EINVALID, "%s%s", where, fmt.Sprintf(format, args...))
}

// quote returns s quoted for an error message, shortened if it is long.
func quote(s string) string {
	const max = 40
	if utf8.RuneCountInString(s) > max {
		n := 0
		for i := range s {
			if n == max {
				return fmt.Sprintf("%q…", s[:i])
			}
			n++
		}
	}
	return fmt.Sprintf("%q", s)
}
