// Package source reads the files that `cipmap ingest` loads: CSV, TSV, XLSX, JSON and
// JSON Lines, as a stream of records of named string values. It reads one record at a
// time with one allocation per record, so a file of a million rows takes seconds at
// most and little memory, and it knows where every value is, so that an error can say
// file:line:column, the value and what was expected. It never panics on bad input:
// every problem with a file's content is a *cipmap.Error with code EINVALID.
//
// # Text encodings
//
// CSV, TSV, JSON and JSON Lines files are read as UTF-8 or GBK/GB18030 (Options.Encoding)
// and decoded to UTF-8. A leading byte-order mark is dropped. "auto" (the default)
// looks at the first MiB: if it is valid UTF-8 the file is read as UTF-8, otherwise
// as GB18030, a superset of GBK. A UTF-16 file with a byte-order mark, as Excel's
// "Unicode Text" writes, is detected and decoded too.
//
// Text is checked as it is read, and nothing is silently mis-decoded. A byte that is
// not valid UTF-8 in a file read as UTF-8, whether declared or chosen by "auto" from a
// clean first MiB, is an error at its line and column that suggests `encoding: gbk`,
// returned after the records before it. In a file decoded from GBK or GB18030, a byte
// sequence the encoding does not define (which the decoder turns into U+FFFD) is an
// error too. Declaring gbk or gb18030 for a file whose first MiB is valid UTF-8 with
// non-ASCII text in it (at least 8 characters, which GBK text almost never is by
// chance) is an error rather than a page of mojibake.
//
// # Positions
//
// Record.Line is the line where a record starts in csv, tsv and jsonl files, the row
// number in xlsx sheets and the index of the object in its array in json files.
// Record.Pos gives the line and column of each value. Columns count bytes of the UTF-8
// text from 1, as encoding/csv does; in an xlsx sheet the column is the column number.
//
// # CSV
//
// CSV is read by encoding/csv with strict RFC 4180 quoting: a quoted field may hold
// delimiters, line breaks and doubled quotes (""); a stray quote is an error at its
// line and column. Empty lines are skipped, as are comment lines if Options.Comment is
// set. A row with fewer fields than the header reads the missing trailing fields as
// "" (spreadsheets export rows that way; their Pos column is 0); a row with more fields
// than the header is an error, since it usually means a value with an unquoted
// delimiter in it shifted the row.
//
// # TSV
//
// TSV (.tsv, .tab and .txt files) is split on tabs, line by line, with no quoting:
// quotes are ordinary characters, so the many "TSV" files with stray quotes read as
// written, but a value cannot hold a tab or a line break. Options.Delimiter can name
// another separator. Trailing \r is dropped; empty lines and comments are skipped.
// Short and long rows are treated as in CSV.
//
// # Headers
//
// In csv, tsv and xlsx files, the row Options.HeaderRow holds the column names: a
// physical line number in text files, a row number in sheets. By default it is the
// first row that is not empty or a comment. Rows above it are skipped. Names are
// trimmed of white space and byte-order marks. An empty name becomes "column_N", N
// being its 1-based position, so unnamed columns can still be mapped. Duplicate names
// are an error that names them and their positions.
//
// # XLSX
//
// One sheet (Options.Sheet, or the first) is read with excelize's streaming row
// iterator. Values are the cells' formatted text, as Excel shows them: excelize
// applies each cell's number format, so a date reads as its format writes it (a cell
// formatted yyyy-mm-dd reads "2020-08-13", one with Excel's built-in short date
// "08-13-20"), a number formatted #,##0.00 reads "1,234.50", and a number in the
// General format reads as Excel shows it, to at most 15 significant digits ("25000",
// "0.1", "0.333333333333333", "1.23456789012346E+16"): store long codes and ids as
// text in workbooks. Formulas read as their cached result ("" if the workbook was
// saved without one). Text cells read as written. Rows with no value are skipped;
// trailing empty cells are dropped, and a value right of the header's last column is
// an error. An unknown sheet is an error that lists the workbook's sheets.
//
// # JSON and JSON Lines
//
// A json file holds an array of objects, or a single object with exactly one member
// that is an array of objects (such as {"total": 2, "data": [{...}, {...}]}); that
// array's objects are the records, and the object's other members are ignored; if
// its only arrays are empty, there are no records. A .json file whose first line is a
// whole object followed by another object is read as JSON Lines, the format many
// ".json" exports really have.
//
// A jsonl (.jsonl, .ndjson) file holds one object per line; blank lines are skipped
// and counted (see BlankCounter). An object that runs over a line break, or anything
// after it on its line, is an error.
//
// Objects are read with a streaming parser of this package, which keeps what
// encoding/json would lose and knows where each value is:
//
//   - keys keep their order in the object; nested objects are flattened into dotted
//     names ({"a": {"b": 1}} gives column "a.b"), and an empty nested object gives no
//     column;
//   - numbers are kept exactly as written: 25000 reads "25000", 1e3 reads "1e3" and
//     12345678901234567890 loses no digit;
//   - true and false read "true" and "false"; null reads "" (the column is present);
//   - arrays read as their compact JSON text (["a","b"] or [{"x":1}]), so nothing is
//     lost and a mapping can split them;
//   - a key that occurs twice, or two keys that flatten to the same name, is an error.
//
// Malformed JSON is an error at its line and column.
//
// # Files
//
// Open reads a file, with the format from its extension unless Options.Format says;
// NewReader reads any io.Reader. Glob expands a path pattern of path/filepath.Match
// (no "**") into the sorted list of files to read.
package source
