package main

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/trace"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/gen"
)

// traceWorld generates a small world with its policy layer and ingests it once for
// the tests of this file.
func traceWorld(t testing.TB) (db, dir string) {
	t.Helper()
	dir = t.TempDir()
	res, err := gen.World(filepath.Join(dir, "world"), gen.WorldOptions{Firms: 1500, Records: -1, Policy: true, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	db = filepath.Join(dir, "t.duckdb")
	mustRun(t, append([]string{"ingest", "--db", db, "--quiet"}, res.Mappings...)...)
	return db, filepath.Join(dir, "world")
}

func worldID(prefix, key string) string {
	h := sha1.Sum([]byte(key + "\x1f"))
	return prefix + "-" + hex.EncodeToString(h[:])[:16]
}

func readTruth(t *testing.T, path string) []map[string]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range rows[1:] {
		m := map[string]string{}
		for i, c := range rows[0] {
			m[c] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestTraceGovBodies: the trace from every government body of the generated world
// reaches exactly the firms the generator funded through it (truth/gov_reach.csv:
// guidance funds looked through, subsidies, procurement), with the amounts of the
// truth to the fen, channel by channel.
func TestTraceGovBodies(t *testing.T) {
	db, dir := traceWorld(t)
	channel := map[string]string{"guidance-fund": "investment", "subsidy": "grant", "procurement": "contract"}
	want := map[string]map[string]float64{} // gov → "firm channel" → yuan
	for _, r := range readTruth(t, filepath.Join(dir, "truth", "gov_reach.csv")) {
		g := worldID("world-gov", r["gov_id"])
		if want[g] == nil {
			want[g] = map[string]float64{}
		}
		v, _ := strconv.ParseFloat(r["amount_cny"], 64)
		want[g][worldID("world-firm", r["firm_id"])+" "+channel[r["channel"]]] += v
	}
	// Every body of the world, including those that gave nothing.
	out := mustRun(t, "query", "--db", db, "--format", "json", "SELECT DISTINCT id FROM entity WHERE schema = 'GovBody' ORDER BY id")
	var bodies []map[string]string
	if err := json.Unmarshal([]byte(out), &bodies); err != nil {
		t.Fatal(err)
	}
	if len(bodies) < 50 || len(want) < 20 {
		t.Fatalf("%d bodies, %d with reach in the truth", len(bodies), len(want))
	}
	pairs, worst := 0, 0.0
	for _, b := range bodies {
		g := b["id"]
		out := mustRun(t, "trace", "--db", db, "--format", "json", "--subsidiaries", "0", g)
		var res struct {
			Firms []struct {
				Firm      struct{ ID string }
				ByChannel map[string]float64 `json:"by_channel"`
			}
		}
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("trace %s: %v", g, err)
		}
		got := map[string]float64{}
		for _, f := range res.Firms {
			for ch, v := range f.ByChannel {
				if ch == "loan" {
					continue // banks lend, not bodies; none here
				}
				got[f.Firm.ID+" "+ch] = v
			}
		}
		for k, w := range want[g] {
			pairs++
			v, ok := got[k]
			worst = math.Max(worst, math.Abs(v-w))
			if !ok || math.Abs(v-w) > 0.01 {
				t.Errorf("trace %s: %s: %.2f yuan (reached %v), the truth %.2f", g, k, v, ok, w)
			}
			delete(got, k)
		}
		for k, v := range got {
			t.Errorf("trace %s: %s: %.2f yuan, not in the truth", g, k, v)
		}
	}
	t.Logf("%d body-firm-channel pairs of the truth reached, the largest difference %.6f yuan", pairs, worst)
}

// TestTraceAttribution checks the chains of one national fund's body against
// truth/fund_attribution.csv: the same chains of funds, the same shares.
func TestTraceAttribution(t *testing.T) {
	db, dir := traceWorld(t)
	rows := readTruth(t, filepath.Join(dir, "truth", "fund_attribution.csv"))
	// The body with the most attribution rows through chains of three funds.
	count := map[string]int{}
	for _, r := range rows {
		if strings.Count(r["chain"], ">") == 2 {
			count[r["gov_id"]]++
		}
	}
	gov, best := "", 0
	for g, n := range count {
		if n > best || n == best && g < gov {
			gov, best = g, n
		}
	}
	if gov == "" {
		t.Fatal("no chain of three funds in the truth")
	}
	want := map[string]float64{} // "chain|investment" → share
	for _, r := range rows {
		if r["gov_id"] != gov {
			continue
		}
		var ch []string
		for _, f := range strings.Split(r["chain"], ">") {
			ch = append(ch, worldID("world-fund", f))
		}
		s, _ := strconv.ParseFloat(r["share"], 64)
		want[strings.Join(ch, ">")+"|"+worldID("world-investment", r["investment_id"])] = s
	}
	out := mustRun(t, "trace", "--db", db, "--format", "json", "--subsidiaries", "0", "--channel", "investment", worldID("world-gov", gov))
	var res struct {
		Reaches []struct {
			Share float64
			Chain []struct{ ID, Schema, From, To, Dataset, Source string }
		}
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, r := range res.Reaches {
		var funds []string
		for _, e := range r.Chain {
			if e.Dataset == "" || e.Source == "" {
				t.Errorf("edge %s without provenance", e.ID)
			}
			if e.Schema == "Ownership" {
				funds = append(funds, e.To)
			}
		}
		last := r.Chain[len(r.Chain)-1]
		got[strings.Join(funds, ">")+"|"+last.ID] = r.Share
	}
	if len(got) != len(want) {
		t.Errorf("%d chains, the truth %d", len(got), len(want))
	}
	for k, w := range want {
		if g, ok := got[k]; !ok || math.Abs(g-w) > 1e-8 {
			t.Errorf("chain %s: share %v (found %v), the truth %v", k, g, ok, w)
		}
	}
}

// TestFlows lists the world's flows: every channel, USD converted at the shipped
// rate, provenance on every row, and the filters.
func TestFlows(t *testing.T) {
	db, dir := traceWorld(t)
	out := mustRun(t, "flows", "--db", db, "--format", "json")
	var flows []struct {
		ID, Channel, Giver, Receiver, Currency, Dataset, Source, Date string
		Amount                                                        *float64
		AmountCNY                                                     *float64 `json:"amount_cny"`
	}
	if err := json.Unmarshal([]byte(out), &flows); err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	usd := 0
	for _, f := range flows {
		by[f.Channel]++
		if f.Dataset == "" || !strings.Contains(f.Source, ".csv:") || f.Receiver == "" {
			t.Fatalf("flow without provenance or receiver: %+v", f)
		}
		if f.Currency == "USD" {
			usd++
		}
	}
	for _, ch := range []string{"investment", "grant", "loan", "contract", "listing"} {
		if by[ch] == 0 {
			t.Errorf("no %s flows: %v", ch, by)
		}
	}
	// The investments' yuan amounts are the truth's.
	truth := map[string]float64{}
	for _, r := range readTruth(t, filepath.Join(dir, "truth", "fund_attribution.csv")) {
		truth[worldID("world-investment", r["investment_id"])], _ = strconv.ParseFloat(r["amount_cny"], 64)
	}
	checked := 0
	for _, f := range flows {
		if w, ok := truth[f.ID]; ok {
			checked++
			if f.AmountCNY == nil || math.Abs(*f.AmountCNY-w) > 0.01 {
				t.Errorf("%s: %v yuan, the truth %v", f.ID, f.AmountCNY, w)
			}
		}
	}
	if checked == 0 || usd == 0 {
		t.Errorf("%d investments checked against the truth, %d in USD", checked, usd)
	}
	// Filters: one channel, a date window, constant prices.
	out = mustRun(t, "flows", "--db", db, "--format", "csv", "--channel", "grant", "--from", "2021", "--to", "2021", "--prices", "constant", "--base-year", "2020")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) < 2 || !strings.Contains(lines[0], "amount_cny_2020") {
		t.Fatalf("flows --channel grant 2021: %.300s", out)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "grant,2021") {
			t.Fatalf("flows --channel grant --from 2021 --to 2021: row %s", l)
		}
	}
	g := flows[0].Giver
	if g == "" {
		for _, f := range flows {
			if f.Giver != "" {
				g = f.Giver
				break
			}
		}
	}
	out = mustRun(t, "flows", "--db", db, "--format", "json", "--giver", g)
	var mine []struct{ Giver string }
	json.Unmarshal([]byte(out), &mine)
	n := 0
	for _, f := range flows {
		if f.Giver == g {
			n++
		}
	}
	if len(mine) != n || n == 0 {
		t.Errorf("--giver %s: %d flows, want %d", g, len(mine), n)
	}
}

// TestPathKnownChain: between a body and a firm a fund of its funds invested in,
// path finds the chain body → fund ... → firm with its provenance.
func TestPathKnownChain(t *testing.T) {
	db, dir := traceWorld(t)
	var r map[string]string
	for _, x := range readTruth(t, filepath.Join(dir, "truth", "fund_attribution.csv")) {
		if strings.Count(x["chain"], ">") == 1 {
			r = x
			break
		}
	}
	if r == nil {
		t.Fatal("no two-fund chain in the truth")
	}
	gov, firm := worldID("world-gov", r["gov_id"]), worldID("world-firm", r["firm_id"])
	out := mustRun(t, "path", "--db", db, "--format", "json", "--max", "50", gov, firm)
	var paths []struct {
		Nodes []struct{ ID string }
		Edges []struct{ ID, Schema, Dataset, Source string }
	}
	if err := json.Unmarshal([]byte(out), &paths); err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no path from %s to %s", gov, firm)
	}
	n := len(paths[0].Edges)
	if n > 3 {
		t.Errorf("shortest chain of %d edges; the truth's chain has 3", n)
	}
	for _, p := range paths {
		if len(p.Edges) != n || p.Nodes[0].ID != gov || p.Nodes[len(p.Nodes)-1].ID != firm {
			t.Errorf("path %+v", p)
		}
		for _, e := range p.Edges {
			if e.Dataset == "" || e.Source == "" {
				t.Errorf("edge %s without provenance", e.ID)
			}
		}
	}
	// The truth's chain is among them when it is a shortest one.
	if n == 3 {
		want := []string{gov, worldID("world-fund", strings.Split(r["chain"], ">")[0]), worldID("world-fund", r["investor_id"]), firm}
		found := false
		for _, p := range paths {
			var ids []string
			for _, x := range p.Nodes {
				ids = append(ids, x.ID)
			}
			found = found || strings.Join(ids, " ") == strings.Join(want, " ")
		}
		if !found {
			t.Errorf("the truth's chain %v is not among the %d shortest", want, len(paths))
		}
	}
	stdout, _, code := runCLI(t, "path", "--db", db, gov, "no-such-entity")
	if code != ExitNotFound {
		t.Errorf("path to a missing entity: exit %d\n%s", code, stdout)
	}
}

// TestTraceCommand: names resolve, usage errors are usage errors, and the table and
// csv output carry the chains' provenance.
func TestTraceCommand(t *testing.T) {
	db, _ := traceWorld(t)
	out := mustRun(t, "trace", "--db", db, "中华人民共和国财政部")
	if !strings.Contains(out, "funds looked through") || !strings.Contains(out, "firms reached") {
		t.Errorf("trace 财政部:\n%.500s", out)
	}
	out = mustRun(t, "trace", "--db", db, "--format", "csv", "--depth", "2", "中华人民共和国财政部")
	if !strings.Contains(out, "state/fund_partners.csv:") || !strings.Contains(out, "flows/investments.csv:") {
		t.Errorf("trace --format csv has no provenance:\n%.500s", out)
	}
	for _, args := range [][]string{
		{"trace", "--db", db},
		{"trace", "--db", db, "--prices", "nominal", "x"},
		{"trace", "--db", db, "--at", "2020/01/01", "x"},
	} {
		if _, _, code := runCLI(t, args...); code != ExitUsage && code != ExitInvalid {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if _, _, code := runCLI(t, "trace", "--db", db, "没有这个机构"); code != ExitNotFound {
		t.Errorf("unknown FROM: exit %d", code)
	}
}

// TestEdgeTableMatchesStatements: the edges a trace reads from the edges table are
// the edges it reads from the statements (a file from before that table), for every
// role, in both directions, around every government body and fund of a world.
func TestEdgeTableMatchesStatements(t *testing.T) {
	db, _ := traceWorld(t)
	ctx := context.Background()
	m := NewMain()
	defer m.Close()
	st, err := m.openStore(ctx, db, true)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := st.Query(ctx, "SELECT DISTINCT id FROM entity WHERE schema IN ('GovBody', 'Fund', 'Program', 'Policy') ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range tab.Rows {
		ids = append(ids, r[0].(string))
	}
	schemas, err := schema.Load()
	if err != nil {
		t.Fatal(err)
	}
	fast := &trace.StoreSource{Store: st}
	slow := &trace.StoreSource{Store: st, Statements: true}
	key := func(es []trace.Edge) []string {
		var out []string
		for _, e := range es {
			b, _ := json.Marshal(e)
			out = append(out, string(b))
		}
		sort.Strings(out)
		return out
	}
	n := 0
	for _, c := range []struct {
		dir   trace.Dir
		roles []trace.Role
	}{{trace.Out, trace.MoneyRoles()}, {trace.In, trace.MoneyRoles()}, {trace.Both, trace.AllRoles(schemas)}} {
		dir, roles := c.dir, c.roles
		a, err := fast.Edges(ctx, ids, dir, roles)
		if err != nil {
			t.Fatal(err)
		}
		b, err := slow.Edges(ctx, ids, dir, roles)
		if err != nil {
			t.Fatal(err)
		}
		ka, kb := key(a), key(b)
		n += len(ka)
		if len(ka) != len(kb) {
			t.Errorf("dir %d: %d edges from the table, %d from the statements", dir, len(ka), len(kb))
		}
		for i := 0; i < min(len(ka), len(kb)); i++ {
			if ka[i] != kb[i] {
				t.Errorf("dir %d: first difference:\ntable      %s\nstatements %s", dir, ka[i], kb[i])
				break
			}
		}
	}
	if n < 1000 {
		t.Errorf("only %d edges around %d entities", n, len(ids))
	}
	t.Logf("%d edges around %d entities agree", n, len(ids))
}

// TestTracePatentsByTag: the patents a trace reports by tag are those of the firms
// it reached and their subsidiaries, counted fractionally as cipmap patents tag
// weighs them, summed independently here from the firms the trace lists.
func TestTracePatentsByTag(t *testing.T) {
	db, _ := traceWorld(t)
	mustRun(t, "patents", "tag", "--db", db)
	out := mustRun(t, "query", "--db", db, "--format", "csv", "SELECT id FROM entity WHERE schema = 'Fund' ORDER BY id LIMIT 1")
	fund := strings.TrimSpace(strings.Split(strings.TrimSpace(out), "\n")[1])
	var res struct {
		Firms []struct {
			Firm struct{ ID string }
		}
		Subsidiaries []struct {
			Firm struct{ ID string }
		}
		Patents []struct {
			Tag     string
			Patents float64
			Firms   int
		}
	}
	if err := json.Unmarshal([]byte(mustRun(t, "trace", "--db", db, "--format", "json", fund)), &res); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range res.Firms {
		ids = append(ids, "'"+f.Firm.ID+"'")
	}
	for _, s := range res.Subsidiaries {
		ids = append(ids, "'"+s.Firm.ID+"'")
	}
	if len(ids) == 0 || len(res.Patents) == 0 {
		t.Fatalf("trace from %s: %d firms, %d patent tags", fund, len(ids), len(res.Patents))
	}
	want := mustRun(t, "query", "--db", db, "--format", "json", `SELECT t.tag, sum(t.weight / p.applicants) AS n, count(DISTINCT p.applicant_id) AS firms
		FROM patent_facts p JOIN patent_tags t ON t.patent_id = p.patent_id
		WHERE t.system = 'ctt' AND t.weight > 0 AND p.applicant_id IN (`+strings.Join(ids, ", ")+`) GROUP BY t.tag`)
	var rows []map[string]any
	if err := json.Unmarshal([]byte(want), &rows); err != nil {
		t.Fatal(err)
	}
	exp := map[string][2]float64{}
	for _, r := range rows {
		n, _ := strconv.ParseFloat(fmt.Sprint(r["n"]), 64)
		f, _ := strconv.ParseFloat(fmt.Sprint(r["firms"]), 64)
		exp[fmt.Sprint(r["tag"])] = [2]float64{n, f}
	}
	if len(exp) != len(res.Patents) {
		t.Errorf("trace reports %d tags, the firms have patents in %d", len(res.Patents), len(exp))
	}
	for _, p := range res.Patents {
		e := exp[p.Tag]
		if math.Abs(e[0]-p.Patents) > 1e-6 || float64(p.Firms) != e[1] {
			t.Errorf("tag %s: %.4f patents of %d firms, want %.4f of %.0f", p.Tag, p.Patents, p.Firms, e[0], e[1])
		}
	}
}

// TestTracePolicyTargets: a policy reaches, by what it supports, the firms tagged
// with the technologies its Targeting relations name or tags below them, counted
// here independently from the tags table and the CTT tree.
func TestTracePolicyTargets(t *testing.T) {
	db, _ := traceWorld(t)
	mustRun(t, "tag", "--db", db, "--dataset", "world-registry", "--column", "industry", "--system", "gbt4754-2017")
	out := mustRun(t, "query", "--db", db, "--format", "csv",
		"SELECT value FROM statement WHERE schema = 'Targeting' AND property = 'policy' GROUP BY value ORDER BY count(*) DESC, value LIMIT 1")
	policy := strings.TrimSpace(strings.Split(strings.TrimSpace(out), "\n")[1])
	var res struct {
		Targeted []struct {
			Tag     string
			Firms   int
			Dataset string
			Source  string
		}
	}
	if err := json.Unmarshal([]byte(mustRun(t, "trace", "--db", db, "--format", "json", "--patents=false", policy)), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Targeted) == 0 {
		t.Fatalf("trace from policy %s: no targeted technologies", policy)
	}
	std, err := ctt.Load()
	if err != nil {
		t.Fatal(err)
	}
	some := 0
	for _, tg := range res.Targeted {
		sub := []string{"'" + tg.Tag + "'"}
		var walk func(id string)
		walk = func(id string) {
			for _, c := range std.Children(id) {
				sub = append(sub, "'"+c.ID+"'")
				walk(c.ID)
			}
		}
		walk(tg.Tag)
		n := mustRun(t, "query", "--db", db, "--format", "csv", `SELECT count(DISTINCT t.entity_id) FROM tags t JOIN entity e ON e.id = t.entity_id AND e.schema = 'Firm'
			WHERE t.system = 'ctt' AND t.weight > 0 AND t.tag IN (`+strings.Join(sub, ", ")+`)`)
		want, _ := strconv.Atoi(strings.TrimSpace(strings.Split(strings.TrimSpace(n), "\n")[1]))
		if tg.Firms != want || tg.Dataset == "" || !strings.Contains(tg.Source, ".csv:") {
			t.Errorf("%s: %d firms (%s %s), want %d with the Targeting's provenance", tg.Tag, tg.Firms, tg.Dataset, tg.Source, want)
		}
		some += tg.Firms
	}
	if some == 0 {
		t.Errorf("no firm carries any technology policy %s targets: %+v", policy, res.Targeted)
	}
}
