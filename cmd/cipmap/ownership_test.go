package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// holdingPart is a mapping part for a file of holdings whose owners are of one
// schema.
func holdingPart(file, schema string) string {
	return `  - source: {path: ` + file + `}
    entities:
      - {key: owner, schema: ` + schema + `, id: {columns: [owner], prefix: o}}
      - {key: asset, schema: Firm, id: {columns: [asset], prefix: o}}
      - key: holding
        schema: Ownership
        id: {columns: [owner, asset], prefix: h}
        properties: {owner: {entity: owner}, asset: {entity: asset}, percentage: share}
`
}

// A chain under the central SASAC, from the command line: it holds 100% of A, A 60%
// of B, B 50% of C, and a person 30%–50% of C. SASAC effectively holds 60% of B and
// 30% of C; B is a central SOE by the rule printed; the person's range is carried
// through; the person's two boards are an interlock.
func TestOwnershipChain(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"bodies.csv":     "id,name,level,kind\ng1,国务院国有资产监督管理委员会,central,SASAC\n",
		"firms.csv":      "id,name\nA,中国航天科技集团有限公司\nB,航天乙有限公司\nC,航天丙有限公司\n",
		"people.csv":     "id,name\np1,王伟\n",
		"own-gov.csv":    "owner,asset,share\ng1,A,100%\n",
		"own-firm.csv":   "owner,asset,share\nA,B,60%\nB,C,50%\n",
		"own-person.csv": "owner,asset,share\np1,C,30%-50%\n",
		"dir.csv":        "person,org,role\np1,C,董事长\np1,B,董事\n",
	}
	for name, body := range files {
		os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644)
	}
	mapping := `dataset: {name: own, title: test ownership, licence: test}
parts:
  - source: {path: bodies.csv}
    entities:
      - {key: body, schema: GovBody, id: {columns: [id], prefix: o}, properties: {name: name, level: level, kind: kind}}
  - source: {path: firms.csv}
    entities:
      - {key: firm, schema: Firm, id: {columns: [id], prefix: o}, properties: {name: name}}
  - source: {path: people.csv}
    entities:
      - {key: person, schema: Person, id: {columns: [id], prefix: o}, properties: {name: name}}
` + holdingPart("own-gov.csv", "GovBody") + holdingPart("own-firm.csv", "Firm") + holdingPart("own-person.csv", "Person") + `  - source: {path: dir.csv}
    entities:
      - {key: p, schema: Person, id: {columns: [person], prefix: o}}
      - {key: org, schema: Firm, id: {columns: [org], prefix: o}}
      - key: d
        schema: Directorship
        id: {columns: [person, org], prefix: d}
        properties: {director: {entity: p}, organization: {entity: org}, role: role}
`
	os.WriteFile(filepath.Join(dir, "m.yaml"), []byte(mapping), 0o644)
	db := filepath.Join(dir, "o.duckdb")
	mustRun(t, "ingest", "--db", db, filepath.Join(dir, "m.yaml"))
	id := func(name string) string {
		rows := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv", "SELECT id FROM entities WHERE caption = '"+name+"'"))
		if len(rows) != 1 {
			t.Fatalf("%s: %v", name, rows)
		}
		return rows[0]["id"]
	}
	b, c := id("航天乙有限公司"), id("航天丙有限公司")
	var res struct {
		Owners []struct {
			Name      string
			Effective struct{ Lo, Hi float64 }
		} `json:"owners"`
		Classification struct {
			Class int
			Rule  string
			Text  string
			State struct {
				Total struct{ Lo, Hi float64 }
			}
		} `json:"classification"`
	}
	out := mustRun(t, "ownership", "--db", db, "--at", "2026-01-01", "--format", "json", c)
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	eff := map[string][2]float64{}
	for _, o := range res.Owners {
		eff[o.Name] = [2]float64{o.Effective.Lo, o.Effective.Hi}
	}
	near := func(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }
	if g := eff["国务院国有资产监督管理委员会"]; !near(g[0], 0.3) || !near(g[1], 0.3) {
		t.Errorf("SASAC in C: %v, want 30%% (60%% of 50%%); owners %v", g, eff)
	}
	if p := eff["王伟"]; !near(p[0], 0.3) || !near(p[1], 0.5) {
		t.Errorf("the person's range in C: %v, want 30%%–50%%", p)
	}
	out = mustRun(t, "ownership", "--db", db, "--at", "2026-01-01", b)
	t.Log(out)
	if !strings.Contains(out, "central SOE") || !strings.Contains(out, "rule:") || !strings.Contains(out, "国务院国有资产监督管理委员会") {
		t.Errorf("B's class:\n%s", out)
	}
	out = mustRun(t, "people", "--db", db, "--at", "2026-01-01", c)
	if !strings.Contains(out, "王伟") || !strings.Contains(out, "董事长") || !strings.Contains(out, "航天乙有限公司 (董事)") {
		t.Errorf("people of C:\n%s", out)
	}
	if _, errOut, code := runCLI(t, "ownership", "--db", db, "nope"); code != ExitNotFound {
		t.Errorf("unknown firm: exit %d %s", code, errOut)
	}
}
