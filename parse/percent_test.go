package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestPercentage(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string // Percent.String
	}{
		{"60%", "60"},
		{"60", "60"},
		{"60 %", "60"},
		{"６０％", "60"},
		{"0.6", "0.6"}, // percent units: 0.6%, not 60%
		{"12.50%", "12.5"},
		{"0%", "0"},
		{"100%", "100"},
		{"百分之60", "60"},
		{"60 percent", "60"},
		{"30-50%", "30..50"},
		{"30%-50%", "30..50"},
		{"30%–50%", "30..50"},
		{"30 % — 50 %", "30..50"},
		{"30~50%", "30..50"},
		{"30～50％", "30..50"},
		{"30至50%", "30..50"},
		{"30% to 50%", "30..50"},
		{"30..50", "30..50"}, // as String writes a range
		{"<5%", "0..5"},
		{"≤5%", "0..5"},
		{"小于5%", "0..5"},
		{"5%以下", "0..5"},
		{">50%", "50..100"},
		{">=50%", "50..100"},
		{"超过50%", "50..100"},
		{"50%以上", "50..100"},
		{"约30%", "30"},
		{"~30%", "30"},
		{"about 30%", "30"},
		{"30%左右", "30"},
	} {
		got, err := parse.Percentage(tt.in)
		if err != nil || got.String() != tt.want {
			t.Errorf("Percentage(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
}

func TestPercentageRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"120%", []string{`"120%"`, "from 0 to 100", "120 is outside 0..100"}},
		{"-5%", []string{`"-5%"`, "-5 is outside 0..100"}},
		{"50-30%", []string{`"50-30%"`, "low end 50 is above its high end 30"}},
		{"30-150%", []string{"150 is outside 0..100"}},
		{"abc", []string{`"abc" is not a percentage`, "expected a number from 0 to 100"}},
		{"", []string{`"" is not a percentage`}},
		{"60%%", []string{`"60%%" is not a percentage`}},
		{"<30-50%", []string{"is not a percentage"}},
		{"30-50%以上", []string{"is not a percentage"}},
	} {
		got, err := parse.Percentage(tt.in)
		if err == nil {
			t.Errorf("Percentage(%q) = %v, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

func TestPercentString(t *testing.T) {
	for _, tt := range []struct {
		p    parse.Percent
		want string
	}{
		{parse.Percent{60, 60}, "60"},
		{parse.Percent{30, 50}, "30..50"},
		{parse.Percent{0.6, 0.6}, "0.6"},
		{parse.Percent{0, 5}, "0..5"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("%#v.String() = %q, want %q", tt.p, got, tt.want)
		}
	}
}

// TestPercentageETO parses the market shares of CSET's semiconductor supply chain
// data, written as "61%".
func TestPercentageETO(t *testing.T) {
	rows := readCSV(t, "../../shared/data/samples/semiconductor-supply-chain-eto/provision.csv")
	n := 0
	for i, row := range rows {
		v := row["share_provided"]
		if parse.IsEmpty(v) {
			continue
		}
		if _, err := parse.Percentage(v); err != nil {
			t.Errorf("row %d: %v", i+2, err)
		}
		n++
	}
	if n < 150 {
		t.Errorf("parsed %d shares, want at least 150", n)
	}
}
