package export_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/export"
	"github.com/cipmap/cipmap/schema"
)

// store loads a small procurement graph: two bodies, two firms, three contracts, one
// of which names a supplier outside the export.
func store(t *testing.T) (cipmap.Store, cipmap.Schemas) {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	db, err := duckdb.Open(context.Background(), filepath.Join(t.TempDir(), "x.duckdb"), duckdb.Options{Schemas: schemas,
		Now: func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	facts := [][4]string{
		{"gov-1", "GovBody", "name", "中国航天科技集团有限公司"},
		{"gov-2", "GovBody", "name", `<script>alert("x")</script> & co`},
		{"firm-1", "Firm", "name", "航天华明科技(北京)有限公司"},
		{"firm-2", "Firm", "name", "硕橙(厦门)科技有限公司"},
		{"c-1", "Contract", "buyer", "gov-1"}, {"c-1", "Contract", "supplier", "firm-1"}, {"c-1", "Contract", "amount", "25200"},
		{"c-2", "Contract", "buyer", "gov-2"}, {"c-2", "Contract", "supplier", "firm-2"}, {"c-2", "Contract", "title", "结构损伤\n诊断"},
		{"c-3", "Contract", "buyer", "gov-1"}, {"c-3", "Contract", "supplier", "firm-elsewhere"},
	}
	_, err = db.Load(context.Background(), &cipmap.Dataset{Name: "pla", Version: "1"}, func(w cipmap.Writer) error {
		for i, f := range facts {
			if err := w.Statement(&cipmap.Statement{EntityID: f[0], Schema: f[1], Property: f[2], Value: f[3], Source: "a.csv:" + string(rune('2'+i))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return db, schemas
}

func TestFtM(t *testing.T) {
	st, _ := store(t)
	var buf bytes.Buffer
	n, err := export.FtM(context.Background(), st, cipmap.StatementFilter{}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if n != 7 || len(lines) != 7 {
		t.Fatalf("%d entities, %d lines; want 7", n, len(lines))
	}
	var e export.FtMEntity
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatal(err)
	}
	if e.ID != "c-1" || e.Schema != "Contract" || e.Properties["amount"][0] != "25200" || e.Datasets[0] != "pla" || len(e.Sources) != 3 {
		t.Errorf("first entity = %+v", e)
	}
}

func TestCSVRoundTrips(t *testing.T) {
	st, _ := store(t)
	var buf bytes.Buffer
	n, err := export.CSV(context.Background(), st, cipmap.StatementFilter{Schemas: []string{"Contract"}}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if n != 8 || len(recs) != 9 || strings.Join(recs[0], ",") != strings.Join(export.StatementColumns, ",") {
		t.Fatalf("%d statements, %d records: %v", n, len(recs), recs[0])
	}
	found := false
	for _, r := range recs {
		found = found || r[4] == "结构损伤\n诊断"
	}
	if !found {
		t.Error("a value with a line break did not survive the CSV round trip")
	}
}

// TestGraphMLReadsInNetworkX checks the GraphML with NetworkX when python3 has it.
func TestGraphMLReadsInNetworkX(t *testing.T) {
	st, schemas := store(t)
	path := filepath.Join(t.TempDir(), "g.graphml")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges, err := export.GraphML(context.Background(), st, schemas, cipmap.StatementFilter{}, f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// 4 entities and the supplier outside the export; 3 contracts as edges.
	if nodes != 5 || edges != 3 {
		t.Errorf("nodes=%d edges=%d, want 5 and 3", nodes, edges)
	}
	if err := exec.Command("python3", "-c", "import networkx").Run(); err != nil {
		t.Skip("python3 with networkx is not here: the GraphML was not read back")
	}
	out, err := exec.Command("python3", "-c", `
import sys, networkx as nx
g = nx.read_graphml(sys.argv[1])
e = g.get_edge_data("gov-1", "firm-1")
d = e if "amount" in e else list(e.values())[0]
print(g.number_of_nodes(), g.number_of_edges(), g.nodes["gov-2"]["label"], d["amount"])
`, path).CombinedOutput()
	if err != nil {
		t.Fatalf("networkx: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), `5 3 <script>alert("x")</script> & co 25200`; got != want {
		t.Errorf("networkx read %q, want %q", got, want)
	}
}
