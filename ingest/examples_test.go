package ingest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/ingest"
)

// samples is where the real samples are: ../shared beside the repository.
const samples = "../../shared/data/samples"

func needSamples(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(samples); err != nil {
		t.Skipf("the real samples are not at %s (../shared is absent): skipping the golden tests on real data", samples)
	}
}

// golden pins the counts of a real sample's ingest.
type golden struct {
	rows, empty, entities, statements, rejects int64
	noKey                                      map[string]int64
	queries                                    map[string]int64
}

func checkGolden(t *testing.T, mapping string, opts ingest.Options, want golden) {
	t.Helper()
	db, schemas := openDB(t)
	sum, err := run(t, db, schemas, mapping, opts)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != want.rows || sum.EmptyRows != want.empty || sum.Entities != want.entities || sum.Statements != want.statements || sum.Rejects != want.rejects {
		t.Errorf("rows=%d empty=%d entities=%d statements=%d rejects=%d; want %d %d %d %d %d",
			sum.Rows, sum.EmptyRows, sum.Entities, sum.Statements, sum.Rejects,
			want.rows, want.empty, want.entities, want.statements, want.rejects)
	}
	for k, n := range want.noKey {
		if sum.NoKey[k] != n {
			t.Errorf("rows without a %s: %d, want %d", k, sum.NoKey[k], n)
		}
	}
	for q, n := range want.queries {
		if got := count(t, db, q); got != n {
			t.Errorf("%s = %d, want %d", q, got, n)
		}
	}
	again, err := run(t, db, schemas, mapping, opts)
	if err != nil {
		t.Fatal(err)
	}
	if !again.Unchanged || again.Statements != sum.Statements {
		t.Errorf("second ingest: unchanged=%v statements=%d, want unchanged with %d", again.Unchanged, again.Statements, sum.Statements)
	}
}

func TestGoldenPLAProcurement(t *testing.T) {
	needSamples(t)
	checkGolden(t, "../examples/procurement-pla-ai-2020/mapping.yaml", ingest.Options{}, golden{
		// 343 awards; 653 of the 996 physical rows are blank. 103 distinct buyers and
		// end users, 275 suppliers (the CSET README: supplier given in 331 cases, end
		// user in 232, contract value in 205).
		// 4,496 statements and the date of each award (its notice's date).
		rows: 343, empty: 653, entities: 103 + 275 + 343, statements: 4496 + 343,
		noKey: map[string]int64{"end_user": 111, "supplier": 12},
		queries: map[string]int64{
			"SELECT count(*) FROM contracts":                                                                     343,
			"SELECT count(*) FROM contracts WHERE amount IS NOT NULL AND currency = 'CNY'":                       205,
			"SELECT count(*) FROM contracts WHERE supplier IS NOT NULL":                                          331,
			"SELECT count(*) FROM contracts WHERE end_user IS NOT NULL":                                          232,
			"SELECT count(*) FROM contracts WHERE published_date LIKE '2020-%'":                                  343,
			"SELECT count(*) FROM contracts WHERE date = published_date":                                         343,
			"SELECT count(*) FROM gov_bodies WHERE name = '中国航天科技集团有限公司'":                                        1,
			"SELECT count(*) FROM contracts c JOIN gov_bodies g ON g.id = c.buyer WHERE g.name = '中国航天科技集团有限公司'": 82,
			"SELECT CAST(sum(amount) AS BIGINT) FROM contracts":                                                  344961866,
		},
	})
}

func TestGoldenAMPLYFIRejectsImpossibleYears(t *testing.T) {
	needSamples(t)
	mapping := "../examples/ai-investments-amplyfi/mapping.yaml"
	var rejects strings.Builder
	checkGolden(t, mapping, ingest.Options{OnError: "skip", Rejects: &rejects}, golden{
		// 3,830 accepted mentions of 3,679 investees by 2,092 distinct investor names.
		rows: 3851, rejects: 21, entities: 3830 + 3679 + 2092, statements: 37215,
		queries: map[string]int64{
			"SELECT count(*) FROM investments":                                  3851 - 21,
			"SELECT count(*) FROM investments WHERE year > 2021 OR year < 1980": 0,
		},
	})
	for _, y := range []string{"2044", "2080", "1235"} {
		if !strings.Contains(rejects.String(), y) {
			t.Errorf("the rejects file does not list year %s", y)
		}
	}
	// By default the impossible years fail the ingest and write nothing.
	db, schemas := openDB(t)
	sum, err := run(t, db, schemas, mapping, ingest.Options{})
	if err == nil || sum.ErrorCount != 21 {
		t.Fatalf("fail mode: err=%v errors=%d, want 21 errors", err, sum.ErrorCount)
	}
	if !strings.Contains(sum.Errors[0].String(), filepath.Base("data_cset_amplyfi_deduplicated_investments_zh_usd.json:")) {
		t.Errorf("first error %q does not name the file and line", sum.Errors[0].String())
	}
	if n := count(t, db, "SELECT count(*) FROM statements"); n != 0 {
		t.Errorf("a failed ingest wrote %d statements", n)
	}
}

func TestGoldenETOSupplyChain(t *testing.T) {
	needSamples(t)
	checkGolden(t, "../examples/semiconductor-supply-chain-eto/mapping.yaml", ingest.Options{}, golden{
		// 3 stages and 79 inputs (82 products), 20 countries and 274 firms, 660
		// provision rows of which two name the same provider and product (P57, S3).
		rows: 3 + 79 + 93 + 294 + 660, entities: 82 + 20 + 274 + 659, statements: 2674,
		queries: map[string]int64{
			"SELECT count(*) FROM provisions":                         659,
			"SELECT count(*) FROM products WHERE stage IS NOT NULL":   12,
			"SELECT count(*) FROM countries":                          20,
			"SELECT count(*) FROM firms":                              274,
			"SELECT count(*) FROM provisions WHERE share IS NOT NULL": 206,
		},
	})
}
