package main

import (
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"golang.org/x/text/width"
)

// formatFlag is --format on every read command.
type formatFlag struct{ format string }

func addFormatFlag(fs *flag.FlagSet, f *formatFlag) {
	fs.StringVar(&f.format, "format", "table", "output format: table, json or csv")
}

func (f formatFlag) check() error {
	switch f.format {
	case "table", "json", "csv":
		return nil
	}
	return cipmap.Errorf(cipmap.EINVALID, "--format %q: expected table, json or csv", f.format)
}

// writeRows writes a result in the chosen format: an aligned table for people, JSON
// (an array of objects) or CSV with a header for programs.
func writeRows(w io.Writer, format string, cols []string, rows [][]string) error {
	switch format {
	case "json":
		return writeJSON(w, orderedRows{cols, rows})
	case "csv":
		cw := csv.NewWriter(w)
		cw.Write(cols)
		cw.WriteAll(rows)
		return cw.Error()
	}
	return writeTable(w, cols, rows)
}

// orderedRows marshals as a JSON array of objects whose keys keep column order.
type orderedRows struct {
	cols []string
	rows [][]string
}

func (o orderedRows) MarshalJSON() ([]byte, error) {
	var b strings.Builder
	b.WriteByte('[')
	for i, r := range o.rows {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('{')
		for j, c := range o.cols {
			if j > 0 {
				b.WriteByte(',')
			}
			k, _ := json.Marshal(c)
			v, _ := json.Marshal(r[j])
			b.Write(k)
			b.WriteByte(':')
			b.Write(v)
		}
		b.WriteByte('}')
	}
	b.WriteByte(']')
	return []byte(b.String()), nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// displayWidth counts East Asian wide and full-width characters as two columns.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// clip shortens s to at most max display columns, with an ellipsis, and puts it on
// one line.
func clip(s string, max int) string {
	s = strings.Join(strings.Fields(s), " ")
	if displayWidth(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		w := displayWidth(string(r))
		if n+w > max-1 {
			return s[:i] + "…"
		}
		n += w
	}
	return s
}

const maxCell = 60

func writeTable(w io.Writer, cols []string, rows [][]string) error {
	widths := make([]int, len(cols))
	for i, c := range cols {
		widths[i] = displayWidth(c)
	}
	clipped := make([][]string, len(rows))
	for i, r := range rows {
		clipped[i] = make([]string, len(r))
		for j, v := range r {
			clipped[i][j] = clip(v, maxCell)
			if d := displayWidth(clipped[i][j]); d > widths[j] {
				widths[j] = d
			}
		}
	}
	line := func(vals []string) {
		var b strings.Builder
		for j, v := range vals {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(v)
			if j < len(vals)-1 {
				b.WriteString(strings.Repeat(" ", widths[j]-displayWidth(v)))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	line(cols)
	seps := make([]string, len(cols))
	for j := range cols {
		seps[j] = strings.Repeat("-", widths[j])
	}
	line(seps)
	for _, r := range clipped {
		line(r)
	}
	return nil
}

// cellString renders a query value.
func cellString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format(time.RFC3339)
	case float64:
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.6f", x), "0"), ".")
	}
	return fmt.Sprint(v)
}
