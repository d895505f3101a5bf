// Package money converts amounts to yuan and yuan to constant prices, with tables
// shipped as data: yearly average exchange rates (fx.csv) and China's consumer price
// index (cpi.csv), each with its source in NOTICE.md. Table implements cipmap.Rates.
//
// A flow's amount in a foreign currency becomes yuan at the average rate of the
// flow's year, as statistical offices convert annual aggregates. Constant prices
// chain the CPI (previous year = 100) into a level and scale yuan of year y to base
// year b by level(b) / level(y). The CPI, not the GDP deflator, because it is
// published earlier and the series used by most firm-level studies of Chinese
// subsidies; both are within a point a year of each other over 2000-2024 except in
// 2008-2009 and 2021-2022.
package money

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cipmap/cipmap"
)

//go:embed fx.csv cpi.csv NOTICE.md
var files embed.FS

// Table holds yearly exchange rates and a price level by year.
type Table struct {
	// fx maps currency → year → yuan per unit.
	fx map[string]map[int]float64
	// level is the price level by year, first year = 1.
	level map[int]float64
}

var (
	once   sync.Once
	shared *Table
	errLd  error
)

// Load returns the shipped table. It is read once and shared; a Table is read-only.
func Load() (*Table, error) {
	once.Do(func() {
		fx, err := files.ReadFile("fx.csv")
		if err != nil {
			errLd = err
			return
		}
		cpi, err := files.ReadFile("cpi.csv")
		if err != nil {
			errLd = err
			return
		}
		shared, errLd = Parse(fx, cpi)
	})
	return shared, errLd
}

// Notice returns NOTICE.md: where the tables come from.
func Notice() string {
	b, _ := files.ReadFile("NOTICE.md")
	return string(b)
}

// Parse reads a table from fx.csv (year,currency,cny_per_unit) and cpi.csv
// (year,cpi_prev_100) text; lines starting with # are comments. The CPI years must
// be consecutive.
func Parse(fx, cpi []byte) (*Table, error) {
	t := &Table{fx: map[string]map[int]float64{}, level: map[int]float64{}}
	err := rows("fx.csv", fx, 3, func(line int, f []string) error {
		y, err1 := strconv.Atoi(f[0])
		v, err2 := strconv.ParseFloat(f[2], 64)
		c := strings.ToUpper(strings.TrimSpace(f[1]))
		if err1 != nil || err2 != nil || v <= 0 || len(c) != 3 {
			return cipmap.Errorf(cipmap.EINVALID, "fx.csv:%d: %q: expected year,currency,cny_per_unit", line, strings.Join(f, ","))
		}
		if t.fx[c] == nil {
			t.fx[c] = map[int]float64{}
		}
		t.fx[c][y] = v
		return nil
	})
	if err != nil {
		return nil, err
	}
	prev, lvl := 0, 1.0
	err = rows("cpi.csv", cpi, 2, func(line int, f []string) error {
		y, err1 := strconv.Atoi(f[0])
		v, err2 := strconv.ParseFloat(f[1], 64)
		if err1 != nil || err2 != nil || v <= 0 {
			return cipmap.Errorf(cipmap.EINVALID, "cpi.csv:%d: %q: expected year,cpi_prev_100", line, strings.Join(f, ","))
		}
		if prev != 0 {
			if y != prev+1 {
				return cipmap.Errorf(cipmap.EINVALID, "cpi.csv:%d: year %d after %d: expected consecutive years", line, y, prev)
			}
			lvl *= v / 100
		}
		t.level[y] = lvl
		prev = y
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func rows(name string, b []byte, n int, fn func(line int, f []string) error) error {
	sc := bufio.NewScanner(bytes.NewReader(b))
	line, header := 0, false
	for sc.Scan() {
		line++
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		if !header {
			header = true
			continue
		}
		f := strings.Split(s, ",")
		if len(f) != n {
			return cipmap.Errorf(cipmap.EINVALID, "%s:%d: %q: expected %d columns", name, line, s, n)
		}
		if err := fn(line, f); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ToCNY converts amount in currency to yuan at the average rate of year. CNY (and
// RMB) convert to themselves in every year.
func (t *Table) ToCNY(amount float64, currency string, year int) (float64, error) {
	c := strings.ToUpper(strings.TrimSpace(currency))
	if c == "CNY" || c == "RMB" {
		return amount, nil
	}
	byYear, ok := t.fx[c]
	if !ok {
		return 0, cipmap.Errorf(cipmap.ENOTFOUND, "no exchange rate for currency %q (known: CNY, %s)", currency, strings.Join(t.Currencies(), ", "))
	}
	r, ok := byYear[year]
	if !ok {
		lo, hi := span(byYear)
		return 0, cipmap.Errorf(cipmap.ENOTFOUND, "no %s rate for %d (the table has %d-%d)", c, year, lo, hi)
	}
	return amount * r, nil
}

// Rate returns the yuan per unit of currency in year.
func (t *Table) Rate(currency string, year int) (float64, error) { return t.ToCNY(1, currency, year) }

// Constant converts yuan of year to yuan at base-year prices.
func (t *Table) Constant(cny float64, year, base int) (float64, error) {
	ly, ok1 := t.level[year]
	lb, ok2 := t.level[base]
	if !ok1 || !ok2 {
		lo, hi := span(t.level)
		miss := year
		if ok1 {
			miss = base
		}
		return 0, cipmap.Errorf(cipmap.ENOTFOUND, "no price index for %d (the CPI table has %d-%d)", miss, lo, hi)
	}
	return cny * lb / ly, nil
}

// Currencies lists the currencies with rates, besides CNY.
func (t *Table) Currencies() []string {
	var out []string
	for c := range t.fx {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// Years returns the first and last year of the price index.
func (t *Table) Years() (first, last int) { return span(t.level) }

func span[V any](m map[int]V) (lo, hi int) {
	for y := range m {
		if lo == 0 || y < lo {
			lo = y
		}
		if y > hi {
			hi = y
		}
	}
	return lo, hi
}

var _ cipmap.Rates = (*Table)(nil)

// String describes the table: its currencies and years.
func (t *Table) String() string {
	lo, hi := t.Years()
	return fmt.Sprintf("rates for %s; CPI %d-%d", strings.Join(t.Currencies(), ", "), lo, hi)
}
