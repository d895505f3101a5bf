package source

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// table holds what the tabular readers (csv, tsv, xlsx) share: the header and the
// record they reuse.
type table struct {
	name       string
	headerLine int
	columns    []string
	index      map[string]int
	rec        Record
}

// setHeader takes the column names from the fields of the header row at line.
// Names are trimmed of white space and byte-order marks; an empty name becomes
// "column_N", N being its 1-based position. Duplicate names, or a header with no name
// at all, are an error. label names the field at index i in an error message.
func (t *table) setHeader(line int, fields []string, label func(i int) string) error {
	t.headerLine = line
	cols := make([]string, len(fields))
	named := false
	for i, f := range fields {
		c := strings.TrimFunc(f, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
		if c == "" {
			c = "column_" + strconv.Itoa(i+1)
		} else {
			named = true
		}
		cols[i] = c
	}
	if !named {
		return errorf(t.name, line, 0, "the header row has no column names; set the header row to the row that holds them")
	}
	index := make(map[string]int, len(cols))
	var dups []string
	dupAt := map[string][]string{}
	for i, c := range cols {
		if j, ok := index[c]; ok {
			if len(dupAt[c]) == 0 {
				dups = append(dups, c)
				dupAt[c] = append(dupAt[c], label(j))
			}
			dupAt[c] = append(dupAt[c], label(i))
			continue
		}
		index[c] = i
	}
	if len(dups) > 0 {
		var b strings.Builder
		for i, c := range dups {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%s (%s)", quote(c), strings.Join(dupAt[c], ", "))
		}
		return errorf(t.name, line, 0, "duplicate column names in the header: %s; every column needs a distinct name", b.String())
	}
	t.columns = cols
	t.index = index
	t.rec = Record{
		File:    t.name,
		Columns: cols,
		Values:  make([]string, len(cols)),
		pos:     make([]position, len(cols)),
		index:   index,
	}
	return nil
}

// tooMany is the error for a row with more fields than the header has columns.
func (t *table) tooMany(line, col, fields int, first string) error {
	return errorf(t.name, line, col, "the row has %d fields but the header (line %d) has %d columns; the first extra field is %s (is a value with the delimiter in it not quoted?)",
		fields, t.headerLine, len(t.columns), quote(first))
}

// fieldLabel names a field of a csv or tsv header by its 1-based number.
func fieldLabel(i int) string { return "field " + strconv.Itoa(i+1) }
