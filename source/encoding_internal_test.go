package source

import (
	"bytes"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// readSmall reads r with reads of size n at most.
func readSmall(r io.Reader, n int) ([]byte, error) {
	var out []byte
	buf := make([]byte, n)
	for {
		k, err := r.Read(buf)
		out = append(out, buf[:k]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, err
		}
	}
}

// TestTextReaderChunks passes text through the checking reader in pieces of every
// size, so that runes and the byte-order mark are split at every place.
func TestTextReaderChunks(t *testing.T) {
	text := "名称,地址\r\n华为,深圳 😀\nZTE,\u00e9\n"
	in := append(append([]byte{}, bomUTF8...), text...)
	for _, under := range []struct {
		name string
		wrap func(io.Reader) io.Reader
	}{
		{"one byte", iotest.OneByteReader},
		{"half", iotest.HalfReader},
		{"whole", func(r io.Reader) io.Reader { return r }},
	} {
		for _, size := range []int{1, 2, 3, 5, 8, 13, 64, 100, 4096} {
			tr := newTextReader("x", under.wrap(bytes.NewReader(in)), checkUTF8, invalidUTF8(utf8Declared))
			got, err := readSmall(tr, size)
			if err != nil {
				t.Fatalf("%s, reads of %d: %v", under.name, size, err)
			}
			if string(got) != text {
				t.Errorf("%s, reads of %d: got %q, want %q", under.name, size, got, text)
			}
		}
	}
}

// TestTextReaderInvalid finds the first invalid byte at the same place whatever the
// size of the reads, after passing on the text before it.
func TestTextReaderInvalid(t *testing.T) {
	for _, tt := range []struct {
		name, in string
		check    check
		want     string // the text passed on
		err      string
	}{
		{"bad byte", "ab\n华为\xd6\xd0\n", checkUTF8, "ab\n华为", "x:2:7: invalid UTF-8 (byte 0xD6)"},
		{"cut rune at the end", "ab\ncd\xe5\x8d", checkUTF8, "ab\ncd", "x:2:3: invalid UTF-8 (byte 0xE5)"},
		{"bad first byte", "\xff", checkUTF8, "", "x:1:1: invalid UTF-8 (byte 0xFF)"},
		{"replacement in decoded text", "a\nb\uFFFDc", checkDecoded, "a\nb", "x:2:2: byte sequence"},
	} {
		for _, size := range []int{1, 2, 7, 64, 4096} {
			tr := newTextReader("x", iotest.OneByteReader(strings.NewReader(tt.in)), tt.check, map[check]func(string, int, int, []byte) error{
				checkUTF8:    invalidUTF8(utf8Declared),
				checkDecoded: invalidDecoded("not valid"),
			}[tt.check])
			got, err := readSmall(tr, size)
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s, reads of %d: error %v, want %q", tt.name, size, err, tt.err)
			}
			if string(got) != tt.want {
				t.Errorf("%s, reads of %d: passed on %q, want %q", tt.name, size, got, tt.want)
			}
		}
	}
}

func TestIncompleteTail(t *testing.T) {
	for in, want := range map[string]int{
		"":              0,
		"abc":           0,
		"a\xe5":         1,
		"a\xe5\x8d":     2,
		"a\xe5\x8d\x8e": 0,
		"\xf0\x9f\x98":  3,
		"\x8d\x8d":      0, // continuation bytes with no start: invalid, not incomplete
		"a\xff":         0,
	} {
		if got := incompleteTail([]byte(in)); got != want {
			t.Errorf("incompleteTail(%q) = %d, want %d", in, got, want)
		}
	}
}
