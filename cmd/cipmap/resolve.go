package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"runtime/debug"

	"github.com/schollz/progressbar/v3"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
	"github.com/cipmap/cipmap/resolve"
	"github.com/cipmap/cipmap/source"
)

// ResolveCommand clusters firm records into firms.
type ResolveCommand struct{ m *Main }

// resolveDataset is the dataset that holds the clusters of the last resolve run.
const resolveDataset = "resolve"

const resolveHelp = `Usage: cipmap resolve [--incremental] [--threshold 0.5] [--review-from 0.1] [--memory 2.5GiB] [--format table|json|csv]
       cipmap resolve eval --truth FILE [--by entity|source]

Decides which Firm records of all datasets are the same firm, and writes the result
to the database as dataset "resolve" (table clusters: record, cluster id, the link
that put it there, its probability, method and explanation).

Records that share a valid unified social credit code, organisation code, LEI or
stock code are linked first. The others are compared only within blocks (the same
Chinese trade name 字号, the same pinyin or Latin name, the same province and first
two characters), on five comparisons: name (the same full name, the same name
without region and legal form, the same trade name, the same sound across scripts
by pinyin, similar, somewhat similar, different), region, founding date, legal
representative and address. The model is Fellegi-Sunter as Splink fits it: u from
random pairs, m by EM in sessions on pairs that agree on the name and on pairs
founded the same day. Pairs
at or above --threshold are linked (0.5: more likely the same firm than not; raise
it when a wrong link costs more than a missed one); those from --review-from up
wait for 'cipmap review'. --memory is a soft limit on the memory the resolver
holds (Go's GOMEMLIMIT, which wins when set): 2.5GiB suits a million records;
give more for more, or 0 for none.

--incremental adds the records ingested since the last run to its clusters: only
pairs with a new record are compared, with the last run's model; the earlier
clusters and their explanations stand (a new record may join two of them), and
the review queue keeps its pairs. Judgements that would split an earlier cluster
need a full run. Reviewers' judgements always win: "different" is never merged,
"same" always is. Cluster ids stay stable: a cluster keeps the id most of its
records had in the last run.

resolve eval scores the clusters against a truth file (CSV with a column of record
ids or sources and a column of true firm ids): pairwise and B-cubed precision,
recall and F1.
识别不同数据集中的同一企业（统一社会信用代码优先，其次按名称、地区、成立日期等概率匹配），每个判断附有解释。

Examples:
  cipmap resolve
  cipmap ingest new-extract.yaml && cipmap resolve --incremental
  cipmap query "SELECT cluster_id, count(*) FROM clusters GROUP BY 1 ORDER BY 2 DESC LIMIT 10"
  cipmap resolve eval --truth truth/records.csv --by source`

func (c *ResolveCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "eval" {
		return c.eval(ctx, args[1:])
	}
	fs := c.m.newFlagSet("resolve", resolveHelp)
	var f readFlags
	threshold := fs.Float64("threshold", 0.5, "link pairs with at least this match probability")
	reviewFrom := fs.Float64("review-from", 0.1, "queue pairs from this probability up for review")
	memory := fs.String("memory", "2.5GiB", "soft memory limit of the resolver (0: none; GOMEMLIMIT wins)")
	incremental := fs.Bool("incremental", false, "only records the last run did not see: they join its clusters, with its model")
	seed := fs.Uint64("seed", 1, "seed of the random pairs that estimate u")
	quiet := fs.Bool("quiet", false, "no progress on the terminal")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	if *threshold <= 0 || *threshold > 1 || *reviewFrom < 0 || *reviewFrom > *threshold {
		return cipmap.Errorf(cipmap.EINVALID, "--threshold %v, --review-from %v: want 0 ≤ review-from ≤ threshold ≤ 1", *threshold, *reviewFrom)
	}
	limit, err := parseBytes(*memory)
	if err != nil {
		return cipmap.Errorf(cipmap.EINVALID, "--memory %q: %v", *memory, err)
	}
	if limit > 0 && c.m.Getenv("GOMEMLIMIT") == "" {
		// A soft limit: the garbage collector works harder near it instead of
		// letting the heap grow to twice what is live.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	start := time.Now()
	var bar *progressbar.ProgressBar
	if c.m.IsTerminal && !*quiet {
		bar = progressbar.NewOptions(-1, progressbar.OptionSetWriter(c.m.Stderr), progressbar.OptionSpinnerType(14),
			progressbar.OptionSetDescription("reading firm records"), progressbar.OptionClearOnFinish())
		defer bar.Finish()
	}
	trace := memTrace("resolve", nil)
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return err
	}
	if trace != nil {
		trace("reading judgements and clusters")
	}
	if len(recs) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no Firm records in the database: ingest some first")
	}
	judgements, err := loadJudgements(ctx, st)
	if err != nil {
		return err
	}
	previous, err := loadClusters(ctx, st)
	if err != nil {
		return err
	}
	opts := resolve.Options{Threshold: *threshold, ReviewFrom: *reviewFrom, Seed: *seed, Judgements: judgements, Previous: previous}
	var oldQueue []cipmap.Judgement
	if *incremental {
		if opts.Model, opts.Members, err = loadLastRun(ctx, st); err != nil {
			return err
		}
		if oldQueue, err = pendingPairs(ctx, st); err != nil {
			return err
		}
	}
	opts.Incremental = *incremental
	loadSecs := time.Since(start).Seconds()
	if bar != nil {
		opts.Progress = func(s string) { bar.Describe(s) }
	}
	if trace != nil {
		progress := opts.Progress
		opts.Progress = func(s string) {
			trace(s)
			if progress != nil {
				progress(s)
			}
		}
	}
	res, err := resolve.Resolve(recs, opts)
	if err != nil {
		return err
	}
	res.Stats.Seconds["load"] = loadSecs
	// The version: what went in.
	h := sha256.New()
	dss, err := st.Datasets(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(h, "resolve v1\x00%v\x00%v\x00%d\x00%d\x00%v", *threshold, *reviewFrom, *seed, len(judgements), *incremental)
	for _, d := range dss {
		if d.Name != resolveDataset {
			fmt.Fprintf(h, "\x00%s\x00%s", d.Name, d.Version)
		}
	}
	// The version covers the result too, so that a changed resolver (or model)
	// writes its clusters even when the data are the same.
	for i := range res.Members {
		m := &res.Members[i]
		fmt.Fprintf(h, "\x00%s\x00%s\x00%s\x00%.6f", m.EntityID, m.ClusterID, m.LinkedTo, m.Probability)
	}
	model, _ := json.Marshal(res.Model)
	ds := &cipmap.Dataset{
		Name: resolveDataset, Title: "Firm records clustered into firms (cipmap resolve)",
		Version: hex.EncodeToString(h.Sum(nil))[:16], Source: "cipmap resolve", Licence: "derived from the firm datasets",
		Params: string(model),
	}
	if opts.Progress != nil {
		opts.Progress("writing clusters")
	}
	t := time.Now()
	lr, err := st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(len(recs))
		for i := range res.Members {
			if err := w.Cluster(&res.Members[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	// The review queue: a dataset of pending judgements (note: the probability;
	// source: the explanation).
	if *incremental {
		// The earlier queue stays, but for pairs now in one cluster.
		cluster := make(map[string]string, len(res.Members))
		for i := range res.Members {
			cluster[res.Members[i].EntityID] = res.Members[i].ClusterID
		}
		seen := map[[2]string]bool{}
		for _, p := range res.Review {
			seen[[2]string{p.Left, p.Right}] = true
		}
		for _, q := range oldQueue {
			if seen[[2]string{q.Left, q.Right}] || cluster[q.Left] == cluster[q.Right] {
				continue
			}
			prob, _ := strconv.ParseFloat(q.Note, 64)
			res.Review = append(res.Review, resolve.Pair{Left: q.Left, Right: q.Right, Probability: prob, Explanation: q.Source})
		}
	}
	qh := sha256.New()
	for _, p := range res.Review {
		fmt.Fprintf(qh, "%s\x00%s\x00%.6f\n", p.Left, p.Right, p.Probability)
	}
	qds := &cipmap.Dataset{Name: queueDataset, Title: "Pairs of firm records waiting for review (cipmap resolve)",
		Version: hex.EncodeToString(qh.Sum(nil))[:16], Source: "cipmap resolve", Licence: "derived from the firm datasets"}
	if _, err := st.Load(ctx, qds, func(w cipmap.Writer) error {
		qds.Rows = int64(len(res.Review))
		for _, p := range res.Review {
			j := cipmap.Judgement{Left: p.Left, Right: p.Right, Decision: "pending", Reviewer: "cipmap resolve",
				Note: fmt.Sprintf("%.4f", p.Probability), Source: p.Explanation}
			if err := w.Judgement(&j); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		return err
	}
	res.Stats.Seconds["write"] = time.Since(t).Seconds()
	if trace != nil {
		trace("done")
	}
	if bar != nil {
		bar.Finish()
	}
	state := loadState(lr)
	total := time.Since(start).Seconds()
	if f.format == "json" {
		return writeJSON(c.m.Stdout, map[string]any{"state": state, "stats": res.Stats, "model": res.Model,
			"review": len(res.Review), "seconds": total})
	}
	s := res.Stats
	rows := [][]string{
		{"records (new)", fmt.Sprintf("%d (%d)", s.Records, s.NewRecords)},
		{"names", strconv.Itoa(s.Names)},
		{"blocks (large, by sorted neighbourhood)", fmt.Sprintf("%d (%d)", s.Blocks, s.LargeBlocks)},
		{"candidate pairs compared", strconv.Itoa(s.CandidatePairs)},
		{"links by identifier", strconv.Itoa(s.IdentifierLinks)},
		{"links by score", strconv.Itoa(s.ScoredLinks)},
		{"judgements same / different", fmt.Sprintf("%d / %d", s.JudgedSame, s.JudgedDifferent)},
		{"merges refused (judgement, conflicting credit codes)", strconv.Itoa(s.RefusedMerges)},
		{"firms (clusters)", strconv.Itoa(s.Clusters)},
		{"clusters that kept their id", strconv.Itoa(s.KeptIDs)},
		{"pairs waiting for review", strconv.Itoa(len(res.Review))},
		{"model", modelSummary(res.Model)},
		{"state", state},
		{"seconds", fmt.Sprintf("%.1f (load %.1f, %s)", total, loadSecs, stageSeconds(s.Seconds))},
	}
	return writeRows(c.m.Stdout, f.format, []string{"measure", "value"}, rows)
}

func stageSeconds(m map[string]float64) string {
	var parts []string
	for _, k := range []string{"prepare", "block", "compare", "estimate", "cluster", "write"} {
		if v, ok := m[k]; ok {
			parts = append(parts, fmt.Sprintf("%s %.1f", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

// loadFirmRecords reads every Firm entity's statements into records.
func loadFirmRecords(ctx context.Context, st cipmap.Store) ([]resolve.Record, error) {
	var recs []resolve.Record
	// Values that repeat across records (dataset names, provinces, cities) are
	// kept once: at a million records that saves a hundred megabytes.
	intern, common := newInterner()
	// The statements come in any order (sorting millions of them costs the
	// database a gigabyte); records are grouped here and sorted by id after.
	index := map[string]int32{}
	err := st.Statements(ctx, cipmap.StatementFilter{Schemas: []string{"Firm"}, Properties: resolve.Properties, Unordered: true}, func(s *cipmap.Statement) error {
		if s.Dataset == resolveDataset {
			return nil
		}
		s.Dataset = intern(s.Dataset)
		switch s.Property {
		case "province", "city", "region":
			if common() < 100_000 {
				s.Value = intern(s.Value)
			}
		}
		i, ok := index[s.EntityID]
		if !ok {
			i = int32(len(recs))
			index[s.EntityID] = i
			recs = append(recs, resolve.Record{ID: s.EntityID})
		}
		recs[i].Add(s)
		return nil
	})
	if err != nil {
		return nil, err
	}
	index = nil
	slices.SortFunc(recs, func(a, b resolve.Record) int { return strings.Compare(a.ID, b.ID) })
	for i := range recs {
		recs[i].Normalize()
	}
	return slices.Clip(recs), nil
}

// newInterner returns a function that keeps one copy of each string it is given,
// and one that counts them.
func newInterner() (intern func(string) string, count func() int) {
	common := map[string]string{}
	return func(v string) string {
		if c, ok := common[v]; ok {
			return c
		}
		common[v] = v
		return v
	}, func() int { return len(common) }
}

// hasTable reports whether the database has a table (older files opened read-only
// may lack the newer ones).
func hasTable(ctx context.Context, st cipmap.Store, name string) (bool, error) {
	t, err := st.Query(ctx, `SELECT count(*) FROM information_schema.tables WHERE table_name = '`+name+`'`)
	if err != nil {
		return false, err
	}
	return len(t.Rows) == 1 && toFloat(t.Rows[0][0]) > 0, nil
}

// loadJudgements reads every stored judgement.
func loadJudgements(ctx context.Context, st cipmap.Store) ([]cipmap.Judgement, error) {
	if ok, err := hasTable(ctx, st, "judgements"); !ok || err != nil {
		return nil, err
	}
	t, err := st.Query(ctx, `SELECT left_id, right_id, decision, reviewer, decided_at, note, dataset, source FROM judgements ORDER BY decided_at, left_id, right_id`)
	if err != nil {
		return nil, err
	}
	out := make([]cipmap.Judgement, 0, len(t.Rows))
	for _, r := range t.Rows {
		out = append(out, cipmap.Judgement{Left: cellString(r[0]), Right: cellString(r[1]), Decision: cellString(r[2]),
			Reviewer: cellString(r[3]), DecidedAt: cellString(r[4]), Note: cellString(r[5]), Dataset: cellString(r[6]), Source: cellString(r[7])})
	}
	return out, nil
}

// loadClusters reads the last resolve run's clusters: record id → cluster id.
func loadClusters(ctx context.Context, st cipmap.Store) (map[string]string, error) {
	out := map[string]string{}
	if ok, err := hasTable(ctx, st, "clusters"); !ok || err != nil {
		return out, err
	}
	t, err := st.Query(ctx, `SELECT entity_id, cluster_id FROM clusters WHERE dataset = '`+resolveDataset+`'`)
	if err != nil {
		return nil, err
	}
	for _, r := range t.Rows {
		out[cellString(r[0])] = cellString(r[1])
	}
	return out, nil
}

// loadLastRun reads the model and the member rows of the last resolve run, for
// an incremental run.
func loadLastRun(ctx context.Context, st cipmap.Store) (*resolve.Model, map[string]cipmap.ClusterMember, error) {
	ds, err := st.Dataset(ctx, resolveDataset)
	if err != nil || ds.Params == "" {
		return nil, nil, cipmap.Errorf(cipmap.ENOTFOUND, "no earlier resolve run to add to: run 'cipmap resolve' without --incremental first")
	}
	model := new(resolve.Model)
	if err := json.Unmarshal([]byte(ds.Params), model); err != nil {
		return nil, nil, fmt.Errorf("the model of the last resolve run: %w", err)
	}
	// Explanations repeat (they depend on the pattern of a pair): kept once.
	intern, _ := newInterner()
	members := map[string]cipmap.ClusterMember{}
	// In pages by record id: a query's rows are held whole, and a million rows
	// of seven columns are gigabytes.
	const page = 250_000
	last := ""
	for {
		t, err := st.Query(ctx, `SELECT entity_id, cluster_id, linked_to, probability, method, explanation, source FROM clusters WHERE dataset = '`+
			resolveDataset+`' AND entity_id > '`+strings.ReplaceAll(last, "'", "''")+`' ORDER BY entity_id LIMIT `+strconv.Itoa(page))
		if err != nil {
			return nil, nil, err
		}
		for _, r := range t.Rows {
			m := cipmap.ClusterMember{EntityID: cellString(r[0]), ClusterID: intern(cellString(r[1])), LinkedTo: cellString(r[2]),
				Probability: toFloat(r[3]), Method: intern(cellString(r[4])), Explanation: intern(cellString(r[5])), Source: intern(cellString(r[6]))}
			members[m.EntityID] = m
			last = m.EntityID
		}
		if len(t.Rows) < page {
			return model, members, nil
		}
	}
}

// eval scores the stored clusters against a truth file.
func (c *ResolveCommand) eval(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("resolve eval", `Usage: cipmap resolve eval --truth FILE [--by entity|source] [--id-column C] [--truth-column C]

Scores the clusters of the last 'cipmap resolve' against the truth: a CSV (or TSV,
XLSX, JSON) file with one row per record, naming it by entity id (--by entity,
column entity_id), by its source record as statements cite it (--by source, column
source: "file.csv:118") or by a name it carries (--by name, column name), and its
true firm (column firm_id). With --dataset, the records of that dataset that the
truth does not name count as firms of their own, so a truth file need only list
the names that are one firm written differently.
Prints pairwise precision, recall and F1 (over pairs of records put together) and
B-cubed precision, recall and F1 (per record), over the records both name.
用真值文件评估企业识别结果：成对与 B-cubed 精确率、召回率、F1。`)
	var f readFlags
	truthPath := fs.String("truth", "", "the truth file")
	by := fs.String("by", "entity", "how the truth names records: entity (ids), source (file:line) or name")
	dataset := fs.String("dataset", "", "score the records of this dataset; those the truth does not name are firms of their own")
	idCol := fs.String("id-column", "", "the column naming records (default entity_id or source)")
	truthCol := fs.String("truth-column", "firm_id", "the column of true firm ids")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	if *truthPath == "" || (*by != "entity" && *by != "source" && *by != "name") {
		fs.Usage()
		return errUsage
	}
	if *idCol == "" {
		*idCol = map[string]string{"entity": "entity_id", "source": "source", "name": "name"}[*by]
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	clusters, err := loadClusters(ctx, st)
	if err != nil {
		return err
	}
	if len(clusters) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "no clusters in the database: run cipmap resolve first")
	}
	// Records by source or by folded name, if asked.
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return err
	}
	lookup := map[string][]string{}
	for _, r := range recs {
		if *dataset != "" && r.Dataset != *dataset {
			continue
		}
		switch *by {
		case "source":
			for _, s := range r.Sources {
				lookup[s] = append(lookup[s], r.ID)
			}
		case "name":
			for _, n := range r.Names {
				k := parse.Fold(n)
				lookup[k] = append(lookup[k], r.ID)
			}
		}
	}
	rd, err := source.Open(*truthPath, source.Options{})
	if err != nil {
		return err
	}
	defer rd.Close()
	truth := map[string]string{}
	rows, unknown := 0, 0
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		id, ok1 := rec.Get(*idCol)
		t, ok2 := rec.Get(*truthCol)
		if !ok1 || !ok2 {
			return cipmap.Errorf(cipmap.EINVALID, "%s:%d: want columns %q and %q; the columns are %s", *truthPath, rec.Line, *idCol, *truthCol, strings.Join(rec.Columns, ", "))
		}
		rows++
		ids := []string{id}
		switch *by {
		case "source":
			ids = lookup[id]
		case "name":
			ids = lookup[parse.Fold(id)]
		}
		found := false
		for _, id := range ids {
			if _, ok := clusters[id]; ok {
				truth[id] = t
				found = true
			}
		}
		if !found {
			unknown++
			fmt.Fprintf(c.m.Stderr, "%s:%d: %q names no resolved record\n", *truthPath, rec.Line, id)
		}
	}
	if *dataset != "" {
		// The records the truth does not name are firms of their own.
		for _, r := range recs {
			if _, ok := truth[r.ID]; !ok && r.Dataset == *dataset {
				if _, ok := clusters[r.ID]; ok {
					truth[r.ID] = "self:" + r.ID
				}
			}
		}
	}
	sc := resolve.Evaluate(clusters, truth)
	fmt.Fprintf(c.m.Stderr, "%d truth rows, %d matched to resolved records, %d not found\n", rows, len(truth), unknown)
	if f.format == "json" {
		return writeJSON(c.m.Stdout, sc)
	}
	f3 := func(x float64) string { return strconv.FormatFloat(x, 'f', 4, 64) }
	out := [][]string{
		{"records scored", strconv.Itoa(sc.Records)},
		{"clusters / true firms", fmt.Sprintf("%d / %d", sc.Clusters, sc.TrueClusters)},
		{"pairs predicted / true / correct", fmt.Sprintf("%d / %d / %d", sc.PredictedPairs, sc.TruePairs, sc.CorrectPairs)},
		{"pairwise precision", f3(sc.Precision)},
		{"pairwise recall", f3(sc.Recall)},
		{"pairwise F1", f3(sc.F1)},
		{"B-cubed precision", f3(sc.BCubedP)},
		{"B-cubed recall", f3(sc.BCubedR)},
		{"B-cubed F1", f3(sc.BCubedF1)},
	}
	return writeRows(c.m.Stdout, f.format, []string{"measure", "value"}, out)
}

// modelSummary says how the model was estimated, in a line.
func modelSummary(m *resolve.Model) string {
	parts := []string{fmt.Sprintf("λ %.3g (two random records match); u from %d random pairs", m.Lambda, m.RandomPairs)}
	if m.Defaults {
		parts = append(parts, "too few pairs to estimate λ: one record in ten assumed to have a duplicate")
	}
	for _, s := range m.Sessions {
		parts = append(parts, fmt.Sprintf("EM on %d pairs (%s): %d iterations, converged %v", s.Pairs, s.Rule, s.Iterations, s.Converged))
	}
	return strings.Join(parts, "; ")
}

// parseBytes reads a size such as 2.5GiB, 3000MB, 512MiB or 0.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   float64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}}
	mult := 1.0
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 || v*mult > 1<<50 {
		return 0, fmt.Errorf("want a size such as 2.5GiB, 3000MB or 0")
	}
	return int64(v * mult), nil
}
