package source

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// textEncoding is a text encoding named in Options.Encoding.
type textEncoding int

const (
	encAuto textEncoding = iota
	encUTF8
	encGBK
	encGB18030
)

func (e textEncoding) String() string {
	return [...]string{"auto", "utf-8", "gbk", "gb18030"}[e]
}

// parseEncoding returns the encoding named s.
func parseEncoding(s string) (textEncoding, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return encAuto, nil
	case "utf-8", "utf8":
		return encUTF8, nil
	case "gbk", "cp936", "gb2312", "euc-cn":
		// GB 2312 text is EUC-CN, a subset of GBK.
		return encGBK, nil
	case "gb18030":
		return encGB18030, nil
	}
	return encAuto, fmt.Errorf("unknown encoding %q; known are utf-8, gbk, gb18030 and auto", s)
}

// sampleSize is how much of a file "auto" looks at to choose between UTF-8 and
// GB18030.
const sampleSize = 1 << 20

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decode returns a reader of the text of r as UTF-8, without a leading byte-order mark,
// which checks the text as it goes: invalid UTF-8 (or a byte sequence the decoder of
// the source encoding could not read) is an EINVALID error at its line and column,
// returned after the text before it. size is a fitting size for a buffer to read it
// through: bufferSize, or less for a small file.
func decode(name string, r io.Reader, enc string) (text io.Reader, size int, err error) {
	text, atEOF, n, err := decodeText(name, r, enc)
	size = bufferSize
	if atEOF {
		// A small file needs a small buffer; 4096 is what encoding/csv takes.
		size = min(bufferSize, max(4096, 2*n))
	}
	return text, size, err
}

// decodeText does the work of decode, and also returns whether the sample it read is
// the whole file, and its size.
func decodeText(name string, r io.Reader, enc string) (io.Reader, bool, int, error) {
	e, err := parseEncoding(enc)
	if err != nil {
		return nil, false, 0, cipmap.Errorf(cipmap.EINVALID, "%s: %v", name, err)
	}
	sample, err := io.ReadAll(io.LimitReader(r, sampleSize))
	if err != nil {
		return nil, false, 0, fmt.Errorf("read %s: %w", name, err)
	}
	var src io.Reader = bytes.NewReader(sample)
	atEOF := len(sample) < sampleSize
	if !atEOF {
		src = io.MultiReader(src, r)
	}

	switch {
	case bytes.HasPrefix(sample, bomUTF8):
		if e == encGBK || e == encGB18030 {
			return nil, false, 0, cipmap.Errorf(cipmap.EINVALID, "%s: the file starts with a UTF-8 byte-order mark but encoding %s was given; set encoding: utf-8 or auto", name, e)
		}
		return newTextReader(name, src, checkUTF8, invalidUTF8(utf8BOM)), atEOF, len(sample), nil
	case bytes.HasPrefix(sample, bomUTF16LE) || bytes.HasPrefix(sample, bomUTF16BE):
		if e != encAuto {
			return nil, false, 0, cipmap.Errorf(cipmap.EINVALID, "%s: the file is UTF-16 (it starts with a UTF-16 byte-order mark) but encoding %s was given; set encoding: auto, or save the file as UTF-8", name, e)
		}
		dec := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()
		return newTextReader(name, transform.NewReader(src, dec), checkDecoded, invalidDecoded("not valid UTF-16")), atEOF, len(sample), nil
	}

	if (e == encGBK || e == encGB18030) && looksUTF8(sample, atEOF) {
		return nil, false, 0, cipmap.Errorf(cipmap.EINVALID, "%s: encoding %s was given but the file is UTF-8 (its non-ASCII text is valid UTF-8, which GBK text almost never is); set encoding: utf-8 or auto", name, e)
	}
	auto := e == encAuto
	if auto {
		e = encGB18030
		if validUTF8Sample(sample, atEOF) {
			e = encUTF8
		}
	}
	var dec *encoding.Decoder
	var what string
	switch {
	case e == encUTF8:
		why := utf8Declared
		if auto {
			why = utf8Sampled
		}
		return newTextReader(name, src, checkUTF8, invalidUTF8(why)), atEOF, len(sample), nil
	case e == encGBK:
		dec = simplifiedchinese.GBK.NewDecoder()
		what = "not valid GBK; if the file is UTF-8 set encoding: utf-8, if it is GB18030 set encoding: gb18030"
	case auto:
		dec = simplifiedchinese.GB18030.NewDecoder()
		what = "not valid GB18030, and the first MiB of the file is not UTF-8: the file is in neither encoding; convert it to UTF-8"
	default:
		dec = simplifiedchinese.GB18030.NewDecoder()
		what = "not valid GB18030; if the file is UTF-8 set encoding: utf-8"
	}
	return newTextReader(name, transform.NewReader(src, dec), checkDecoded, invalidDecoded(what)), atEOF, len(sample), nil
}

// validUTF8Sample reports whether sample is valid UTF-8, except perhaps for a rune cut
// short at its end when the sample is not the whole file.
func validUTF8Sample(sample []byte, atEOF bool) bool {
	if !atEOF {
		sample = sample[:len(sample)-incompleteTail(sample)]
	}
	return utf8.Valid(sample)
}

// looksUTF8 reports whether sample is valid UTF-8 with enough non-ASCII text in it
// that it cannot be GBK by chance.
func looksUTF8(sample []byte, atEOF bool) bool {
	const enough = 8 // runes beyond ASCII
	if !validUTF8Sample(sample, atEOF) {
		return false
	}
	n := 0
	for _, c := range sample {
		if c >= 0xC0 { // a byte that starts a multi-byte rune
			n++
		}
	}
	return n >= enough
}

// Why a file is read as UTF-8.
const (
	utf8Declared = iota // encoding: utf-8
	utf8Sampled         // "auto", and the first MiB is UTF-8
	utf8BOM             // the file starts with a UTF-8 byte-order mark
)

// invalidUTF8 returns the error for invalid UTF-8 at line:col in a file read as UTF-8
// for the reason why.
func invalidUTF8(why int) func(name string, line, col int, b []byte) error {
	return func(name string, line, col int, b []byte) error {
		switch why {
		case utf8Sampled:
			return errorf(name, line, col, "invalid UTF-8 (byte 0x%02X), though the first MiB of the file is UTF-8; if the file is GBK set encoding: gbk (or gb18030)", b[0])
		case utf8BOM:
			return errorf(name, line, col, "invalid UTF-8 (byte 0x%02X) in a file that starts with a UTF-8 byte-order mark; the file mixes encodings and must be repaired", b[0])
		}
		return errorf(name, line, col, "invalid UTF-8 (byte 0x%02X): the file is not UTF-8; if it is Chinese text saved by Excel or Windows it is likely GBK: set encoding: gbk (or gb18030)", b[0])
	}
}

// invalidDecoded returns the error for a byte sequence that a decoder could not read.
func invalidDecoded(what string) func(name string, line, col int, b []byte) error {
	return func(name string, line, col int, b []byte) error {
		return errorf(name, line, col, "byte sequence %s", what)
	}
}

// check says what makes text invalid.
type check int

const (
	// checkUTF8: the text must be valid UTF-8.
	checkUTF8 check = iota
	// checkDecoded: the text was decoded to UTF-8 from another encoding, and the
	// decoder wrote U+FFFD for each byte sequence it could not read.
	checkDecoded
)

// textReader passes UTF-8 text through, dropping a leading byte-order mark and
// stopping with an error at the first invalid byte. It counts lines so the error can
// say where: line and byte column in the text it returns, as encoding/csv counts them.
type textReader struct {
	name    string
	r       io.Reader
	check   check
	invalid func(name string, line, col int, b []byte) error

	line  int // newlines passed
	col   int // bytes passed since the last newline
	hold  [utf8.UTFMax]byte
	nhold int  // bytes of an incomplete rune held back for the next Read
	bom   bool // the start has been checked for a byte-order mark
	err   error

	small [64]byte // for reads into a short buffer
	pend  []byte   // text in small not yet returned
	perr  error    // the error to return after pend
}

func newTextReader(name string, r io.Reader, c check, invalid func(string, int, int, []byte) error) *textReader {
	return &textReader{name: name, r: r, check: c, invalid: invalid}
}

// Read reads text into p.
func (t *textReader) Read(p []byte) (int, error) {
	if len(t.pend) > 0 || t.perr != nil {
		n := copy(p, t.pend)
		t.pend = t.pend[n:]
		if len(t.pend) > 0 {
			return n, nil
		}
		err := t.perr
		t.perr = nil
		return n, err
	}
	if len(p) < len(t.small) {
		// Too short to hold back an incomplete rune: read into small.
		n, err := t.read(t.small[:])
		t.pend, t.perr = t.small[:n], err
		return t.Read(p)
	}
	return t.read(p)
}

// read reads text into p, which holds at least 2*utf8.UTFMax bytes.
func (t *textReader) read(p []byte) (int, error) {
	for {
		if t.err != nil {
			return 0, t.err
		}
		n := copy(p, t.hold[:t.nhold])
		t.nhold = 0
		m, err := t.r.Read(p[n:])
		n += m
		b := p[:n]
		if !t.bom {
			if len(b) < len(bomUTF8) && err == nil {
				t.nhold = copy(t.hold[:], b)
				continue
			}
			t.bom = true
			if bytes.HasPrefix(b, bomUTF8) {
				b = p[:copy(p, b[len(bomUTF8):])]
			}
		}
		if err == nil {
			k := incompleteTail(b)
			t.nhold = copy(t.hold[:], b[len(b)-k:])
			b = b[:len(b)-k]
		}
		if i := t.firstInvalid(b); i >= 0 {
			t.advance(b[:i])
			t.err = t.invalid(t.name, t.line+1, t.col+1, b[i:])
			if i > 0 {
				return i, nil
			}
			return 0, t.err
		}
		t.advance(b)
		if len(b) > 0 || err != nil {
			return len(b), err
		}
	}
}

// advance counts the lines and columns of text passed on.
func (t *textReader) advance(b []byte) {
	if j := bytes.LastIndexByte(b, '\n'); j >= 0 {
		t.line += bytes.Count(b, []byte{'\n'})
		t.col = len(b) - j - 1
	} else {
		t.col += len(b)
	}
}

var replacement = []byte(string(utf8.RuneError))

// firstInvalid returns the index of the first invalid byte in b, or -1.
func (t *textReader) firstInvalid(b []byte) int {
	if t.check == checkDecoded {
		return bytes.Index(b, replacement)
	}
	if utf8.Valid(b) {
		return -1
	}
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return -1
}

// incompleteTail returns the length of a UTF-8 sequence at the end of b that is the
// valid start of a rune cut short, or 0.
func incompleteTail(b []byte) int {
	for k := 1; k <= utf8.UTFMax-1 && k <= len(b); k++ {
		c := b[len(b)-k]
		if c&0xC0 == 0x80 {
			continue // a continuation byte: look further back
		}
		var need int
		switch {
		case c&0xE0 == 0xC0:
			need = 2
		case c&0xF0 == 0xE0:
			need = 3
		case c&0xF8 == 0xF0:
			need = 4
		default:
			return 0
		}
		if k < need && !utf8.FullRune(b[len(b)-k:]) {
			return k
		}
		return 0
	}
	return 0
}
