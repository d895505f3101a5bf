package money

import (
	"math"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
)

func TestToCNY(t *testing.T) {
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		amount   float64
		currency string
		year     int
		want     float64
		code     string
	}{
		{100, "CNY", 1990, 100, ""},
		{100, "usd", 2020, 689.76, ""},
		{1e6, "USD", 2024, 7121700, ""},
		{100, "EUR", 2020, 0, cipmap.ENOTFOUND},
		{100, "USD", 1999, 0, cipmap.ENOTFOUND},
	} {
		got, err := tab.ToCNY(c.amount, c.currency, c.year)
		if cipmap.ErrorCode(err) != c.code {
			t.Errorf("ToCNY(%v %s %d): error %v, want code %q", c.amount, c.currency, c.year, err, c.code)
			continue
		}
		if math.Abs(got-c.want) > 1e-6 {
			t.Errorf("ToCNY(%v %s %d) = %v, want %v", c.amount, c.currency, c.year, got, c.want)
		}
	}
}

func TestConstant(t *testing.T) {
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	// 100 yuan of 2019 at 2020 prices: 2020's CPI was 102.5 (2019 = 100).
	if got, _ := tab.Constant(100, 2019, 2020); math.Abs(got-102.5) > 1e-9 {
		t.Errorf("100 yuan of 2019 at 2020 prices = %v, want 102.5", got)
	}
	// And back, and across several years: 2022 → 2020 divides by 1.009 × 1.020.
	if got, _ := tab.Constant(100, 2022, 2020); math.Abs(got-100/(1.009*1.020)) > 1e-9 {
		t.Errorf("100 yuan of 2022 at 2020 prices = %v, want %v", got, 100/(1.009*1.020))
	}
	if got, _ := tab.Constant(100, 2020, 2020); got != 100 {
		t.Errorf("same year = %v", got)
	}
	if _, err := tab.Constant(100, 2025, 2020); cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		t.Errorf("2025: error %v, want not found", err)
	}
}

// TestGeneratorRates checks that the shipped rates of 2010-2025 are the generator's,
// so that generated USD flows convert to the truth's yuan exactly.
func TestGeneratorRates(t *testing.T) {
	raw, err := os.ReadFile("../gen/data/fx.csv")
	if err != nil {
		t.Skip(err)
	}
	tab, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, l := range strings.Split(string(raw), "\n") {
		y, v, ok := strings.Cut(strings.TrimSpace(l), ",")
		year, err1 := strconv.Atoi(y)
		want, err2 := strconv.ParseFloat(v, 64)
		if !ok || err1 != nil || err2 != nil {
			continue
		}
		n++
		if got, err := tab.Rate("USD", year); err != nil || got != want {
			t.Errorf("USD %d: %v (%v), the generator's %v", year, got, err, want)
		}
	}
	if n < 10 {
		t.Errorf("read %d rates from gen/data/fx.csv", n)
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ fx, cpi, want string }{
		{"year,currency,cny_per_unit\n2020,USD,x\n", "year,cpi\n", "fx.csv:2"},
		{"year,currency,cny_per_unit\n", "year,cpi\n2020,101\n2022,102\n", "consecutive"},
		{"year,currency,cny_per_unit\n2020,USD\n", "year,cpi\n", "3 columns"},
	} {
		_, err := Parse([]byte(c.fx), []byte(c.cpi))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Parse: %v, want an error with %q", err, c.want)
		}
	}
}
