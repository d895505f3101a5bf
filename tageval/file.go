package tageval

import (
	"bufio"
	"bytes"
	"embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/taxonomy"
)

// Case is one text of an evaluation set with the codes it should get.
type Case struct {
	ID   string `json:"id"`
	Text string `json:"text"`
	// Expected are the codes the text should get, normalised by the registry; none
	// means that the text should get no code (a negative example).
	Expected []Code `json:"expected"`
	// Group is the optional group column ("full", "partial", "none" in the GB/T 4754
	// notes set); the report scores each group on its own too.
	Group string `json:"group,omitempty"`
	// Line is the case's line in its file, for messages.
	Line int `json:"line"`
}

// Code is a code of a code system, written system:code in evaluation files.
type Code struct {
	System string `json:"system"`
	Code   string `json:"code"`
}

func (c Code) String() string { return c.System + ":" + c.Code }

// Columns of an evaluation file.
const (
	ColID       = "id"
	ColText     = "text"
	ColExpected = "expected"
	ColGroup    = "group"
)

// maxErrors is how many bad values Parse reports before it stops listing them.
const maxErrors = 20

// Parse reads an evaluation file (see the package documentation) from r. name is the
// file's name for messages. Every code is checked against reg: an unknown system or
// code is an error of code cipmap.EINVALID, as is a missing column, an empty or
// repeated id, an empty text or a malformed expected code; each names the file, the
// line, the column, the value and what was expected, and Parse lists them all (up
// to 20).
func Parse(name string, r io.Reader, reg *taxonomy.Registry) ([]Case, error) {
	br := bufio.NewReader(r)
	head, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if bytes.HasPrefix(head, []byte("\ufeff")) {
		br.Discard(3)
		head = head[3:]
	}
	if len(bytes.TrimSpace(head)) == 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s: the file is empty; expected a header line with the columns id, text and expected", name)
	}
	line, _, _ := bytes.Cut(head, []byte("\n"))
	cr := csv.NewReader(br)
	cr.Comma = ','
	if bytes.ContainsRune(line, '\t') {
		cr.Comma = '\t'
	}
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false

	header, err := cr.Read()
	if err != nil {
		return nil, readError(name, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if j, dup := col[h]; dup && h != "" {
			return nil, cipmap.Errorf(cipmap.EINVALID, "%s:1: the header names column %q twice (columns %d and %d)", name, h, j+1, i+1)
		}
		col[h] = i
	}
	var missing []string
	for _, c := range []string{ColID, ColText, ColExpected} {
		if _, ok := col[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		sep := "comma"
		if cr.Comma == '\t' {
			sep = "tab"
		}
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s:1: the header lacks column(s) %s; expected the columns id, text and expected (and optionally group), separated by tabs or commas; the header read (%s-separated) is %q",
			name, strings.Join(missing, ", "), sep, strings.Join(header, string(cr.Comma)))
	}
	_, hasGroup := col[ColGroup]

	var (
		cases []Case
		errs  []string
		more  int
		seen  = map[string]int{} // id → line
	)
	fail := func(format string, args ...any) {
		if len(errs) < maxErrors {
			errs = append(errs, fmt.Sprintf(format, args...))
		} else {
			more++
		}
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, readError(name, err)
		}
		ln, _ := cr.FieldPos(0)
		get := func(c string) (string, int) {
			i := col[c]
			if i >= len(rec) {
				return "", i
			}
			return strings.TrimSpace(rec[i]), i
		}
		at := func(c string) string {
			i := col[c]
			l := ln
			if i < len(rec) {
				l, _ = cr.FieldPos(i)
			}
			return fmt.Sprintf("%s:%d: column %s (%d)", name, l, c, i+1)
		}
		if len(rec) != len(header) {
			fail("%s:%d: %d field(s) where the header has %d; expected one value for each column (a field holding the separator must be quoted)", name, ln, len(rec), len(header))
			continue
		}
		c := Case{Line: ln}
		c.ID, _ = get(ColID)
		switch prev, dup := seen[c.ID]; {
		case c.ID == "":
			fail("%s: empty id; expected a name for the case, unique in the file", at(ColID))
		case dup:
			fail("%s: %q: the id is taken by the case on line %d; expected ids unique in the file", at(ColID), c.ID, prev)
		default:
			seen[c.ID] = ln
		}
		switch c.Text, _ = get(ColText); {
		case c.Text == "":
			fail("%s: empty text; expected the text to tag", at(ColText))
		case !utf8.ValidString(c.Text):
			fail("%s: the text is not UTF-8; expected a UTF-8 file (convert a GBK file first)", at(ColText))
		}
		if hasGroup {
			c.Group, _ = get(ColGroup)
		}
		exp, _ := get(ColExpected)
		for _, item := range strings.Split(exp, ";") {
			item = strings.TrimSpace(item)
			if item == "" {
				continue
			}
			sys, code, ok := strings.Cut(item, ":")
			sys, code = strings.TrimSpace(sys), strings.TrimSpace(code)
			if !ok || sys == "" || code == "" {
				fail("%s: %q: expected system:code, such as sei2018:1.2 or ctt:industrial-robots, codes separated by ;", at(ColExpected), item)
				continue
			}
			cd, err := reg.Lookup(sys, code)
			if err != nil {
				fail("%s: %q: %s", at(ColExpected), item, cipmap.ErrorMessage(err))
				continue
			}
			k := Code{System: sys, Code: cd.Code}
			if !slices.Contains(c.Expected, k) {
				c.Expected = append(c.Expected, k)
			}
		}
		cases = append(cases, c)
	}
	if more > 0 {
		errs = append(errs, fmt.Sprintf("%s: and %d more", name, more))
	}
	if len(errs) > 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s", strings.Join(errs, "\n"))
	}
	if len(cases) == 0 {
		return nil, cipmap.Errorf(cipmap.EINVALID, "%s: no cases; expected a line for each text after the header", name)
	}
	return cases, nil
}

// readError reports a malformed line of an evaluation file with its place.
func readError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		hint := ""
		if errors.Is(pe.Err, csv.ErrBareQuote) || errors.Is(pe.Err, csv.ErrQuote) {
			hint = `; expected a field with a double quote to be quoted as a whole, "like ""this""", as in RFC 4180`
		}
		return cipmap.Errorf(cipmap.EINVALID, "%s:%d:%d: %v%s", name, pe.Line, pe.Column, pe.Err, hint)
	}
	return fmt.Errorf("read %s: %w", name, err)
}

// ReadFile parses the evaluation file at path; see Parse.
func ReadFile(path string, reg *taxonomy.Registry) ([]Case, error) {
	f, err := os.Open(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, cipmap.WrapError(cipmap.ENOTFOUND, err, "evaluation set %s: no such file, and not a built-in set (%s)", path, strings.Join(SetNames(), ", "))
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	return Parse(path, f, reg)
}

// Write writes cases as an evaluation file: tab-separated with the header id,
// expected, group, text, quoted where a field holds a tab, a line break or a double
// quote. Parse reads it back as it was.
func Write(w io.Writer, cases []Case) error {
	cw := csv.NewWriter(w)
	cw.Comma = '\t'
	cw.Write([]string{ColID, ColExpected, ColGroup, ColText})
	for _, c := range cases {
		exp := make([]string, len(c.Expected))
		for i, e := range c.Expected {
			exp[i] = e.String()
		}
		cw.Write([]string{c.ID, strings.Join(exp, ";"), c.Group, c.Text})
	}
	cw.Flush()
	return cw.Error()
}

// Built-in evaluation sets.
var (
	//go:embed sets/*.tsv
	setFS embed.FS
	sets  = []struct{ name, file, about string }{
		{GBNotes, "sets/gbt4754-2017-notes.tsv",
			"the 1,382 GB/T 4754-2017 classes: name and official note (without the ◆ 不包括 part), against their SEI 2018 links"},
		{GBNotesOwn, "sets/gbt4754-2017-notes-own.tsv",
			"the same without the note lines that repeat the SEI 2018 key products of the class's links"},
	}
)

// Names of the built-in sets.
const (
	GBNotes    = "gbt4754-notes"
	GBNotesOwn = "gbt4754-notes-own"
)

// SetNames lists the built-in evaluation sets.
func SetNames() []string {
	var out []string
	for _, s := range sets {
		out = append(out, s.name)
	}
	return out
}

// SetAbout says what a built-in set holds, or "" if there is no such set.
func SetAbout(name string) string {
	for _, s := range sets {
		if s.name == name {
			return s.about
		}
	}
	return ""
}

// Set parses a built-in evaluation set, named as SetNames lists them. An unknown
// name is an error of code cipmap.ENOTFOUND.
func Set(name string, reg *taxonomy.Registry) ([]Case, error) {
	for _, s := range sets {
		if s.name == name {
			data, err := setFS.ReadFile(s.file)
			if err != nil {
				return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "read built-in set %s", name)
			}
			return Parse(s.file, bytes.NewReader(data), reg)
		}
	}
	return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no built-in evaluation set %q; the built-in sets are %s", name, strings.Join(SetNames(), ", "))
}

// Open returns the cases of a built-in set when name is one, else of the file at
// name.
func Open(name string, reg *taxonomy.Registry) ([]Case, error) {
	if SetAbout(name) != "" {
		return Set(name, reg)
	}
	return ReadFile(name, reg)
}
