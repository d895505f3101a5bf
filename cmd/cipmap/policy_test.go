package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// policySample is the State Council policy library sample, beside the repository.
var policySample = filepath.Join(sharedData, "samples", "policy-gov-cn", "policy_documents_sample.csv")

// analyseJSON runs policy analyse --format json and decodes its summary.
func analyseJSON(t *testing.T, db, dataset string) (policySummary, string) {
	t.Helper()
	out, errOut, code := runCLI(t, "policy", "analyse", "--db", db, "--dataset", dataset, "--format", "json")
	if code != 0 {
		t.Fatalf("policy analyse: exit %d\n%s%s", code, out, errOut)
	}
	var sum policySummary
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("policy analyse --format json: %v\n%s", err, out)
	}
	return sum, errOut
}

// The gov.cn sample goes in whole, every document number in it parses, all its
// issuers are central, instruments and technologies are tagged with evidence that
// stands in the text tagged, and a second run writes nothing.
func TestPolicyGovCNSample(t *testing.T) {
	if _, err := os.Stat(policySample); err != nil {
		t.Skipf("%s not found: the gov.cn policy sample lives in the shared data folder beside the repository (product: no)", policySample)
	}
	db := filepath.Join(t.TempDir(), "policy.duckdb")
	var ing []map[string]any
	out := mustRun(t, "ingest", "--db", db, "--format", "json", "../../examples/policy-gov-cn/mapping.yaml")
	if err := json.Unmarshal([]byte(out), &ing); err != nil {
		t.Fatalf("ingest --format json: %v\n%s", err, out)
	}
	// 1,964 policies, 141 issuing bodies, 431 issuances (the rows with an issuer).
	if got := [3]any{ing[0]["rows"], ing[0]["entities"], ing[0]["rejects"]}; got != [3]any{1964.0, 2536.0, 0.0} {
		t.Errorf("ingest rows, entities, rejects = %v, want [1964 2536 0]", got)
	}
	counts := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		`SELECT (SELECT count(*) FROM policies) AS policies, (SELECT count(*) FROM gov_bodies) AS bodies,
		        (SELECT count(*) FROM issuances) AS issuances`))
	if c := counts[0]; c["policies"] != "1964" || c["bodies"] != "141" || c["issuances"] != "431" {
		t.Errorf("entities = %v, want 1964 policies, 141 bodies, 431 issuances", c)
	}

	sum, errOut := analyseJSON(t, db, "govcn-policies")
	got := []int{sum.Policies, sum.WithNumber, sum.Parsed, sum.Malformed, sum.ByLevel["central"], sum.ByLevel["unknown"], sum.GovBodies}
	want := []int{1964, 414, 414, 0, 431, 1533, 141}
	for i, name := range []string{"policies", "with a number", "parsed", "malformed", "central", "level unknown (no issuer)", "bodies with a level"} {
		if got[i] != want[i] {
			t.Errorf("%s = %d, want %d", name, got[i], want[i])
		}
	}
	if sum.State != "loaded" || len(sum.Warnings) != 0 || strings.Contains(errOut, "warning") {
		t.Errorf("first analysis: state %s, %d warnings\n%s", sum.State, len(sum.Warnings), errOut)
	}
	for _, lv := range []string{"provincial", "municipal", "county"} {
		if sum.ByLevel[lv] != 0 {
			t.Errorf("%d %s policies in the State Council library, want 0", sum.ByLevel[lv], lv)
		}
	}
	found := map[string]int{}
	for _, in := range sum.Instruments {
		found[in.ID] = in.Policies
	}
	for _, id := range []string{"subsidy", "credit", "tax-relief", "guidance-fund", "procurement", "listing"} {
		if found[id] == 0 {
			t.Errorf("no policy uses instrument %s; found %v", id, found)
		}
	}
	if len(sum.Tags) == 0 || sum.Tags[0].Count < 10 {
		t.Errorf("technology tags: %v", sum.Tags)
	}

	// The parts of a joint ministry number, and its level.
	rows := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		`SELECT document_code, document_year, document_serial, joint, level, region FROM policies WHERE document_number LIKE '工信部联规%2026%186号'`))
	if len(rows) != 1 || rows[0]["document_code"] != "工信部联规" || rows[0]["document_year"] != "2026" || rows[0]["document_serial"] != "186" ||
		rows[0]["joint"] != "yes" || rows[0]["level"] != "central" || rows[0]["region"] != "中华人民共和国" {
		t.Errorf("工信部联规〔2026〕186号 = %v", rows)
	}

	// Every tag row carries evidence found in the value tagged, and leads back to the
	// statement tagged and its record.
	tags := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		`SELECT t.system, t.tag, t.method, t.evidence, t.value, t.source, s.source AS stmt_source, s.dataset AS stmt_dataset
		   FROM tags t LEFT JOIN statements s ON s.id = t.statement_id WHERE t.dataset = 'policy.govcn-policies'`))
	bySystem := map[string]int{}
	for _, r := range tags {
		bySystem[r["system"]]++
		if r["method"] != "rule" || r["evidence"] == "" || r["stmt_dataset"] != "govcn-policies" ||
			r["source"] != "govcn-policies "+r["stmt_source"] || !strings.HasPrefix(r["stmt_source"], "policy_documents_sample.csv:") {
			t.Errorf("tag row without method, evidence or provenance: %v", r)
			continue
		}
		for _, ev := range strings.Split(r["evidence"], "; ") {
			text, rest, _ := strings.Cut(ev, "→")
			if r["system"] == "instrument" {
				_, off, _ := strings.Cut(rest, "@")
				n, err := strconv.Atoi(off)
				if err != nil || n+len(text) > len(r["value"]) || r["value"][n:n+len(text)] != text {
					t.Errorf("instrument evidence %q does not stand at its offset in %q", ev, r["value"])
				}
			} else if !strings.Contains(r["value"], text) {
				t.Errorf("tag evidence %q is not in %q", ev, r["value"])
			}
		}
	}
	if bySystem["instrument"] == 0 || bySystem["ctt"] == 0 {
		t.Errorf("tag rows by system = %v, want instrument and ctt rows", bySystem)
	}

	// Targeting relations: one per policy and instrument or tag.
	tg := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		`SELECT count(DISTINCT policy) FILTER (WHERE instrument = 'subsidy') AS subsidy,
		        count(*) FILTER (WHERE evidence IS NULL OR method IS NULL) AS bare FROM targetings`))
	if tg[0]["subsidy"] != strconv.Itoa(found["subsidy"]) || tg[0]["bare"] != "0" {
		t.Errorf("targetings = %v; want %d policies using subsidies, none without evidence", tg, found["subsidy"])
	}
	list := csvRows(t, mustRun(t, "policy", "list", "--db", db, "--dataset", "govcn-policies", "--instrument", "subsidy", "--format", "csv"))
	if len(list) != found["subsidy"] {
		t.Errorf("policy list --instrument subsidy: %d policies, want %d", len(list), found["subsidy"])
	}
	list = csvRows(t, mustRun(t, "policy", "list", "--db", db, "--dataset", "govcn-policies", "--level", "central",
		"--from", "2026-08", "--to", "2026-08-14", "--format", "csv"))
	for _, r := range list {
		if r["level"] != "central" || !strings.HasPrefix(r["date"], "2026-08") {
			t.Errorf("policy list --level central --from 2026-08: %v", r)
		}
	}
	if len(list) == 0 {
		t.Error("policy list --level central --from 2026-08: no policy")
	}

	again, _ := analyseJSON(t, db, "govcn-policies")
	if again.State != "unchanged" || again.Parsed != sum.Parsed || again.TagRows != sum.TagRows {
		t.Errorf("second analysis: state %s, %d parsed, %d tag rows; want unchanged, %d, %d", again.State, again.Parsed, again.TagRows, sum.Parsed, sum.TagRows)
	}
}

// A document number that cannot be read is kept as text with a warning that names
// the entity, its record and the value; the policy is analysed all the same.
func TestPolicyMalformedNumberKept(t *testing.T) {
	db := filepath.Join(t.TempDir(), "policy.duckdb")
	mustRun(t, "ingest", "--db", db, "testdata/policy-malformed/mapping.yaml")
	sum, errOut := analyseJSON(t, db, "policy-malformed")
	if sum.Policies != 5 || sum.WithNumber != 4 || sum.Parsed != 2 || sum.Malformed != 2 {
		t.Errorf("policies %d, with number %d, parsed %d, malformed %d; want 5, 4, 2, 2", sum.Policies, sum.WithNumber, sum.Parsed, sum.Malformed)
	}
	for _, want := range []string{`policies.csv:2): kept as text: document number "国发〔20〕8号": year "20"`,
		`policies.csv:3): kept as text: document number "见附件": no serial number`} {
		if !strings.Contains(errOut, want) {
			t.Errorf("no warning %q in:\n%s", want, errOut)
		}
	}
	if len(sum.Warnings) != 2 || sum.Warnings[0].Value != "国发〔20〕8号" || !strings.HasPrefix(sum.Warnings[0].EntityID, "test-policy-") {
		t.Errorf("warnings = %+v", sum.Warnings)
	}
	if got := [4]int{sum.ByLevel["central"], sum.ByLevel["provincial"], sum.ByLevel["municipal"], sum.ByLevel["unknown"]}; got != [4]int{2, 1, 1, 1} {
		t.Errorf("by level central, provincial, municipal, unknown = %v, want [2 1 1 1]", got)
	}
	list := csvRows(t, mustRun(t, "policy", "list", "--db", db, "--dataset", "policy-malformed", "--format", "csv"))
	byTitle := map[string]map[string]string{}
	for _, r := range list {
		byTitle[r["title"]] = r
	}
	if len(list) != 5 {
		t.Fatalf("policy list: %d policies, want all 5", len(list))
	}
	ic := byTitle["国务院关于促进集成电路产业和软件产业高质量发展的若干政策"]
	if ic["document_number"] != "国发[20]8号" || !strings.Contains(ic["warning"], "kept as text") || ic["level"] != "central" ||
		ic["instruments"] != "guidance-fund listing tax-relief" || !strings.HasPrefix(ic["tags"], "semiconductors:") {
		t.Errorf("policy with a malformed number: %v", ic)
	}
	gd := byTitle["广东省关于加快工业机器人产业发展的意见"]
	if gd["level"] != "provincial" || gd["region"] != "广东省" || gd["document_number"] != "见附件" || !strings.Contains(gd["tags"], "industrial-robots") {
		t.Errorf("provincial policy: %v", gd)
	}
	if sz := byTitle["深圳市支持人工智能企业发展的若干措施"]; sz["level"] != "municipal" || sz["region"] != "深圳市" || sz["instruments"] != "credit" {
		t.Errorf("municipal policy: %v", sz)
	}
	out := mustRun(t, "policy", "list", "--db", db, "--dataset", "policy-malformed", "--tag", "information-technology", "--format", "csv")
	if n := len(csvRows(t, out)); n != 2 {
		t.Errorf("--tag information-technology (with its subtree): %d policies, want 2\n%s", n, out)
	}
}

func TestPolicyNumberCommand(t *testing.T) {
	rows := csvRows(t, mustRun(t, "policy", "number", "--format", "csv", "国发〔2015〕28号", "工信部联节﹝2026﹞59号",
		"国市监网监发〔2025〕114 号", "京政发[2020]3号", "国令第843号", "财政部", "税务总局", "工业和信息化部公告2026年第19号", "第37号"))
	want := []struct{ code, issuers, joint, year, serial, level, region string }{
		{"国发", "国务院", "no", "2015", "28", "central", "中华人民共和国"},
		{"工信部联节", "工业和信息化部", "yes", "2026", "59", "central", "中华人民共和国"},
		{"国市监网监发", "市场监管总局", "no", "2025", "114", "central", "中华人民共和国"},
		{"京政发", "北京市人民政府", "no", "2020", "3", "provincial", "北京市"},
		{"国令", "国务院", "no", "", "843", "central", "中华人民共和国"},
		{"", "财政部、国家税务总局、工业和信息化部", "yes", "2026", "19", "central", "中华人民共和国"},
		{"", "", "", "", "37", "unknown", ""},
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d (the unquoted 财政部 税务总局 … rejoined)", len(rows), len(want))
	}
	for i, w := range want {
		r := rows[i]
		if got := (struct{ code, issuers, joint, year, serial, level, region string }{r["code"], r["issuers"], r["joint"], r["year"],
			r["serial"], r["level"], r["region"]}); got != w {
			t.Errorf("%s = %+v, want %+v", r["input"], got, w)
		}
		if r["rule"] == "" {
			t.Errorf("%s: no rule", r["input"])
		}
	}
	out, errOut, code := runCLI(t, "policy", "number", "国发〔2015〕28号", "见附件")
	if code != ExitInvalid || !strings.Contains(errOut, `"见附件": no serial number`) || !strings.Contains(out, "国务院") {
		t.Errorf("a malformed number: exit %d, want %d with the other still printed\n%s%s", code, ExitInvalid, out, errOut)
	}
}

func TestPolicyInstrumentsCommand(t *testing.T) {
	rows := csvRows(t, mustRun(t, "policy", "instruments", "--format", "csv"))
	mast := map[string]string{}
	for _, r := range rows {
		mast[r["id"]] = r["mast"]
	}
	for id, want := range map[string]string{"guidance-fund": "L", "subsidy": "L", "procurement": "M", "export-control": "P", "tariff": "-"} {
		if mast[id] != want {
			t.Errorf("instrument %s: MAST chapter %q, want %q", id, mast[id], want)
		}
	}
	rows = csvRows(t, mustRun(t, "policy", "instruments", "--format", "csv", "设立政府引导基金，支持企业在科创板上市，并给予贷款贴息，不包括补贴"))
	got := map[string]string{}
	for _, r := range rows {
		got[r["instrument"]] = r["evidence"]
	}
	if got["guidance-fund"] != "政府引导基金→政府引导基金@6" || got["credit"] != "贷款贴息→贷款贴息@69" || !strings.HasPrefix(got["listing"], "科创板→科创板@42") {
		t.Errorf("instruments with evidence = %v", got)
	}
	if _, ok := got["subsidy"]; ok {
		t.Errorf("negated 补贴 counted as a subsidy: %v", got)
	}
}
