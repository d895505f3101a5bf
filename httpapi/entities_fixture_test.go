package httpapi

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/ownership"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/schema"
)

// csvQuote quotes a CSV field.
func csvQuote(s string) string {
	out := `"`
	for _, r := range s {
		if r == '"' {
			out += `""`
		} else {
			out += string(r)
		}
	}
	return out + `"`
}

// entityFiles are a small policy world whose person, fund, government body, policy
// and program are each named with one of the two attacking strings:
//
//	g1 (<script> 财政部) ─40%→ fd2 (img 母基金) ─50%→ fd1 (<script> 基金) ─investment 1,000,000→ f1 华为
//	g2 (img 国资委) ─20%→ fd1;  f2 大疆 ─30%→ fd1 (a firm: not government capital)
//	g1 ─grant 500,000 under pg1→ f1;  g1, g2 issue po1 (国发〔2015〕28号), which targets semiconductors
//	pg1 (<script> 计划, founded by po1) designates f1 (2021), f2 (2021, 2022); pg2 (img) nothing
//	p1 (<script>) chairs f1; p2 (img) holds 10% of f2
//
// so fd1's government capital looked through is 20% + 50% × 40% = 40%.
var entityFiles = map[string]string{
	"persons.csv": "id,name,name_en\n" +
		"p1," + csvQuote(xssScript) + ",Zhang San\n" +
		"p2," + csvQuote(xssImg) + ",Li Si\n",
	"firms.csv": "id,name,name_en\nf1,华为技术有限公司,Huawei Technologies Co. Ltd.\nf2,深圳市大疆创新科技有限公司,SZ DJI Technology Co. Ltd.\n",
	"bodies.csv": "id,name,name_en,level\n" +
		"g1," + csvQuote(xssScript+"财政部") + ",Ministry of Finance,central\n" +
		"g2," + csvQuote(xssImg+"国资委") + ",SASAC,central\n",
	"funds.csv": "id,name,fund_type\n" +
		"fd1," + csvQuote(xssScript+"产业投资基金") + ",产业投资基金\n" +
		"fd2," + csvQuote(xssImg+"母基金") + ",母基金\n",
	"policies.csv": "id,title,document_number,level,date\n" +
		"po1," + csvQuote(xssScript+"关于印发《中国制造2025》的通知") + ",国发〔2015〕28号,central,2015-05-08\n" +
		"po2," + csvQuote(xssImg+"规划") + ",国发〔2017〕35号,central,2017-07-08\n",
	"programs.csv": "id,name,name_en,policy\n" +
		"pg1," + csvQuote(xssScript+"计划") + ",Plan,po1\n" +
		"pg2," + csvQuote(xssImg+"名单") + ",List,\n",
	"partners.csv": "id,owner_kind,owner,fund,share,capital\n" +
		"fp1,gov,g1,fd2,40%,400000000\nfp2,fund,fd2,fd1,50%,500000000\nfp3,gov,g2,fd1,20%,200000000\nfp4,firm,f2,fd1,30%,300000000\n",
	"investments.csv": "id,investor,investee,amount,currency,date\niv1,fd1,f1,1000000,CNY,2021-03-01\n",
	"grants.csv":      "id,grantor,recipient,program,amount,currency,date,project\ngr1,g1,f1,pg1,500000,CNY,2022-05-01,芯片攻关\n",
	"issuances.csv":   "policy,body,role,rank\npo1,g1,牵头,1\npo1,g2,联合,2\n",
	"targetings.csv":  "id,policy,tag,label,weight,evidence,method\ntg1,po1,semiconductors,集成电路,0.5,“集成电路”,human\n",
	"designations.csv": "id,program,firm,year,list\n" +
		"ds1,pg1,f1,2021,第一批\nds2,pg1,f2,2021,第一批\nds3,pg1,f2,2022,第二批\n",
	"directorships.csv": "person,firm,role,start\np1,f1,董事长,2019-01-01\n",
	"holdings.csv":      "owner,asset,share\np2,f2,10%\n",
}

const entityMapping = `dataset: {name: policyworld, title: test policy world, licence: test}
parts:
  - source: {path: persons.csv}
    entities:
      - {key: p, schema: Person, id: {columns: [id], prefix: t}, properties: {name: {column: name, lang: zh}, name_en: {column: name_en, lang: en}}}
  - source: {path: firms.csv}
    entities:
      - {key: f, schema: Firm, id: {columns: [id], prefix: t}, properties: {name: {column: name, lang: zh}, name_en: {column: name_en, lang: en}}}
  - source: {path: bodies.csv}
    entities:
      - {key: g, schema: GovBody, id: {columns: [id], prefix: t}, properties: {name: {column: name, lang: zh}, name_en: {column: name_en, lang: en}, level: level}}
  - source: {path: funds.csv}
    entities:
      - {key: fd, schema: Fund, id: {columns: [id], prefix: t}, properties: {name: name, fund_type: fund_type}}
  - source: {path: policies.csv}
    entities:
      - {key: po, schema: Policy, id: {columns: [id], prefix: t}, properties: {title: title, document_number: document_number, level: level, date: date}}
  - source: {path: programs.csv}
    entities:
      - {key: pol, schema: Policy, id: {columns: [policy], prefix: t}}
      - {key: pg, schema: Program, id: {columns: [id], prefix: t}, properties: {name: name, name_en: name_en, policy: {entity: pol}}}
  - source: {path: partners.csv}
    entities:
      - {key: og, schema: GovBody, id: {columns: [owner], prefix: t}, when: {column: owner_kind, equals: [gov]}}
      - {key: of, schema: Fund, id: {columns: [owner], prefix: t}, when: {column: owner_kind, equals: [fund]}}
      - {key: ofi, schema: Firm, id: {columns: [owner], prefix: t}, when: {column: owner_kind, equals: [firm]}}
      - {key: fund, schema: Fund, id: {columns: [fund], prefix: t}}
      - {key: hg, schema: Ownership, id: {columns: [id], prefix: h}, when: {column: owner_kind, equals: [gov]}, properties: {owner: {entity: og}, asset: {entity: fund}, percentage: share, capital: capital}}
      - {key: hf, schema: Ownership, id: {columns: [id], prefix: h}, when: {column: owner_kind, equals: [fund]}, properties: {owner: {entity: of}, asset: {entity: fund}, percentage: share, capital: capital}}
      - {key: hfi, schema: Ownership, id: {columns: [id], prefix: h}, when: {column: owner_kind, equals: [firm]}, properties: {owner: {entity: ofi}, asset: {entity: fund}, percentage: share, capital: capital}}
  - source: {path: investments.csv}
    entities:
      - {key: a, schema: Fund, id: {columns: [investor], prefix: t}}
      - {key: b, schema: Firm, id: {columns: [investee], prefix: t}}
      - {key: iv, schema: Investment, id: {columns: [id], prefix: r}, properties: {investor: {entity: a}, investee: {entity: b}, amount: amount, currency: currency, date: date}}
  - source: {path: grants.csv}
    entities:
      - {key: a, schema: GovBody, id: {columns: [grantor], prefix: t}}
      - {key: b, schema: Firm, id: {columns: [recipient], prefix: t}}
      - {key: c, schema: Program, id: {columns: [program], prefix: t}}
      - {key: gr, schema: Grant, id: {columns: [id], prefix: r}, properties: {grantor: {entity: a}, recipient: {entity: b}, program: {entity: c}, amount: amount, currency: currency, date: date, project_name: project}}
  - source: {path: issuances.csv}
    entities:
      - {key: a, schema: GovBody, id: {columns: [body], prefix: t}}
      - {key: b, schema: Policy, id: {columns: [policy], prefix: t}}
      - {key: is, schema: Issuance, id: {columns: [policy, body], prefix: r}, properties: {issuer: {entity: a}, policy: {entity: b}, role: role, rank: rank}}
  - source: {path: targetings.csv}
    entities:
      - {key: b, schema: Policy, id: {columns: [policy], prefix: t}}
      - {key: tg, schema: Targeting, id: {columns: [id], prefix: r}, properties: {policy: {entity: b}, target_tag: tag, original_label: label, weight: weight, evidence: evidence, method: method}}
  - source: {path: designations.csv}
    entities:
      - {key: a, schema: Program, id: {columns: [program], prefix: t}}
      - {key: b, schema: Firm, id: {columns: [firm], prefix: t}}
      - {key: ds, schema: Designation, id: {columns: [id], prefix: r}, properties: {program: {entity: a}, firm: {entity: b}, year: year, list_name: list}}
  - source: {path: directorships.csv}
    entities:
      - {key: a, schema: Person, id: {columns: [person], prefix: t}}
      - {key: b, schema: Firm, id: {columns: [firm], prefix: t}}
      - {key: d, schema: Directorship, id: {columns: [person, firm], prefix: r}, properties: {director: {entity: a}, organization: {entity: b}, role: role, start_date: start}}
  - source: {path: holdings.csv}
    entities:
      - {key: a, schema: Person, id: {columns: [owner], prefix: t}}
      - {key: b, schema: Firm, id: {columns: [asset], prefix: t}}
      - {key: h, schema: Ownership, id: {columns: [owner, asset], prefix: h}, properties: {owner: {entity: a}, asset: {entity: b}, percentage: share}}
`

// ingestFiles writes files and a mapping to a temporary directory and ingests them
// into a new DuckDB store.
func ingestFiles(t testing.TB, files map[string]string, mapping string) cipmap.Store {
	t.Helper()
	dir := t.TempDir()
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mp := filepath.Join(dir, "mapping.yaml")
	if err := os.WriteFile(mp, []byte(mapping), 0o644); err != nil {
		t.Fatal(err)
	}
	return ingestMappings(t, dir, mp)
}

// ingestMappings ingests mapping files into a new DuckDB store in dir.
func ingestMappings(t testing.TB, dir string, mappings ...string) cipmap.Store {
	t.Helper()
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	st, err := duckdb.Open(context.Background(), filepath.Join(dir, "t.duckdb"), duckdb.Options{Schemas: schemas})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return ingestInto(t, st, schemas, mappings...)
}

// ingestInto ingests mapping files into st.
func ingestInto(t testing.TB, st cipmap.Store, schemas cipmap.Schemas, mappings ...string) cipmap.Store {
	t.Helper()
	ctx := context.Background()
	for _, mp := range mappings {
		m, err := ingest.LoadMapping(mp, schemas)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ingest.Run(ctx, st, m, ingest.Options{}); err != nil {
			t.Fatalf("ingest %s: %v", mp, err)
		}
	}
	return st
}

// serveStore serves st as cipmap serve would, with a match index and ownership.
func serveStore(t testing.TB, st cipmap.Store) *testServer {
	t.Helper()
	s, err := New(Config{
		Store: st,
		Index: func(ctx context.Context) (*resolve.Index, error) { return firmIndex(ctx, st) },
		Ownership: func(ctx context.Context, ids []string, down bool) (*ownership.View, error) {
			n, err := ownership.Around(ctx, st, ids, ownership.FromTime(time.Now()), ownership.DefaultOptions(), down)
			if err != nil {
				return nil, err
			}
			return n.View, nil
		},
		Now:  func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) },
		Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := &testServer{store: st, Server: httptest.NewServer(s)}
	t.Cleanup(ts.Close)
	return ts
}

func newEntityServer(t testing.TB) *testServer {
	t.Helper()
	return serveStore(t, ingestFiles(t, entityFiles, entityMapping))
}
