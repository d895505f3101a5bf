package main

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/resolve"
)

// ReviewCommand takes reviewers' decisions on uncertain pairs of firm records.
type ReviewCommand struct{ m *Main }

// Datasets of judgements: the reviewers' decisions, and the queue resolve leaves.
const (
	judgementsDataset = "judgements"
	queueDataset      = "review-queue"
)

// judgementsHeader opens a judgements file; the version is the file format's.
const judgementsHeader = "# cipmap judgements v1"

const reviewHelp = `Usage: cipmap review [--reviewer NAME] [--limit N]
       cipmap review list [--format table|json|csv]
       cipmap review judge LEFT_ID RIGHT_ID same|different|unsure [--note TEXT]
       cipmap review export --out judgements.csv
       cipmap review import judgements.csv

Shows the pairs of firm records that the last 'cipmap resolve' was unsure of (their
probability between --review-from and --threshold), side by side with everything
the records say and the comparisons that scored them, and takes your decision:
s (same firm), d (different firms), u (unsure), k (skip), q (quit). Decisions are
stored in the database (dataset judgements) at once, and every later resolve honours
them: a pair judged different is never merged again, one judged same always is.

Judgements are exported and imported as a versioned CSV file (first line
"# cipmap judgements v1"; columns left_id, right_id, decision, reviewer,
decided_at, note), to share between databases and keep under version control.
Importing merges: a later decision on the same pair replaces an earlier one.
人工复核不确定的企业记录对（同一/不同/不确定），决定存入数据库并在每次重新识别时生效。`

func (c *ReviewCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "list":
			return c.list(ctx, args[1:])
		case "judge":
			return c.judge(ctx, args[1:])
		case "export":
			return c.export(ctx, args[1:])
		case "import":
			return c.importFile(ctx, args[1:])
		}
	}
	fs := c.m.newFlagSet("review", reviewHelp)
	var f readFlags
	reviewer := fs.String("reviewer", c.m.Getenv("USER"), "your name, recorded with each decision")
	limit := fs.Int("limit", 0, "stop after this many pairs (0: all)")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	queue, err := pendingPairs(ctx, st)
	if err != nil {
		return err
	}
	if len(queue) == 0 {
		fmt.Fprintln(c.m.Stdout, "No pairs wait for review. (Run cipmap resolve first; pairs judged already are not shown.)")
		return nil
	}
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return err
	}
	byID := make(map[string]*resolve.Record, len(recs))
	for i := range recs {
		byID[recs[i].ID] = &recs[i]
	}
	in := bufio.NewReader(c.m.Stdin)
	var decided []cipmap.Judgement
	out := c.m.Stdout
	for i, q := range queue {
		if *limit > 0 && i == *limit {
			break
		}
		fmt.Fprintf(out, "\n── pair %d of %d ──  probability %s\n", i+1, len(queue), q.Note)
		sideBySide(out, byID[q.Left], byID[q.Right], q.Left, q.Right)
		fmt.Fprintf(out, "why: %s\n", q.Source)
		var d string
		for d == "" {
			fmt.Fprint(out, "same firm? [s]ame [d]ifferent [u]nsure s[k]ip [q]uit: ")
			line, err := in.ReadString('\n')
			ans := strings.ToLower(strings.TrimSpace(line))
			switch ans {
			case "s", "same":
				d = "same"
			case "d", "different":
				d = "different"
			case "u", "unsure":
				d = "unsure"
			case "k", "skip":
				d = "skip"
			case "q", "quit":
				d = "quit"
			}
			if d == "" && err != nil {
				d = "quit" // end of input
			}
		}
		if d == "quit" {
			break
		}
		if d == "skip" {
			continue
		}
		decided = append(decided, cipmap.Judgement{Left: q.Left, Right: q.Right, Decision: d, Reviewer: *reviewer,
			DecidedAt: c.m.Now().UTC().Format(time.RFC3339), Note: "cipmap review; " + q.Note})
	}
	if len(decided) == 0 {
		fmt.Fprintln(out, "No decision recorded.")
		return nil
	}
	n, err := addJudgements(ctx, st, decided, "cipmap review")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d decision(s) recorded; %d judgements in all. Run cipmap resolve to apply them.\n", len(decided), n)
	return nil
}

// sideBySide prints two records' fields in two columns.
func sideBySide(w io.Writer, a, b *resolve.Record, aid, bid string) {
	field := func(r *resolve.Record, name string) string {
		if r == nil {
			return "(record not in the database)"
		}
		switch name {
		case "id":
			return r.ID
		case "dataset":
			return r.Dataset
		case "source":
			return strings.Join(r.Sources, ", ")
		case "names":
			return strings.Join(r.Names, " | ")
		case "credit code":
			return r.USCC
		case "region":
			return strings.Trim(strings.Join([]string{r.Province, r.City, r.Region}, " "), " ")
		case "founded":
			return r.Founded
		case "legal rep.":
			return r.LegalRep
		case "address":
			return r.Address
		}
		return ""
	}
	var rows [][]string
	for _, name := range []string{"id", "dataset", "source", "names", "credit code", "region", "founded", "legal rep.", "address"} {
		x, y := field(a, name), field(b, name)
		if name == "id" {
			x, y = aid, bid
		}
		if x == "" && y == "" {
			continue
		}
		mark := ""
		if x != "" && x == y {
			mark = "="
		}
		rows = append(rows, []string{name, x, mark, y})
	}
	writeTable(w, []string{"", "record A", "", "record B"}, rows)
}

// pendingPairs returns the review queue that resolve left, without the pairs that
// have a judgement.
func pendingPairs(ctx context.Context, st cipmap.Store) ([]cipmap.Judgement, error) {
	all, err := loadJudgements(ctx, st)
	if err != nil {
		return nil, err
	}
	judged := map[[2]string]bool{}
	var queue []cipmap.Judgement
	for _, j := range all {
		if j.Dataset == queueDataset {
			queue = append(queue, j)
		} else {
			judged[[2]string{j.Left, j.Right}] = true
		}
	}
	out := queue[:0]
	for _, q := range queue {
		if !judged[[2]string{q.Left, q.Right}] {
			out = append(out, q)
		}
	}
	// Most probable first (the note holds the probability).
	sort.SliceStable(out, func(i, j int) bool {
		pi, _ := strconv.ParseFloat(out[i].Note, 64)
		pj, _ := strconv.ParseFloat(out[j].Note, 64)
		return pi > pj
	})
	return out, nil
}

// addJudgements merges decisions into the judgements dataset (a later decision on
// a pair replaces an earlier one) and returns how many it holds.
func addJudgements(ctx context.Context, st cipmap.Store, add []cipmap.Judgement, source string) (int, error) {
	all, err := loadJudgements(ctx, st)
	if err != nil {
		return 0, err
	}
	byPair := map[[2]string]cipmap.Judgement{}
	var order [][2]string
	put := func(j cipmap.Judgement) {
		if j.Left > j.Right {
			j.Left, j.Right = j.Right, j.Left
		}
		k := [2]string{j.Left, j.Right}
		if _, ok := byPair[k]; !ok {
			order = append(order, k)
		}
		byPair[k] = j
	}
	for _, j := range all {
		if j.Dataset == judgementsDataset {
			put(j)
		}
	}
	for _, j := range add {
		if j.Source == "" {
			j.Source = source
		}
		put(j)
	}
	h := sha256.New()
	for _, k := range order {
		j := byPair[k]
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\n", j.Left, j.Right, j.Decision, j.Reviewer, j.DecidedAt, j.Note)
	}
	ds := &cipmap.Dataset{Name: judgementsDataset, Title: "Reviewers' judgements on pairs of firm records",
		Version: hex.EncodeToString(h.Sum(nil))[:16], Source: "cipmap review", Licence: "the reviewers'"}
	_, err = st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(len(order))
		for _, k := range order {
			j := byPair[k]
			if err := w.Judgement(&j); err != nil {
				return err
			}
		}
		return nil
	})
	return len(order), err
}

func (c *ReviewCommand) list(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("review list", "Usage: cipmap review list [--limit N] [--format table|json|csv]\n\nLists the pairs waiting for review, most probable first. 列出待复核的记录对。")
	var f readFlags
	limit := fs.Int("limit", 0, "at most this many pairs (0: all)")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	queue, err := pendingPairs(ctx, st)
	if err != nil {
		return err
	}
	if *limit > 0 && len(queue) > *limit {
		queue = queue[:*limit]
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, queue)
	}
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return err
	}
	name := map[string]string{}
	for _, r := range recs {
		name[r.ID] = strings.Join(r.Names, " | ")
	}
	var rows [][]string
	for _, q := range queue {
		rows = append(rows, []string{q.Left, name[q.Left], q.Right, name[q.Right], q.Note, q.Source})
	}
	return writeRows(c.m.Stdout, f.format, []string{"left_id", "left_name", "right_id", "right_name", "probability", "explanation"}, rows)
}

func (c *ReviewCommand) judge(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("review judge", `Usage: cipmap review judge LEFT_ID RIGHT_ID same|different|unsure [--note TEXT] [--reviewer NAME]

Records one decision on a pair of firm records, without the interactive screen (for
scripts). 记录一条复核决定。`)
	var f readFlags
	note := fs.String("note", "", "why")
	reviewer := fs.String("reviewer", c.m.Getenv("USER"), "your name")
	pos, err := f.parse(c.m, fs, args, func(n int) bool { return n == 3 })
	if err != nil {
		return err
	}
	switch pos[2] {
	case "same", "different", "unsure":
	default:
		return cipmap.Errorf(cipmap.EINVALID, "decision %q: expected same, different or unsure", pos[2])
	}
	if pos[0] == pos[1] {
		return cipmap.Errorf(cipmap.EINVALID, "a record is always the same as itself")
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	for _, id := range pos[:2] {
		if _, err := st.Entity(ctx, id); err != nil {
			return err
		}
	}
	n, err := addJudgements(ctx, st, []cipmap.Judgement{{Left: pos[0], Right: pos[1], Decision: pos[2], Reviewer: *reviewer,
		DecidedAt: c.m.Now().UTC().Format(time.RFC3339), Note: *note}}, "cipmap review judge")
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "recorded: %s %s %s (%d judgements in all)\n", pos[0], pos[2], pos[1], n)
	return nil
}

func (c *ReviewCommand) export(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("review export", "Usage: cipmap review export --out FILE\n\nWrites every judgement to a versioned CSV file. 导出复核决定。")
	var f readFlags
	outPath := fs.String("out", "", "the file to write")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	if *outPath == "" {
		fs.Usage()
		return errUsage
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	all, err := loadJudgements(ctx, st)
	if err != nil {
		return err
	}
	file, err := os.Create(*outPath)
	if err != nil {
		return cipmap.WrapError(cipmap.EINVALID, err, "export judgements")
	}
	defer file.Close()
	fmt.Fprintln(file, judgementsHeader)
	w := csv.NewWriter(file)
	w.Write([]string{"left_id", "right_id", "decision", "reviewer", "decided_at", "note"})
	n := 0
	for _, j := range all {
		if j.Dataset != judgementsDataset {
			continue
		}
		w.Write([]string{j.Left, j.Right, j.Decision, j.Reviewer, j.DecidedAt, j.Note})
		n++
	}
	w.Flush()
	if err := w.Error(); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "%d judgements written to %s\n", n, *outPath)
	return file.Close()
}

func (c *ReviewCommand) importFile(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("review import", "Usage: cipmap review import FILE\n\nMerges a judgements file into the database. 导入复核决定。")
	var f readFlags
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(pos[0])
	if err != nil {
		return cipmap.WrapError(cipmap.ENOTFOUND, err, "import judgements")
	}
	text := strings.TrimPrefix(string(data), "\ufeff")
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimSpace(first) != judgementsHeader {
		return cipmap.Errorf(cipmap.EINVALID, "%s:1: want %q (a cipmap judgements file), got %q", pos[0], judgementsHeader, strings.TrimSpace(first))
	}
	r := csv.NewReader(strings.NewReader(rest))
	header, err := r.Read()
	want := []string{"left_id", "right_id", "decision", "reviewer", "decided_at", "note"}
	if err != nil || strings.Join(header, ",") != strings.Join(want, ",") {
		return cipmap.Errorf(cipmap.EINVALID, "%s:2: want the header %s", pos[0], strings.Join(want, ","))
	}
	var js []cipmap.Judgement
	name := filepath.Base(pos[0])
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		line, _ := r.FieldPos(0)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "%s", pos[0])
		}
		switch rec[2] {
		case "same", "different", "unsure":
		default:
			return cipmap.Errorf(cipmap.EINVALID, "%s:%d: column decision: %q, expected same, different or unsure", pos[0], line+1, rec[2])
		}
		if rec[0] == "" || rec[1] == "" || rec[0] == rec[1] {
			return cipmap.Errorf(cipmap.EINVALID, "%s:%d: want two different record ids", pos[0], line+1)
		}
		js = append(js, cipmap.Judgement{Left: rec[0], Right: rec[1], Decision: rec[2], Reviewer: rec[3], DecidedAt: rec[4], Note: rec[5],
			Source: fmt.Sprintf("%s:%d", name, line+1)})
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	n, err := addJudgements(ctx, st, js, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "%d judgements read; %d in the database\n", len(js), n)
	return nil
}
