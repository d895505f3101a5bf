package ingest_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/cipmap/cipmap/ingest"
	"github.com/xuri/excelize/v2"
)

// TestXLSXTemplatesConstantsSplitAndSerialDates ingests a real XLSX workbook (a sheet
// chosen by name, the header on row 2) through templates, constants, split lists of
// investors and Excel serial dates.
func TestXLSXTemplatesConstantsSplitAndSerialDates(t *testing.T) {
	dir := t.TempDir()
	f := excelize.NewFile()
	f.NewSheet("轮次")
	rows := [][]any{
		{"融资事件 2020"},
		{"公司", "投资方", "金额", "日期", "轮次"},
		{"硕橙科技", "红杉中国；IDG资本", "1.2亿元", 44056, "A"},
		{"华明科技", "深创投", "3,500万元", 44100, "B"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("轮次", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.SaveAs(filepath.Join(dir, "rounds.xlsx")); err != nil {
		t.Fatal(err)
	}
	mapping := `
dataset: {name: rounds, title: Rounds}
source: {path: rounds.xlsx, sheet: 轮次, header: 2}
dates: {excel_serial: true, min_year: 2000, max_year: 2030}
entities:
  - key: firm
    schema: Firm
    id: {columns: [公司]}
    properties:
      name: 公司
      country: {value: CHN}
  - key: investor
    schema: Fund
    id: {columns: [投资方], split: "；;"}
    properties:
      name: 投资方
  - key: round
    schema: Investment
    id: {columns: [公司, 轮次]}
    properties:
      investor: {entity: investor}
      investee: {entity: firm}
      amount: {column: 金额, type: money, currency: CNY}
      date: 日期
      round: 轮次
      description: {template: "{公司} {轮次}轮融资"}
`
	writeFilesIn(t, dir, map[string]string{"mapping.yaml": mapping})
	db, schemas := openDB(t)
	sum, err := run(t, db, schemas, filepath.Join(dir, "mapping.yaml"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 2 || sum.Entities != 2+3+2 {
		t.Errorf("rows=%d entities=%d, want 2 and 7", sum.Rows, sum.Entities)
	}
	tab, err := db.Query(context.Background(), `SELECT f.name, f.country, i.amount, i.currency, i.date, i.description, count(*) AS investors
		FROM investments i JOIN firms f ON f.id = i.investee JOIN statements s ON s.entity_id = i.id AND s.property = 'investor'
		GROUP BY ALL ORDER BY i.date`)
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(tab.Rows)
	want := "[[硕橙科技 CHN 1.2e+08 CNY 2020-08-13 硕橙科技 A轮融资 2] [华明科技 CHN 3.5e+07 CNY 2020-09-26 华明科技 B轮融资 1]]"
	if got != want {
		t.Errorf("investments =\n%s\nwant\n%s", got, want)
	}
	if n := count(t, db, "SELECT count(*) FROM funds WHERE name IN ('红杉中国', 'IDG资本', '深创投')"); n != 3 {
		t.Errorf("investors split into %d funds, want 3", n)
	}
	if n := count(t, db, "SELECT count(*) FROM statements WHERE source LIKE 'rounds.xlsx:3'"); n == 0 {
		t.Error("statements do not cite the sheet row rounds.xlsx:3")
	}
}

func writeFilesIn(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		if err := writeFile(filepath.Join(dir, name), content); err != nil {
			t.Fatal(err)
		}
	}
}
