package gen

import (
	"math/rand/v2"
	"regexp"
	"testing"
)

// TestIPCGroups: generated patents carry real IPC groups, mostly ones the SEI
// concordance links, so that patents tag through the IPC → CTT crosswalk as real
// filings do.
func TestIPCGroups(t *testing.T) {
	g := ipcGroups()
	if len(g.all["H04L"]) < 100 || len(g.linked["G06F"]) < 10 {
		t.Fatalf("IPC groups from refdata: %d of H04L, %d linked of G06F", len(g.all["H04L"]), len(g.linked["G06F"]))
	}
	valid := map[string]bool{}
	for _, c := range g.all["G06F"] {
		valid[c] = true
	}
	r := rand.New(rand.NewPCG(1, 2))
	form := regexp.MustCompile(`^G06F \d{1,4}/\d{2,6}$`)
	for i := 0; i < 1000; i++ {
		c := ipcGroup(r, "G06F")
		if !form.MatchString(c) {
			t.Fatalf("ipcGroup = %q, not a G06F group", c)
		}
		if !valid[c] && !contains(g.linked["G06F"], c) {
			t.Errorf("ipcGroup = %q: neither in the IPC 2016 hierarchy nor linked", c)
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
