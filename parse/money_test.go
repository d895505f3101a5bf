package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestParseMoney(t *testing.T) {
	for _, tt := range []struct {
		in, def string
		want    parse.Money
	}{
		{"25200.0元", "", parse.Money{"25200", 25200, "CNY"}}, // CSET procurement contract text
		{"8800", "CNY", parse.Money{"8800", 8800, "CNY"}},
		{"1.2亿元", "", parse.Money{"120000000", 1.2e8, "CNY"}},
		{"3,500万元", "", parse.Money{"35000000", 3.5e7, "CNY"}},
		{"3500万", "CNY", parse.Money{"35000000", 3.5e7, "CNY"}},
		{"3500万", "", parse.Money{"35000000", 3.5e7, ""}},
		{"5千万元", "", parse.Money{"50000000", 5e7, "CNY"}},
		{"1.5百万元", "", parse.Money{"1500000", 1.5e6, "CNY"}},
		{"2万亿元", "", parse.Money{"2000000000000", 2e12, "CNY"}},
		{"15千元", "", parse.Money{"15000", 15000, "CNY"}},
		{"人民币100万元", "", parse.Money{"1000000", 1e6, "CNY"}},
		{"100万元人民币", "", parse.Money{"1000000", 1e6, "CNY"}},
		{"100 万美元", "CNY", parse.Money{"1000000", 1e6, "USD"}},
		{"2.5亿港元", "", parse.Money{"250000000", 2.5e8, "HKD"}},
		{"新台币100元", "", parse.Money{"100", 100, "TWD"}}, // 元 is only the unit here
		{"3億日圓", "", parse.Money{"300000000", 3e8, "JPY"}},
		{"¥1,000", "", parse.Money{"1000", 1000, "CNY"}},
		{"￥１，０００", "", parse.Money{"1000", 1000, "CNY"}},
		{"USD 2.5m", "", parse.Money{"2500000", 2.5e6, "USD"}},
		{"$2.5 million", "", parse.Money{"2500000", 2.5e6, "USD"}},
		{"2.5 billion USD", "", parse.Money{"2500000000", 2.5e9, "USD"}},
		{"1.5 bn", "EUR", parse.Money{"1500000000", 1.5e9, "EUR"}},
		{"HK$3m", "", parse.Money{"3000000", 3e6, "HKD"}},
		{"€ 40K", "", parse.Money{"40000", 40000, "EUR"}},
		{"EUR1.25mn", "", parse.Money{"1250000", 1.25e6, "EUR"}},
		{"2 million yuan", "", parse.Money{"2000000", 2e6, "CNY"}},
		{"300 RMB", "", parse.Money{"300", 300, "CNY"}},
		{"1000 KRW", "", parse.Money{"1000", 1000, "KRW"}},
		{"(1,000)", "", parse.Money{"-1000", -1000, ""}},
		{"($2.5m)", "", parse.Money{"-2500000", -2.5e6, "USD"}},
		{"-$5", "", parse.Money{"-5", -5, "USD"}},
		{"$-5", "", parse.Money{"-5", -5, "USD"}},
		{"约100万元", "", parse.Money{"1000000", 1e6, "CNY"}},
		{"0.5", "", parse.Money{"0.5", 0.5, ""}},
		{"0.000001亿", "", parse.Money{"100", 100, ""}},
		{"1.23456789亿", "", parse.Money{"123456789", 123456789, ""}},
	} {
		got, err := parse.ParseMoney(tt.in, tt.def)
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q, %q) = %+v, %v; want %+v", tt.in, tt.def, got, err, tt.want)
		}
	}
}

func TestParseMoneyRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"", []string{`"" is not an amount of money`, "such as 25200.0元"}},
		{"N/A", []string{`"N/A" is not an amount of money`}},
		{"元", []string{`"元" is not an amount of money`}},
		{"5%", []string{`"5%" is a percentage`}},
		{"100港元人民币", []string{`"100港元人民币" states two currencies, HKD and CNY`}},
		{"US$100 EUR", []string{"two currencies, USD and EUR"}},
		{"100 pcs", []string{`unexpected "pcs" after "100 "`, "expected a multiplier", "or a currency"}},
		{"100 top", []string{`unexpected "top"`}}, // codes are upper case; "top" is a word
		{"1,00万", []string{"misplaced thousands separator"}},
		{"(-1,000)", []string{"two signs"}},
		{"1e200亿", []string{"out of range"}},
	} {
		got, err := parse.ParseMoney(tt.in, "")
		if err == nil {
			t.Errorf("ParseMoney(%q) = %+v, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

// TestParseMoneyProcurement parses the contract values of CSET's PLA procurement
// sample.
func TestParseMoneyProcurement(t *testing.T) {
	rows := readCSV(t, "../../shared/data/samples/procurement-pla-ai-2020/Harnessed_Lightning_Raw_Data.csv")
	n := 0
	for i, row := range rows {
		v := row["contract_value_RMB"]
		if parse.IsEmpty(v) {
			continue
		}
		m, err := parse.ParseMoney(v, "CNY")
		if err != nil {
			t.Errorf("row %d: %v", i+2, err)
			continue
		}
		if m.Currency != "CNY" || m.Value <= 0 {
			t.Errorf("row %d: ParseMoney(%q) = %+v, want a positive CNY amount", i+2, v, m)
		}
		n++
	}
	if n < 200 {
		t.Errorf("parsed %d amounts, want at least 200", n)
	}
}

func TestParseMoneyAllocs(t *testing.T) {
	for _, s := range []string{"8800", "25200.0元"} {
		if n := testing.AllocsPerRun(100, func() { parse.ParseMoney(s, "CNY") }); n != 0 {
			t.Errorf("ParseMoney(%q) allocates %v times, want 0", s, n)
		}
	}
}

func TestIsCurrency(t *testing.T) {
	for _, tt := range []struct {
		code string
		want bool
	}{{"CNY", true}, {"USD", true}, {"TOP", true}, {"DEM", true}, {"RMB", false}, {"cny", false}, {"ADA", false}} {
		if got := parse.IsCurrency(tt.code); got != tt.want {
			t.Errorf("IsCurrency(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}
