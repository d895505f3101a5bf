package parse_test

import (
	"testing"
	"time"

	"github.com/cipmap/cipmap/parse"
)

// The parsers run once per cell on ingest, a million rows at a time. Each benchmark
// runs the forms real data holds, and BenchmarkDate runs time.Parse on the ISO form
// as a baseline to compare with.

func BenchmarkDate(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"iso", "2020-08-13"},
		{"iso-time", "2020-08-13T15:57:29"},
		{"iso-space-utc", "2020-07-28 17:04:15 UTC"},
		{"us-time", "8/13/2020 15:57:29"},
		{"us-midnight", "8/20/2020 0:00:00"},
		{"chinese", "2020年8月13日"},
		{"full-width", "２０２０年８月１３日"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse.Date(c.in, parse.DateOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("baseline-time.Parse-iso", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := time.Parse(time.DateOnly, "2020-08-13"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkParseMoney(b *testing.B) {
	for _, c := range []string{"8800", "25200.0元", "3,500万元", "1.2亿元", "USD 2.5m", "人民币100万元", "（１，０００）"} {
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := parse.ParseMoney(c, "CNY"); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNumber(b *testing.B) {
	for _, c := range []string{"1234", "1,234,567.5"} {
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := parse.Number(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUSCC(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parse.USCC("91440300708461136T"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFold(b *testing.B) {
	for _, c := range []string{"华为技术有限公司", "华为技术有限公司（深圳）"} {
		b.Run(c, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				parse.Fold(c)
			}
		})
	}
}
