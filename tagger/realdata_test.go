package tagger

import (
	"bufio"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the project's directory of real data (see ../../shared/data/README.md).
const sharedData = "../../shared/data"

func openShared(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedData, path))
	if os.IsNotExist(err) {
		t.Skipf("%s is not here", path)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// TestBuiltinSimplifyRealTerms reads the simplified and traditional forms of the
// AI and investment terms that CSET used to find Chinese AI investments (the
// traditional ones machine-made, with errors such as 錶徵 and 識彆): both forms
// must fold to the same text, which is what matching needs.
func TestBuiltinSimplifyRealTerms(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	// The simplified column writes the Taiwanese 网路 in simplified characters,
	// which the converter leaves alone (网路 also occurs across words, as in
	// 电网路径); its traditional 網路 becomes 网络.
	known := map[string]bool{"人工智慧网路": true, "类神经网路": true}
	pairs := 0
	for _, name := range []string{"matching_criteria_AITerms_simp_trad.txt", "matching_criteria_InvestmentTerms_simp_trad.txt"} {
		sc := bufio.NewScanner(openShared(t, "samples/ai-investments-amplyfi/"+name))
		for sc.Scan() {
			simp, trad, ok := strings.Cut(sc.Text(), "\t")
			if !ok {
				continue
			}
			pairs++
			if a, b := s.Simplify(simp), s.Simplify(trad); a != b && !known[simp] {
				t.Errorf("%s: %q → %q, %q → %q", name, simp, a, trad, b)
			}
		}
	}
	if pairs < 150 {
		t.Errorf("read %d pairs, want the 177 of the files", pairs)
	}
}

// TestBuiltinLeavesMainlandText checks that the converter changes nothing in
// mainland text: the titles and summaries of 1,964 State Council policy documents.
func TestBuiltinLeavesMainlandText(t *testing.T) {
	s, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(openShared(t, "samples/policy-gov-cn/policy_documents_sample.csv"))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, rec := range recs[1:] {
		for _, i := range []int{5, 7} { // title, summary
			if i < len(rec) {
				n++
				if got := s.Simplify(rec[i]); got != rec[i] {
					t.Errorf("Simplify changed %q to %q", rec[i], got)
				}
			}
		}
	}
	if n < 3000 {
		t.Errorf("read %d texts", n)
	}
}
