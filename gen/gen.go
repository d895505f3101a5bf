// Package gen writes synthetic, seeded datasets with their mapping files, for tests,
// benchmarks and a demo that runs without real data. Values look like the real thing:
// Chinese firm names built as region + trade name + industry word + legal form,
// unified social credit codes with real province codes and valid check characters,
// amounts in 万元.
package gen

import (
	"bufio"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"

	"github.com/cipmap/cipmap"
)

var (
	regions = []struct{ name, code string }{
		{"北京", "110000"}, {"上海", "310000"}, {"深圳", "440300"}, {"广州", "440100"}, {"杭州", "330100"},
		{"苏州", "320500"}, {"成都", "510100"}, {"武汉", "420100"}, {"西安", "610100"}, {"合肥", "340100"},
		{"南京", "320100"}, {"天津", "120000"}, {"重庆", "500000"}, {"长沙", "430100"}, {"厦门", "350200"},
	}
	tradeChars = []rune("华中国芯科创新智能源光电通信航天微半导体汇鼎盛泰宏达瑞丰恒远鑫海星辰云睿博图騰飞扬凯威")
	industries = []string{"科技", "电子", "半导体", "新能源", "智能装备", "生物医药", "信息技术", "材料", "机器人", "通信"}
	forms      = []string{"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"}
)

// usccChars are the characters of a unified social credit code, by value.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// USCC returns a valid unified social credit code for registration authority 9
// (market regulator), entity type 1 (enterprise), the division code and org code body.
func USCC(division string, r *rand.Rand) string {
	b := []byte("91" + division)
	for i := 0; i < 8; i++ {
		b = append(b, "0123456789ABCDEFGHJKLMNPQRTUWXY"[r.Intn(31)])
	}
	// The 9th organisation-code character is its own check digit in reality; any
	// allowed character keeps the credit code's check valid.
	b = append(b, "0123456789"[r.Intn(10)])
	sum := 0
	for i := 0; i < 17; i++ {
		sum += indexByte(usccChars, b[i]) * usccWeights[i]
	}
	c := (31 - sum%31) % 31
	return string(append(b, usccChars[c]))
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

// FirmName returns a plausible Chinese firm name and its region.
func FirmName(r *rand.Rand) (name string, region int) {
	region = r.Intn(len(regions))
	t := string([]rune{tradeChars[r.Intn(len(tradeChars))], tradeChars[r.Intn(len(tradeChars))]})
	return regions[region].name + t + industries[r.Intn(len(industries))] + forms[r.Intn(len(forms))], region
}

func create(dir, name string) (*os.File, *bufio.Writer, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, cipmap.WrapError(cipmap.EINVALID, err, "create %s", dir)
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, nil, cipmap.WrapError(cipmap.EINVALID, err, "create")
	}
	return f, bufio.NewWriterSize(f, 1<<20), nil
}

func finish(f *os.File, w *bufio.Writer) error {
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Financials writes financials.csv with n firm-year rows and its mapping, and
// returns the mapping's path.
func Financials(dir string, n int, seed int64) (string, error) {
	r := rand.New(rand.NewSource(seed))
	f, w, err := create(dir, "financials.csv")
	if err != nil {
		return "", err
	}
	w.WriteString("firm_id,year,revenue,export_revenue,loans,subsidies,employees\n")
	firms := n/10 + 1
	buf := make([]byte, 0, 128)
	for i := 0; i < n; i++ {
		buf = buf[:0]
		buf = append(buf, "firm-"...)
		buf = strconv.AppendInt(buf, int64(i%firms), 10)
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(2010+i/firms%15), 10)
		for _, scale := range []float64{50000, 10000, 20000, 500} {
			buf = append(buf, ',')
			buf = strconv.AppendFloat(buf, float64(int(r.Float64()*scale*100))/100, 'f', -1, 64)
		}
		buf = append(buf, ',')
		buf = strconv.AppendInt(buf, int64(10+r.Intn(5000)), 10)
		buf = append(buf, '\n')
		w.Write(buf)
	}
	if err := finish(f, w); err != nil {
		return "", err
	}
	mapping := `# Synthetic firm-year financials written by 'cipmap gen financials'.
dataset:
  name: gen-financials
  title: Synthetic firm-year financials (cipmap gen)
  source: cipmap gen financials --seed ` + strconv.FormatInt(seed, 10) + `
  licence: CC0-1.0
source:
  path: financials.csv
  format: csv
  encoding: utf-8
facts:
  - table: financials
    columns:
      entity_id: firm_id
      year: year
      revenue: {column: revenue, type: money, scale: 10000, currency: CNY}
      export_revenue: {column: export_revenue, type: money, scale: 10000, currency: CNY}
      loans: {column: loans, type: money, scale: 10000, currency: CNY}
      subsidies: {column: subsidies, type: money, scale: 10000, currency: CNY}
      employees: employees
`
	path := filepath.Join(dir, "mapping.yaml")
	return path, os.WriteFile(path, []byte(mapping), 0o644)
}

// Firms writes firms.csv with n firm rows (five properties each) and its mapping, and
// returns the mapping's path.
func Firms(dir string, n int, seed int64) (string, error) {
	r := rand.New(rand.NewSource(seed))
	f, w, err := create(dir, "firms.csv")
	if err != nil {
		return "", err
	}
	w.WriteString("row_id,name,uscc,founded,registered_capital,region\n")
	for i := 0; i < n; i++ {
		name, reg := FirmName(r)
		fmt.Fprintf(w, "%d,%s,%s,%d-%02d-%02d,%d万元,%s\n", i, name, USCC(regions[reg].code, r),
			1990+r.Intn(35), 1+r.Intn(12), 1+r.Intn(28), 10+r.Intn(100000), regions[reg].name)
	}
	if err := finish(f, w); err != nil {
		return "", err
	}
	mapping := `# Synthetic firm registry rows written by 'cipmap gen firms'.
dataset:
  name: gen-firms
  title: Synthetic firm registry (cipmap gen)
  source: cipmap gen firms --seed ` + strconv.FormatInt(seed, 10) + `
  licence: CC0-1.0
source:
  path: firms.csv
  format: csv
  encoding: utf-8
entities:
  - key: firm
    schema: Firm
    id: {columns: [row_id], prefix: gen-firm}
    properties:
      name: {column: name, lang: zh}
      uscc: uscc
      founded: founded
      registered_capital: {column: registered_capital, type: money, currency: CNY}
      region: region
`
	path := filepath.Join(dir, "mapping.yaml")
	return path, os.WriteFile(path, []byte(mapping), 0o644)
}
