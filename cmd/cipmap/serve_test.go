package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// startServe runs `cipmap serve` in this process on a free loopback port with the
// environment env and any further flags, and returns its base URL and a function
// that stops it and returns Run's error.
func startServe(t *testing.T, db string, env map[string]string, flags ...string) (string, func() error) {
	t.Helper()
	pr, pw := io.Pipe()
	m := NewMain()
	m.Stdout, m.Stderr, m.IsTerminal = pw, io.Discard, false
	m.Getenv = func(k string) string { return env[k] }
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		err := m.Run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0", "--db", db}, flags...))
		m.Close()
		pw.CloseWithError(io.EOF)
		done <- err
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		cancel()
		t.Fatalf("serve: %v (%v)", err, <-done)
	}
	go io.Copy(io.Discard, pr)
	i := strings.Index(line, "http://")
	if i < 0 {
		cancel()
		t.Fatalf("serve printed %q, want its URL", line)
	}
	base := strings.TrimRight(strings.TrimSpace(line[i:]), "/")
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			t.Fatal("serve did not stop")
			return nil
		}
	}
	return base, stop
}

func httpJSON(t *testing.T, req *http.Request, want int, v any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d, want %d: %s", req.Method, req.URL, resp.StatusCode, want, b)
	}
	if v != nil {
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s %s: %v: %s", req.Method, req.URL, err, b)
		}
	}
}

// cipmap serve on a resolved database: a firm comes with the records of its
// cluster, OpenRefine reconciliation finds it across scripts, and a review decision
// posted with the token is stored as `cipmap review judge` stores it, while one
// without the token is refused and changes nothing.
func TestServeResolvedDatabase(t *testing.T) {
	_, db := resolveFixture(t)
	mustRun(t, "resolve", "--db", db)
	rows := csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		"SELECT entity_id FROM statements WHERE entity_id LIKE 'reg-%' AND value = '华为技术有限公司'"))
	if len(rows) != 1 {
		t.Fatalf("Huawei's registry record: %v", rows)
	}
	huawei := rows[0]["entity_id"]
	rows = csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		"SELECT DISTINCT entity_id FROM statements WHERE entity_id LIKE 'reg-%' AND value = '科大讯飞股份有限公司'"))
	iflytek := rows[0]["entity_id"]

	base, stop := startServe(t, db, map[string]string{"CIPMAP_TOKEN": "tok"})
	defer func() {
		if stop != nil {
			stop()
		}
	}()

	var firm struct {
		Names   map[string][]string
		Cluster *struct {
			ID      string
			Members []struct {
				EntityID string `json:"entity_id"`
			}
		}
	}
	req, _ := http.NewRequest("GET", base+"/api/v1/firms/"+url.PathEscape(huawei), nil)
	httpJSON(t, req, 200, &firm)
	if firm.Cluster == nil || len(firm.Cluster.Members) != 4 {
		t.Fatalf("Huawei's cluster: %+v, want 4 records (registry, procurement in Chinese and two in English)", firm.Cluster)
	}

	q := `{"q0":{"query":"Huawei Technologies Co., Ltd.","properties":[{"pid":"region","v":"深圳"}]}}`
	req, _ = http.NewRequest("POST", base+"/reconcile", strings.NewReader(url.Values{"queries": {q}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	var rec map[string]struct {
		Result []struct {
			ID    string
			Name  string
			Score float64
			Match bool
			Type  []struct{ ID string }
		}
	}
	httpJSON(t, req, 200, &rec)
	if r := rec["q0"].Result; len(r) == 0 || r[0].Type[0].ID != "Firm" || r[0].Score <= 0 {
		t.Errorf("reconcile: %+v", rec)
	}

	body := `{"left_id":"` + huawei + `","right_id":"` + iflytek + `","decision":"different","reviewer":"serve-test"}`
	req, _ = http.NewRequest("POST", base+"/api/v1/judgements", strings.NewReader(body))
	httpJSON(t, req, 401, nil)
	req, _ = http.NewRequest("POST", base+"/api/v1/judgements", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer tok")
	httpJSON(t, req, 201, nil)

	// The review queue the server shows is the one cipmap review list gives
	// (checked after the server stops), and the analysis pages answer.
	var queue struct {
		Total int
		Pairs []struct {
			Left, Right struct{ ID string }
			Explanation string
		}
	}
	req, _ = http.NewRequest("GET", base+"/api/v1/review?limit=200", nil)
	httpJSON(t, req, 200, &queue)
	for _, p := range []string{"/review", "/tags", "/crosswalk", "/trace", "/signin"} {
		resp, err := http.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
	}

	// The web UI answers too.
	req, _ = http.NewRequest("GET", base+"/firms/"+url.PathEscape(huawei)+"?lang=zh", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "华为技术有限公司") || !strings.Contains(string(page), "同一企业的记录") {
		t.Errorf("firm page: %d", resp.StatusCode)
	}

	err = stop()
	stop = nil
	if err != nil {
		t.Fatalf("serve: %v", err)
	}
	rows = csvRows(t, mustRun(t, "query", "--db", db, "--format", "csv",
		"SELECT left_id, right_id, decision, reviewer FROM judgements WHERE dataset = 'judgements'"))
	if len(rows) != 1 || rows[0]["decision"] != "different" || rows[0]["reviewer"] != "serve-test" {
		t.Errorf("judgements stored: %v", rows)
	}
	var list []struct {
		Left  string `json:"left_id"`
		Right string `json:"right_id"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "review", "list", "--db", db, "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != queue.Total {
		t.Fatalf("review queue: served %d pairs, cipmap review list %d", queue.Total, len(list))
	}
	for i, q := range list {
		if i < len(queue.Pairs) && (queue.Pairs[i].Left.ID != q.Left || queue.Pairs[i].Right.ID != q.Right) {
			t.Errorf("pair %d: served %+v, cipmap review list %+v", i, queue.Pairs[i], q)
		}
	}
}

// Without a token the server opens the database read-only and refuses writes.
func TestServeReadOnlyWithoutToken(t *testing.T) {
	_, db := resolveFixture(t)
	base, stop := startServe(t, db, nil)
	defer stop()
	req, _ := http.NewRequest("POST", base+"/api/v1/judgements", strings.NewReader(`{}`))
	req.Header.Set("Authorization", "Bearer anything")
	var e struct{ Error struct{ Code string } }
	httpJSON(t, req, 403, &e)
	if e.Error.Code != "forbidden" {
		t.Errorf("code %q", e.Error.Code)
	}
	// A reader can open the database while the server runs.
	mustRun(t, "stats", "--db", db)
	req, _ = http.NewRequest("GET", base+"/api/v1/datasets", nil)
	httpJSON(t, req, 200, nil)
}
