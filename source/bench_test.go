package source_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/source"
	"golang.org/x/text/encoding/simplifiedchinese"
)

const benchRows = 100000

// benchCSV returns a CSV of benchRows rows and 8 columns like a firm register:
// Chinese names, codes, amounts, dates, a quoted field and an empty one.
func benchCSV(delim string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "id%[1]sname%[1]suscc%[1]scapital%[1]sfounded%[1]scity%[1]saddress%[1]snote\n", delim)
	for i := range benchRows {
		address := fmt.Sprintf("\"深圳市南山区科技园%d号, 3楼\"", i%977)
		if delim == "\t" {
			address = address[1 : len(address)-1]
		}
		fields := []string{
			fmt.Sprint(i),
			fmt.Sprintf("深圳市第%d科技有限公司", i),
			fmt.Sprintf("91440300%010d", i*7919%10000000000),
			fmt.Sprintf("%d.%02d", i*37%100000, i%100),
			fmt.Sprintf("20%02d-%02d-%02d", i%24, i%12+1, i%28+1),
			"深圳",
			address,
			"",
		}
		b.WriteString(strings.Join(fields, delim))
		b.WriteByte('\n')
	}
	return b.Bytes()
}

// benchRead reads every record from open() b.N times and reports rows per second.
func benchRead(b *testing.B, size int, open func() (source.Reader, error)) {
	b.SetBytes(int64(size))
	b.ReportAllocs()
	rows := 0
	for b.Loop() {
		r, err := open()
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			rows++
		}
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkCSV reads a 100k-row, 8-column CSV, against encoding/csv alone as the
// baseline: the difference is what checking the text, positions and the header cost.
func BenchmarkCSV(b *testing.B) {
	data := benchCSV(",")
	b.Run("baseline=encoding-csv", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		rows := 0
		for b.Loop() {
			cr := csv.NewReader(bytes.NewReader(data))
			cr.ReuseRecord = true
			cr.FieldsPerRecord = -1
			for {
				_, err := cr.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
			rows-- // the header
		}
		b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("utf-8", func(b *testing.B) {
		benchRead(b, len(data), func() (source.Reader, error) {
			return source.NewReader("bench.csv", bytes.NewReader(data), source.Options{})
		})
	})
	b.Run("file", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "bench.csv")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			b.Fatal(err)
		}
		benchRead(b, len(data), func() (source.Reader, error) {
			return source.Open(path, source.Options{})
		})
	})
	gbk, err := simplifiedchinese.GBK.NewEncoder().Bytes(data)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("gbk", func(b *testing.B) {
		benchRead(b, len(gbk), func() (source.Reader, error) {
			return source.NewReader("bench.csv", bytes.NewReader(gbk), source.Options{})
		})
	})
}

func BenchmarkTSV(b *testing.B) {
	data := benchCSV("\t")
	benchRead(b, len(data), func() (source.Reader, error) {
		return source.NewReader("bench.tsv", bytes.NewReader(data), source.Options{})
	})
}

func BenchmarkJSONL(b *testing.B) {
	var buf bytes.Buffer
	for i := range benchRows {
		fmt.Fprintf(&buf, `{"id":%d,"name":"深圳市第%d科技有限公司","uscc":"91440300%010d","capital":%d.%02d,"founded":"20%02d-%02d-%02d","hq":{"city":"深圳","district":"南山"},"tags":["ai","5g"],"listed":false}`+"\n",
			i, i, i*7919%10000000000, i*37%100000, i%100, i%24, i%12+1, i%28+1)
	}
	data := buf.Bytes()
	benchRead(b, len(data), func() (source.Reader, error) {
		return source.NewReader("bench.jsonl", bytes.NewReader(data), source.Options{})
	})
}
