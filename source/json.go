package source

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// maxDepth is how deeply JSON values may nest, as in encoding/json.
const maxDepth = 10000

// maxNames caps the column names a JSON reader keeps interned.
const maxNames = 4096

// jsonState is where a JSON document reader is.
type jsonState int

const (
	jsonStart      jsonState = iota // before the top-level value
	jsonArray                       // in the array of records
	jsonWrapper                     // in the top-level object, looking for the array of records
	jsonAfterValue                  // in the top-level object, after a member's value
	jsonEnd                         // after the top-level value
)

// jsonReader reads JSON or JSON Lines with a streaming parser of its own, which keeps
// key order and numbers as written and knows the line and column of every value.
type jsonReader struct {
	name   string
	br     *bufio.Reader
	closer io.Closer
	lines  bool // JSON Lines: one object per line
	line   int  // line of the next byte, 1-based
	col    int  // bytes read on the line so far; the next byte is at col+1
	rerr   error

	// JSON document
	state    jsonState
	first    bool   // the next array element or object member is the first
	wrapper  bool   // the records array is a member of the top-level object
	arrayKey string // the key of that member
	empty    bool   // the top-level object has an empty array member
	index    int    // records read

	blank int // JSON Lines: blank lines skipped

	rec   Record
	names map[string]string // interned column names
	path  []byte            // the flattened name being built
	vals  []byte            // the values of the record, one after another
	ends  []int             // where each value ends in vals
	str   []byte            // scratch for keys
	long  []byte            // a string longer than the read buffer
	skip  []byte            // scratch for values that are skipped
	seen  map[string]struct{}
	depth int
	err   error
}

func newJSONReader(name string, text *bufio.Reader, closer io.Closer, format Format) (*jsonReader, error) {
	r := &jsonReader{
		name:   name,
		br:     text,
		closer: closer,
		lines:  format == JSONL,
		line:   1,
		first:  true,
		names:  map[string]string{},
		rec:    Record{File: name},
	}
	if !r.lines && looksLikeLines(r.br) {
		r.lines = true
	}
	return r, nil
}

// looksLikeLines reports whether a .json file is JSON Lines: its first line is a whole
// object and another object follows.
func looksLikeLines(br *bufio.Reader) bool {
	b, _ := br.Peek(br.Size())
	b = bytes.TrimLeft(b, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return false
	}
	i := bytes.IndexByte(b, '\n')
	if i < 0 || !json.Valid(b[:i]) {
		return false
	}
	rest := bytes.TrimLeft(b[i+1:], " \t\r\n")
	return len(rest) > 0 && rest[0] == '{'
}

// Columns returns the keys of the last record read, flattened, or nil.
func (r *jsonReader) Columns() []string { return r.rec.Columns }

// Blank returns how many blank lines a JSON Lines reader has skipped so far.
func (r *jsonReader) Blank() int { return r.blank }

// Close closes the file.
func (r *jsonReader) Close() error {
	if r.closer == nil {
		return nil
	}
	c := r.closer
	r.closer = nil
	return c.Close()
}

// Next returns the next object.
func (r *jsonReader) Next() (*Record, error) {
	if r.err != nil {
		return nil, r.err
	}
	var err error
	if r.lines {
		err = r.nextLine()
	} else {
		err = r.nextElement()
	}
	if r.rerr != nil {
		// The text ended with an error, which the parser saw as the end: an invalid
		// byte (a *cipmap.Error) or a failed read.
		err = r.rerr
		if _, ok := err.(*cipmap.Error); !ok {
			err = fmt.Errorf("read %s: %w", r.name, err)
		}
	}
	if err != nil {
		r.err = err
		return nil, err
	}
	return &r.rec, nil
}

// nextLine reads the next object of JSON Lines.
func (r *jsonReader) nextLine() error {
	content := false // the current line has white space
	for {
		c := r.peek()
		switch c {
		case ' ', '\t', '\r':
			r.read()
			content = true
			continue
		case '\n':
			r.read()
			r.blank++
			content = false
			continue
		case -1:
			if content {
				r.blank++
			}
			return io.EOF
		case '{':
		default:
			return r.unexpected(c, "a JSON object (JSON Lines holds one object per line)")
		}
		break
	}
	r.read()
	r.begin(r.line)
	if err := r.object(0); err != nil {
		return err
	}
	for {
		switch c := r.peek(); c {
		case ' ', '\t', '\r':
			r.read()
			continue
		case '\n':
			r.read()
		case -1:
		default:
			return r.unexpected(c, "the end of the line after the object (JSON Lines holds one object per line)")
		}
		break
	}
	return r.end()
}

// nextElement reads the next object of a JSON document.
func (r *jsonReader) nextElement() error {
	for {
		switch r.state {
		case jsonStart:
			c := r.ws()
			switch c {
			case '[':
				r.read()
				r.state, r.first = jsonArray, true
			case '{':
				r.read()
				r.state, r.first, r.wrapper = jsonWrapper, true, true
			case -1:
				return r.errorf(0, 0, "the file is empty; want a JSON array of objects")
			default:
				return r.unexpected(c, "a JSON array of objects, or an object holding one")
			}

		case jsonArray:
			c := r.ws()
			if !r.first || c == ']' {
				switch c {
				case ']':
					r.read()
					r.state = jsonEnd
					if r.wrapper {
						r.state = jsonAfterValue
					}
					continue
				case ',':
					r.read()
					c = r.ws()
				default:
					return r.unexpected(c, "',' or ']' after an array element")
				}
			}
			r.first = false
			if c != '{' {
				return r.unexpected(c, fmt.Sprintf("an object (element %d of the array)", r.index+1))
			}
			r.read()
			r.index++
			r.begin(r.index)
			if err := r.object(0); err != nil {
				return err
			}
			return r.end()

		case jsonWrapper:
			c := r.ws()
			if r.first && c == '}' {
				r.read()
				r.state = jsonEnd
				if r.arrayKey == "" && !r.empty {
					return r.noArray()
				}
				continue
			}
			r.first = false
			if c != '"' {
				return r.unexpected(c, "a string key")
			}
			r.read()
			kline, kcol := r.line, r.col
			key, err := r.string(r.str[:0])
			r.str = key
			if err != nil {
				return err
			}
			if c := r.ws(); c != ':' {
				return r.unexpected(c, "':' after the key")
			}
			r.read()
			if c := r.ws(); c != '[' {
				if err := r.skipValue(); err != nil {
					return err
				}
				r.state = jsonAfterValue
				continue
			}
			r.read()
			switch c := r.ws(); c {
			case '{':
				if r.arrayKey != "" {
					return r.errorf(kline, kcol, "a second array of objects, %q, in the top-level object; the records are those of %q and there may be only one such array", key, r.arrayKey)
				}
				r.arrayKey = string(key)
				r.state, r.first = jsonArray, true
			case ']':
				r.read()
				r.empty = true
				r.state = jsonAfterValue
			default:
				r.depth++
				var err error
				r.skip, err = r.arrayRest(r.skip[:0])
				r.depth--
				if err != nil {
					return err
				}
				r.state = jsonAfterValue
			}

		case jsonAfterValue:
			switch c := r.ws(); c {
			case ',':
				r.read()
				r.state = jsonWrapper
			case '}':
				r.read()
				r.state = jsonEnd
				if r.arrayKey == "" && !r.empty {
					return r.noArray()
				}
			default:
				return r.unexpected(c, "',' or '}' after an object member")
			}

		case jsonEnd:
			c := r.ws()
			if c == -1 {
				return io.EOF
			}
			if c == '{' {
				return r.unexpected(c, "the end of the file after the top-level value (if the file holds one object per line, set format: jsonl)")
			}
			return r.unexpected(c, "the end of the file after the top-level value")
		}
	}
}

// noArray is the error for a top-level object without an array of objects.
func (r *jsonReader) noArray() error {
	return r.errorf(0, 0, "the top-level object holds no array of objects; want an array of objects, or an object with one member that is one (if the file holds one object per line, set format: jsonl)")
}

// skipValue reads and drops the value that starts at the next byte.
func (r *jsonReader) skipValue() error {
	var err error
	r.skip, err = r.raw(r.skip[:0])
	return err
}

// begin starts a record numbered line.
func (r *jsonReader) begin(line int) {
	r.rec.Line = line
	r.rec.Columns = r.rec.Columns[:0]
	r.rec.pos = r.rec.pos[:0]
	r.vals = r.vals[:0]
	r.ends = r.ends[:0]
	r.path = r.path[:0]
}

// end finishes a record: its values become strings, and its names must be distinct.
func (r *jsonReader) end() error {
	rec := &r.rec
	s := string(r.vals)
	rec.Values = rec.Values[:0]
	start := 0
	for _, e := range r.ends {
		rec.Values = append(rec.Values, s[start:e])
		start = e
	}
	if i := r.duplicate(); i >= 0 {
		line, col := rec.Pos(i)
		return r.errorf(line, col, "duplicate key %q in the object (nested objects are flattened into dotted names)", rec.Columns[i])
	}
	return nil
}

// duplicate returns the index of the first column whose name an earlier column has,
// or -1.
func (r *jsonReader) duplicate() int {
	cols := r.rec.Columns
	if len(cols) <= 16 {
		for i := 1; i < len(cols); i++ {
			for j := 0; j < i; j++ {
				if cols[i] == cols[j] {
					return i
				}
			}
		}
		return -1
	}
	if r.seen == nil {
		r.seen = make(map[string]struct{}, len(cols))
	}
	clear(r.seen)
	for i, c := range cols {
		if _, ok := r.seen[c]; ok {
			return i
		}
		r.seen[c] = struct{}{}
	}
	return -1
}

// object reads the members of an object after its '{' into the record, under the
// name prefix r.path[:prefix].
func (r *jsonReader) object(prefix int) error {
	r.depth++
	defer func() { r.depth-- }()
	if r.depth > maxDepth {
		return r.errorf(r.line, r.col, "objects and arrays nest more than %d deep", maxDepth)
	}
	c := r.ws()
	if c == '}' {
		r.read()
		return nil
	}
	for {
		if c != '"' {
			return r.unexpected(c, "a string key")
		}
		r.read()
		key, err := r.string(r.str[:0])
		r.str = key
		if err != nil {
			return err
		}
		r.path = append(r.path[:prefix], key...)
		if c := r.ws(); c != ':' {
			return r.unexpected(c, "':' after the key")
		}
		r.read()
		c = r.ws()
		line, col := r.line, r.col+1
		if c == '{' {
			r.read()
			n := len(r.path)
			r.path = append(r.path, '.')
			if err := r.object(n + 1); err != nil {
				return err
			}
		} else {
			if err := r.leaf(c); err != nil {
				return err
			}
			r.rec.Columns = append(r.rec.Columns, r.intern(r.path))
			r.rec.pos = append(r.rec.pos, position{line, col})
			r.ends = append(r.ends, len(r.vals))
		}
		switch c = r.ws(); c {
		case ',':
			r.read()
			c = r.ws()
		case '}':
			r.read()
			return nil
		default:
			return r.unexpected(c, "',' or '}' after an object member")
		}
	}
}

// leaf appends to r.vals the value that starts with c, which is not an object: a
// string decoded, a number as written, true or false, "" for null, an array as compact
// JSON text.
func (r *jsonReader) leaf(c int) error {
	var err error
	switch {
	case c == '"':
		r.read()
		r.vals, err = r.string(r.vals)
	case c == '[':
		r.vals, err = r.raw(r.vals)
	case c == 't' || c == 'f' || c == 'n':
		var lit string
		lit, err = r.literal()
		if lit != "null" {
			r.vals = append(r.vals, lit...)
		}
	case c == '-' || '0' <= c && c <= '9':
		r.vals, err = r.number(r.vals)
	default:
		err = r.unexpected(c, "a value")
	}
	return err
}

// intern returns name as a string, the same string for the same name.
func (r *jsonReader) intern(name []byte) string {
	if s, ok := r.names[string(name)]; ok {
		return s
	}
	s := string(name)
	if len(r.names) < maxNames {
		r.names[s] = s
	}
	return s
}

// raw appends the value that starts at the next byte to dst as compact JSON text.
func (r *jsonReader) raw(dst []byte) ([]byte, error) {
	switch c := r.ws(); {
	case c == '{':
		r.read()
		r.depth++
		defer func() { r.depth-- }()
		if r.depth > maxDepth {
			return dst, r.errorf(r.line, r.col, "objects and arrays nest more than %d deep", maxDepth)
		}
		dst = append(dst, '{')
		c = r.ws()
		if c == '}' {
			r.read()
			return append(dst, '}'), nil
		}
		for {
			if c != '"' {
				return dst, r.unexpected(c, "a string key")
			}
			r.read()
			var err error
			if dst, err = r.rawString(dst); err != nil {
				return dst, err
			}
			if c := r.ws(); c != ':' {
				return dst, r.unexpected(c, "':' after the key")
			}
			r.read()
			dst = append(dst, ':')
			if dst, err = r.raw(dst); err != nil {
				return dst, err
			}
			switch c = r.ws(); c {
			case ',':
				r.read()
				dst = append(dst, ',')
				c = r.ws()
			case '}':
				r.read()
				return append(dst, '}'), nil
			default:
				return dst, r.unexpected(c, "',' or '}' after an object member")
			}
		}
	case c == '[':
		r.read()
		r.depth++
		defer func() { r.depth-- }()
		if r.depth > maxDepth {
			return dst, r.errorf(r.line, r.col, "objects and arrays nest more than %d deep", maxDepth)
		}
		return r.arrayRest(append(dst, '['))
	case c == '"':
		r.read()
		return r.rawString(dst)
	case c == 't' || c == 'f' || c == 'n':
		lit, err := r.literal()
		return append(dst, lit...), err
	case c == '-' || '0' <= c && c <= '9':
		return r.number(dst)
	default:
		return dst, r.unexpected(c, "a value")
	}
}

// arrayRest appends the elements of an array after its '[', and the ']', to dst as
// compact JSON text. The caller counts the depth.
func (r *jsonReader) arrayRest(dst []byte) ([]byte, error) {
	if r.ws() == ']' {
		r.read()
		return append(dst, ']'), nil
	}
	for {
		var err error
		if dst, err = r.raw(dst); err != nil {
			return dst, err
		}
		switch c := r.ws(); c {
		case ',':
			r.read()
			dst = append(dst, ',')
		case ']':
			r.read()
			return append(dst, ']'), nil
		default:
			return dst, r.unexpected(c, "',' or ']' after an array element")
		}
	}
}

// literal reads true, false or null.
func (r *jsonReader) literal() (string, error) {
	line, col := r.line, r.col+1
	var buf [5]byte
	n := 0
	for {
		c := r.peek()
		if c < 'a' || c > 'z' {
			break
		}
		if n == len(buf) {
			return "", r.errorf(line, col, "invalid literal; want true, false or null")
		}
		buf[n] = byte(r.read())
		n++
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if string(buf[:n]) == lit {
			return lit, nil
		}
	}
	return "", r.errorf(line, col, "invalid literal %q; want true, false or null", string(buf[:n]))
}

// number appends the number at the next byte to dst as written.
func (r *jsonReader) number(dst []byte) ([]byte, error) {
	line, col := r.line, r.col+1
	start := len(dst)
	for {
		c := r.peek()
		if !('0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			break
		}
		dst = append(dst, byte(r.read()))
	}
	if !validNumber(dst[start:]) {
		return dst, r.errorf(line, col, "invalid number %q", dst[start:])
	}
	return dst, nil
}

// validNumber reports whether b is a JSON number.
func validNumber(b []byte) bool {
	i := 0
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i == len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for i < len(b) && '0' <= b[i] && b[i] <= '9' {
			i++
		}
	}
	return i == len(b)
}

// scanString reads a string after its opening quote and returns its raw text without
// the closing quote, valid until the next read, with the position of its first byte.
func (r *jsonReader) scanString() (raw []byte, line, col int, err error) {
	line, col = r.line, r.col+1
	long := false // the string is being gathered in r.long
	for {
		b, err := r.br.ReadSlice('"')
		if err == nil || err == bufio.ErrBufferFull {
			if !long && err == nil && !escapedQuote(b) {
				raw = b
				break
			}
			if !long {
				r.long, long = r.long[:0], true
			}
			r.long = append(r.long, b...)
			if err == nil && !escapedQuote(r.long) {
				raw = r.long
				break
			}
			continue
		}
		if err != io.EOF {
			r.rerr = err
		}
		return nil, line, col, r.errorf(line, col-1, "string not closed: the file ends inside it")
	}
	// A valid string holds no line break; unescape reports one as an error.
	r.col += len(raw)
	return raw[:len(raw)-1], line, col, nil
}

// escapedQuote reports whether the quote that ends b is escaped by a backslash.
func escapedQuote(b []byte) bool {
	n := 0
	for i := len(b) - 2; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// string reads a string after its opening quote and appends it, decoded, to dst.
func (r *jsonReader) string(dst []byte) ([]byte, error) {
	raw, line, col, err := r.scanString()
	if err != nil {
		return dst, err
	}
	return r.unescape(dst, raw, line, col)
}

// rawString reads a string after its opening quote, checks it and appends it with its
// quotes, as written, to dst.
func (r *jsonReader) rawString(dst []byte) ([]byte, error) {
	raw, line, col, err := r.scanString()
	if err != nil {
		return dst, err
	}
	n := len(dst)
	if _, err := r.unescape(dst, raw, line, col); err != nil {
		return dst, err
	}
	dst = append(dst[:n], '"')
	dst = append(dst, raw...)
	return append(dst, '"'), nil
}

// unescape appends the decoded text of the raw string raw, which starts at line:col,
// to dst. Like encoding/json it decodes an unpaired surrogate as U+FFFD.
func (r *jsonReader) unescape(dst, raw []byte, line, col int) ([]byte, error) {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c >= 0x20 && c != '\\' {
			j := i + 1
			for j < len(raw) && raw[j] >= 0x20 && raw[j] != '\\' {
				j++
			}
			dst = append(dst, raw[i:j]...)
			i = j
			continue
		}
		if c < 0x20 {
			if c == '\n' {
				return dst, r.errorf(line, col+i, "the line ends inside a string")
			}
			return dst, r.errorf(line, col+i, "control character %q in a string; it must be escaped", c)
		}
		if i+1 == len(raw) {
			return dst, r.errorf(line, col+i, "invalid escape at the end of a string")
		}
		switch e := raw[i+1]; e {
		case '"', '\\', '/':
			dst = append(dst, e)
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			c := hex4(raw[i:])
			if c < 0 {
				return dst, r.errorf(line, col+i, "invalid escape %q; \\u takes four hex digits", raw[i:min(i+6, len(raw))])
			}
			i += 6
			if utf16.IsSurrogate(c) {
				if c2 := hex4(raw[i:]); c2 >= 0 {
					if d := utf16.DecodeRune(c, c2); d != utf8.RuneError {
						dst = utf8.AppendRune(dst, d)
						i += 6
						continue
					}
				}
				c = utf8.RuneError
			}
			dst = utf8.AppendRune(dst, c)
			continue
		default:
			return dst, r.errorf(line, col+i, "invalid escape %q in a string", raw[i:i+2])
		}
		i += 2
	}
	return dst, nil
}

// hex4 returns the rune of the escape \uXXXX at the start of b, or -1.
func hex4(b []byte) rune {
	if len(b) < 6 || b[0] != '\\' || b[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range b[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}

// ws skips white space and returns the next byte, not read, or -1 at the end. In JSON
// Lines it stops at a line break too, which can only be an error inside an object.
func (r *jsonReader) ws() int {
	for {
		c := r.peek()
		switch c {
		case ' ', '\t', '\r':
			r.read()
		case '\n':
			if r.lines {
				return c
			}
			r.read()
		default:
			return c
		}
	}
}

// peek returns the next byte without reading it, or -1 at the end or on a read error.
func (r *jsonReader) peek() int {
	b, err := r.br.Peek(1)
	if err != nil {
		if err != io.EOF {
			r.rerr = err
		}
		return -1
	}
	return int(b[0])
}

// read reads the next byte and returns it, or -1.
func (r *jsonReader) read() int {
	c, err := r.br.ReadByte()
	if err != nil {
		if err != io.EOF {
			r.rerr = err
		}
		return -1
	}
	if c == '\n' {
		r.line++
		r.col = 0
	} else {
		r.col++
	}
	return int(c)
}

// unexpected is the error for byte c, not read, where want was wanted.
func (r *jsonReader) unexpected(c int, want string) error {
	var got string
	switch {
	case c == -1 && r.rerr != nil:
		return r.rerr
	case c == -1:
		got = "the end of the file"
	case c == '\n':
		got = "the end of the line"
	case c >= utf8.RuneSelf:
		b, _ := r.br.Peek(utf8.UTFMax)
		ch, _ := utf8.DecodeRune(b)
		got = fmt.Sprintf("%q", ch)
	default:
		got = fmt.Sprintf("%q", rune(c))
	}
	return r.errorf(r.line, r.col+1, "want %s, got %s", want, got)
}

// errorf returns an EINVALID error at line:col of the file.
func (r *jsonReader) errorf(line, col int, format string, args ...any) error {
	return errorf(r.name, line, col, format, args...)
}
