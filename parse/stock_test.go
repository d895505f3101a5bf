package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestStockCode(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want parse.Stock
		str  string
	}{
		{"600519", parse.Stock{parse.SSE, "600519"}, "600519.SH"},
		{"600519.SH", parse.Stock{parse.SSE, "600519"}, "600519.SH"},
		{"SH600519", parse.Stock{parse.SSE, "600519"}, "600519.SH"},
		{"sh.600519", parse.Stock{parse.SSE, "600519"}, "600519.SH"},
		{"600519.SS", parse.Stock{parse.SSE, "600519"}, "600519.SH"}, // Yahoo
		{"688981", parse.Stock{parse.SSE, "688981"}, "688981.SH"},    // STAR Market
		{"900901", parse.Stock{parse.SSE, "900901"}, "900901.SH"},    // B share
		{"000001.SZ", parse.Stock{parse.SZSE, "000001"}, "000001.SZ"},
		{"SZ000001", parse.Stock{parse.SZSE, "000001"}, "000001.SZ"},
		{"300750", parse.Stock{parse.SZSE, "300750"}, "300750.SZ"}, // ChiNext
		{"XSHE:002594", parse.Stock{parse.SZSE, "002594"}, "002594.SZ"},
		{"430047.BJ", parse.Stock{parse.BSE, "430047"}, "430047.BJ"},
		{"830799", parse.Stock{parse.BSE, "830799"}, "830799.BJ"},
		{"920099", parse.Stock{parse.BSE, "920099"}, "920099.BJ"},
		{"0700.HK", parse.Stock{parse.HKEX, "00700"}, "00700.HK"},
		{"00700.HK", parse.Stock{parse.HKEX, "00700"}, "00700.HK"},
		{"HK0700", parse.Stock{parse.HKEX, "00700"}, "00700.HK"},
		{"700.hk", parse.Stock{parse.HKEX, "00700"}, "00700.HK"},
		{"９９８８．ＨＫ", parse.Stock{parse.HKEX, "09988"}, "09988.HK"},
	} {
		got, err := parse.StockCode(tt.in)
		if err != nil || got != tt.want || got.String() != tt.str {
			t.Errorf("StockCode(%q) = %v (%s), %v; want %v (%s)", tt.in, got, got, err, tt.want, tt.str)
		}
	}
}

func TestStockCodeRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"SH000001", []string{`"SH000001"`, "codes beginning 000 are SZSE codes, not SSE"}},
		{"600519.SZ", []string{"codes beginning 600 are SSE codes, not SZSE"}},
		{"123456", []string{`"123456"`, "no exchange lists codes beginning 123", "SSE (600"}},
		{"858", []string{`"858"`, "need an exchange", "000858"}},
		{"00700", []string{"need an exchange"}},
		{"600519.NY", []string{`unknown exchange "NY"`, "SH, SZ, BJ or HK"}},
		{"1234567.HK", []string{"Hong Kong", "1 to 5 digits"}},
		{"0.HK", []string{"not all zeros"}},
		{"60051", []string{"need an exchange"}},
		{"6005190", []string{"7 digits", "expected six"}},
		{"SH600519.SH", []string{"is not a stock code"}},
		{"600519.", []string{"is not a stock code"}},
		{"", []string{`"" is not a stock code`}},
	} {
		got, err := parse.StockCode(tt.in)
		if err == nil {
			t.Errorf("StockCode(%q) = %v, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}
