package parse_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
)

// The fuzz tests assert that no input makes a parser panic, that every error is an
// EINVALID *cipmap.Error, and that every result is a fixed point: parsing it again
// gives it back. Run one with, for example,
//
//	go test -run '^$' -fuzz '^FuzzDate$' -fuzztime 20s ./parse/

// checkFuzzErr fails unless err is an EINVALID *cipmap.Error with a message.
func checkFuzzErr(t *testing.T, in string, err error) {
	t.Helper()
	var e *cipmap.Error
	if !errors.As(err, &e) || e.Code != cipmap.EINVALID || e.Message == "" {
		t.Fatalf("%q: error %#v is not an EINVALID *cipmap.Error with a message", in, err)
	}
}

func FuzzDate(f *testing.F) {
	for _, s := range []string{
		"2020-08-13", "2020-08-13T15:57:29", "2020-08-13 15:57", "2020/8/13", "2020.8.13",
		"20200813", "20200813155729", "8/13/2020 15:57:29", "13/8/2020", "8/13/2020 3:57 PM",
		"2020年8月13日", "2020年8月13号 9:05", "2020年8月", "2020年", "２０２０年８月１３日", "2020",
		"44056", "44056.5", "2020-07-28 17:04:15 UTC", "2020-08-13T15:57:29+08:00", "2021-02-29",
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, excel bool) {
		opts := parse.DateOptions{ExcelSerial: excel}
		got, err := parse.Date(s, opts)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		switch len(got) {
		case len("2020"), len("2020-08"), len("2020-08-13"), len("2020-08-13T15:57:29"):
		default:
			t.Fatalf("Date(%q) = %q, not an ISO 8601 date", s, got)
		}
		if again, err := parse.Date(got, opts); again != got || err != nil {
			t.Fatalf("Date(%q) = %q, but Date(%q) = %q, %v", s, got, got, again, err)
		}
	})
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{
		"25200.0元", "1.2亿元", "3,500万元", "3500万", "USD 2.5m", "$2.5 million", "2.5 billion USD",
		"人民币100万元", "¥1,000", "100 万美元", "5千万元", "1.5 bn", "HK$3m", "(1,000)", "8800",
		"-$5", "1e-3万", "新台币100元", "0.000001亿", "约100万元",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := parse.ParseMoney(s, "XXX")
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		again, err := parse.ParseMoney(m.Amount, "")
		if err != nil || again.Amount != m.Amount || again.Value != m.Value {
			t.Fatalf("ParseMoney(%q) = %+v, but its amount parses as %+v, %v", s, m, again, err)
		}
		if f, err := strconv.ParseFloat(m.Amount, 64); err != nil || f != m.Value {
			t.Fatalf("ParseMoney(%q) = %+v: Value is not Amount as a float (%v, %v)", s, m, f, err)
		}
		if m.Currency == "" {
			t.Fatalf("ParseMoney(%q) = %+v: the default currency was not used", s, m)
		}
	})
}

func FuzzNumber(f *testing.F) {
	for _, s := range []string{"1234", "1,234,567.5", "-1,234", "−7", "12.50", ".5", "5.", "1.5e3", "1E-5", "１２３４．５", "12.5%", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, v, err := parse.Number(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if again, w, err := parse.Number(n); again != n || w != v || err != nil {
			t.Fatalf("Number(%q) = %q, %v, but Number(%q) = %q, %v, %v", s, n, v, n, again, w, err)
		}
		if i, err := parse.Integer(s); err == nil && float64(i) != v {
			t.Fatalf("Integer(%q) = %d, but Number gives %v", s, i, v)
		}
	})
}

func FuzzInteger(f *testing.F) {
	for _, s := range []string{"1234", "1,234", "12.0", "12.5", "-9223372036854775808", "9223372036854775808", "1e3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parse.Integer(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if w, err := parse.Integer(strconv.FormatInt(v, 10)); w != v || err != nil {
			t.Fatalf("Integer(%q) = %d, but Integer of that = %d, %v", s, v, w, err)
		}
	})
}

func FuzzPercentage(f *testing.F) {
	for _, s := range []string{"60%", "60", "６０％", "0.6", "30-50%", "30%–50%", "<5%", ">50%", "约30%", "30..50", "50%以上", "百分之60", "120%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parse.Percentage(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if !(0 <= p.Low && p.Low <= p.High && p.High <= 100) {
			t.Fatalf("Percentage(%q) = %#v, not within 0 <= Low <= High <= 100", s, p)
		}
		if again, err := parse.Percentage(p.String()); again != p || err != nil {
			t.Fatalf("Percentage(%q) = %#v, but Percentage(%q) = %#v, %v", s, p, p.String(), again, err)
		}
	})
}

func FuzzUSCC(f *testing.F) {
	for _, s := range []string{"91440300708461136T", "91440300708461136A", "９１４４０３００７０８４６１１３６Ｔ", "9144O300708461136T", "91440300708461136"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := parse.USCC(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if again, err := parse.USCC(code); again != code || err != nil || len(code) != 18 {
			t.Fatalf("USCC(%q) = %q, but USCC of that = %q, %v", s, code, again, err)
		}
	})
}

func FuzzOrgCode(f *testing.F) {
	for _, s := range []string{"70846113-6", "708461136", "71526726-X", "70846113-5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := parse.OrgCode(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if again, err := parse.OrgCode(code); again != code || err != nil || len(code) != 9 {
			t.Fatalf("OrgCode(%q) = %q, but OrgCode of that = %q, %v", s, code, again, err)
		}
	})
}

func FuzzLEI(f *testing.F) {
	for _, s := range []string{"5493001KJTIIGC8Y1R12", "7LTWFZYICNSX8D621K86", "5493001KJTIIGC8Y1R13"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := parse.LEI(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if again, err := parse.LEI(code); again != code || err != nil || len(code) != 20 {
			t.Fatalf("LEI(%q) = %q, but LEI of that = %q, %v", s, code, again, err)
		}
	})
}

func FuzzStockCode(f *testing.F) {
	for _, s := range []string{"600519", "600519.SH", "SH600519", "sh.600519", "0700.HK", "HK0700", "430047.BJ", "SH000001", "858"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		st, err := parse.StockCode(s)
		if err != nil {
			checkFuzzErr(t, s, err)
			return
		}
		if again, err := parse.StockCode(st.String()); again != st || err != nil {
			t.Fatalf("StockCode(%q) = %v, but StockCode(%q) = %v, %v", s, st, st.String(), again, err)
		}
	})
}
