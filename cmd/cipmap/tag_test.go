package main

import (
	"strings"
	"testing"
)

func TestTagAgreesAcrossScripts(t *testing.T) {
	var tops []string
	for _, text := range []string{"工业机器人用精密减速器", "工業機器人用精密減速器", "precision reducers for industrial robots"} {
		out := mustRun(t, "tag", "--to", "sei2018", "--format", "csv", text)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) < 2 {
			t.Fatalf("tag %q: %s", text, out)
		}
		tops = append(tops, strings.Split(lines[1], ",")[1])
	}
	if tops[0] != "2.1" || tops[1] != tops[0] || tops[2] != tops[0] {
		t.Errorf("top SEI categories = %v, want 2.1 for all three", tops)
	}
	out := mustRun(t, "tag", "--format", "csv", "新能源")
	if !strings.Contains(out, "new-energy > ") {
		t.Errorf("新能源 is not an inner node with a distribution:\n%s", out)
	}
}
