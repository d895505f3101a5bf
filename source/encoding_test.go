package source_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/source"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAutoLateGBK: the first MiB is ASCII, so "auto" reads UTF-8; a GBK line after it
// is an error at that line, not mojibake.
func TestAutoLateGBK(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("id,name\n")
	n := 1
	for b.Len() < 1<<20+1000 {
		n++
		fmt.Fprintf(&b, "%d,firm number %d\n", n, n)
	}
	b.WriteString("99,")
	b.Write(gbk(t, "华为"))
	b.WriteString("\n")
	r, err := source.NewReader("late.csv", &b, source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readAll(r)
	wantError(t, err, fmt.Sprintf("late.csv:%d:4:", n+1), "invalid UTF-8 (byte 0xBB)", "first MiB of the file is UTF-8", "encoding: gbk")
	if len(recs) != n-1 {
		t.Errorf("read %d records before the error, want %d", len(recs), n-1)
	}
}

func TestAutoNeitherEncoding(t *testing.T) {
	// 0x81 0x20 is not valid UTF-8, nor GB18030.
	r, err := source.NewReader("x.csv", strings.NewReader("a,b\n1,\x81\x20\n"), source.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = readAll(r)
	wantError(t, err, "x.csv:2:3:", "not valid GB18030, and the first MiB of the file is not UTF-8")
}

func TestDeclaredGBKOnUTF8(t *testing.T) {
	text := "名称,地址\n华为技术有限公司,深圳\n"
	_, err := source.NewReader("x.csv", strings.NewReader(text), source.Options{Encoding: "gbk"})
	wantError(t, err, "x.csv:", "encoding gbk was given but the file is UTF-8")
	_, err = source.NewReader("x.csv", strings.NewReader("\ufeff"+text), source.Options{Encoding: "gb18030"})
	wantError(t, err, "x.csv:", "UTF-8 byte-order mark", "encoding gb18030 was given")
}

func TestDeclaredGBKInvalid(t *testing.T) {
	in := append(gbk(t, "名称\n华为\n"), 0x81, 0x20, '\n')
	r, err := source.NewReader("x.csv", bytes.NewReader(in), source.Options{Encoding: "gbk"})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := readAll(r)
	wantError(t, err, "x.csv:3:1:", "not valid GBK")
	if len(recs) != 1 || recs[0]["名称"] != "华为" {
		t.Errorf("records before the error: %v", recs)
	}
}

func TestUTF16(t *testing.T) {
	text := "名称\t地址\r\n华为\t深圳\r\n"
	for _, e := range []unicode.Endianness{unicode.LittleEndian, unicode.BigEndian} {
		in, err := unicode.UTF16(e, unicode.UseBOM).NewEncoder().Bytes([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		r, err := source.NewReader("x.txt", bytes.NewReader(in), source.Options{})
		if err != nil {
			t.Fatal(err)
		}
		recs, err := readAll(r)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 1 || recs[0]["名称"] != "华为" || recs[0]["地址"] != "深圳" {
			t.Errorf("endianness %v: records %v", e, recs)
		}
		_, err = source.NewReader("x.txt", bytes.NewReader(in), source.Options{Encoding: "utf-8"})
		wantError(t, err, "the file is UTF-16")
	}
}
