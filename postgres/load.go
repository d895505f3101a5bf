package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	"github.com/jackc/pgx/v5"
)

// Staging tables and their columns, in table order.
var (
	statementColumns = []string{"id", "entity_id", "schema", "property", "value", "original", "lang",
		"dataset", "source", "first_seen", "last_seen"}
	financialColumns = []string{"entity_id", "year", "currency", "revenue", "export_revenue", "loans",
		"subsidies", "employees", "dataset", "source"}
	tradeFlowColumns = []string{"year", "reporter", "partner", "hs6", "flow", "value", "currency",
		"quantity", "quantity_unit", "dataset", "source"}
	tagColumns = []string{"entity_id", "property", "value", "system", "tag", "weight", "method", "evidence",
		"confidence", "statement_id", "dataset", "source"}
	edgeColumns = []string{"from_system", "from_code", "to_system", "to_code", "weight", "weight_type", "partial",
		"valid_from", "valid_to", "sample_size", "dataset", "source"}
	clusterColumns = []string{"entity_id", "cluster_id", "linked_to", "probability", "method", "explanation",
		"dataset", "source"}
	patentColumns = []string{"patent_id", "applicant_id", "applicant_name", "applicants", "office", "kind",
		"application_number", "title", "ipc", "ipc_main", "year", "application_date", "publication_date",
		"grant_date", "status", "region", "dataset", "source"}
	patentTagColumns = []string{"patent_id", "year", "system", "tag", "weight", "method", "evidence", "mass", "dataset", "source"}
	judgementColumns = []string{"left_id", "right_id", "decision", "reviewer", "decided_at", "note",
		"dataset", "source"}
)

// factTables names the typed fact tables (cipmap.FactTables), each staged and
// replaced as a whole with its dataset.
var factTables = []string{"financials", "trade_flows", "tags", "crosswalk_edges", "clusters", "judgements",
	"patent_facts", "patent_tags"}

// Load writes a new version of a dataset in one transaction. See cipmap.Store.
//
// The facts stream through COPY into temporary staging tables while fill runs, so a
// dataset of any size passes through a bounded amount of memory; then set-based SQL
// replaces the dataset's previous facts. An advisory lock on the dataset's name makes
// a second Load of the same dataset wait, then see the version the first one stored.
func (db *DB) Load(ctx context.Context, ds *cipmap.Dataset, fill func(cipmap.Writer) error) (*cipmap.LoadResult, error) {
	if ds.Name == "" || ds.Version == "" {
		return nil, cipmap.Errorf(cipmap.EINVALID, "a dataset needs a name and a version")
	}
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dataset %s: %w", ds.Name, err)
	}
	defer tx.Rollback(context.Background())
	if err := lockDatasetTx(ctx, tx, ds.Name); err != nil {
		return nil, err
	}
	res := &cipmap.LoadResult{}
	prev, err := datasetIn(ctx, tx, ds.Name)
	if err != nil && cipmap.ErrorCode(err) != cipmap.ENOTFOUND {
		return nil, err
	}
	if prev != nil {
		res.Previous = prev.Version
		if prev.Version == ds.Version {
			res.Unchanged = true
			res.Dataset = *prev
			return res, nil
		}
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	ds.IngestedAt = now

	// Staging tables are temporary and dropped at the end of the transaction, so a
	// failed or killed load leaves nothing behind.
	for _, t := range append([]string{"statement"}, factTables...) {
		if prev == nil {
			break // a first version is copied straight into the tables
		}
		if _, err := tx.Exec(ctx, fmt.Sprintf("CREATE TEMP TABLE stage_%s (LIKE %s) ON COMMIT DROP", t, t)); err != nil {
			return nil, fmt.Errorf("create staging table: %w", err)
		}
	}
	// A dataset's first version has nothing to replace and no first-seen dates to
	// keep, so it is copied straight into the tables: staging would write every row
	// twice.
	w := &writer{dataset: ds.Name, now: now, cp: &copier{ctx: ctx, tx: tx, rows: map[string]int64{}}, prefix: "stage_"}
	if prev == nil {
		w.prefix = ""
	}
	if err := fill(w); err != nil {
		w.cp.abort()
		return nil, err
	}
	if err := w.cp.finish(); err != nil {
		return nil, fmt.Errorf("stage dataset %s: %w", ds.Name, err)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ds.Facts = 0
	for _, t := range factTables {
		ds.Facts += w.cp.rows[w.prefix+t]
	}
	if err := db.replace(ctx, tx, ds, res, now, w.prefix == ""); err != nil {
		return nil, fmt.Errorf("load dataset %s: %w", ds.Name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, fmt.Errorf("commit dataset %s: %w", ds.Name, err)
	}
	res.Dataset = *ds
	return res, nil
}

// replace moves the staged version into place, inside tx.
// With direct set, the rows were copied into the tables already (a first version).
func (db *DB) replace(ctx context.Context, tx pgx.Tx, ds *cipmap.Dataset, res *cipmap.LoadResult, now time.Time, direct bool) error {
	exec := func(q string, args ...any) error {
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
		return nil
	}
	count := func(dst *int64, q string, args ...any) error {
		if err := tx.QueryRow(ctx, q, args...).Scan(dst); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
		return nil
	}
	// Grouping and joining a large dataset's statements by id wants more memory than
	// PostgreSQL's default of 4 MB per operation, or it spills to disk.
	if err := exec(`SET LOCAL work_mem = '128MB'`); err != nil {
		return err
	}
	if direct {
		if err := count(&res.Added, `SELECT count(*) FROM (SELECT DISTINCT id FROM statement WHERE dataset = $1) a`, ds.Name); err != nil {
			return err
		}
		if err := exec(`INSERT INTO entity (id, schema, caption, dataset, statements, first_seen, last_seen) `+
			sqlview.EntityRowsOnePass(db.schemas, "$1"), ds.Name); err != nil {
			return err
		}
		return db.finishDataset(ds, now, count, exec)
	}
	if err := exec(`CREATE TEMP TABLE stage_prev (id text COLLATE "C" NOT NULL, first_seen timestamptz NOT NULL) ON COMMIT DROP`); err != nil {
		return err
	}
	if err := exec(`INSERT INTO stage_prev SELECT id, min(first_seen) FROM statement WHERE dataset = $1 GROUP BY id`, ds.Name); err != nil {
		return err
	}
	// Temporary tables are never analysed automatically; without statistics the
	// planner guesses badly on the joins below.
	if err := exec(`ANALYZE stage_statement, stage_prev`); err != nil {
		return err
	}
	// EXCEPT counts distinct ids, as count(DISTINCT) would, but can hash where
	// count(DISTINCT) always sorts.
	if err := count(&res.Added, `SELECT count(*) FROM (SELECT id FROM stage_statement EXCEPT SELECT id FROM stage_prev) a`); err != nil {
		return err
	}
	if err := count(&res.Removed, `SELECT count(*) FROM (SELECT id FROM stage_prev EXCEPT SELECT id FROM stage_statement) r`); err != nil {
		return err
	}
	for _, t := range append([]string{"statement", "entity"}, factTables...) {
		if err := exec("DELETE FROM "+t+" WHERE dataset = $1", ds.Name); err != nil {
			return err
		}
	}
	if err := exec(`INSERT INTO statement (` + strings.Join(statementColumns, ", ") + `)
		SELECT s.id, s.entity_id, s.schema, s.property, s.value, s.original, s.lang, s.dataset, s.source,
		       coalesce(p.first_seen, s.first_seen), s.last_seen
		FROM stage_statement s LEFT JOIN stage_prev p ON s.id = p.id`); err != nil {
		return err
	}
	if err := exec(`INSERT INTO entity (id, schema, caption, dataset, statements, first_seen, last_seen) `+
		sqlview.EntityRowsOnePass(db.schemas, "$1"), ds.Name); err != nil {
		return err
	}
	for _, t := range factTables {
		if err := exec(`INSERT INTO ` + t + ` SELECT * FROM stage_` + t); err != nil {
			return err
		}
	}
	return db.finishDataset(ds, now, count, exec)
}

// finishDataset counts the dataset's rows and upserts its row, inside tx.
func (db *DB) finishDataset(ds *cipmap.Dataset, now time.Time,
	count func(*int64, string, ...any) error, exec func(string, ...any) error) error {
	for _, t := range sqlview.DerivedTables {
		if t.PostgresView {
			continue
		}
		if err := exec(`DELETE FROM `+t.Table+` WHERE dataset = $1`, ds.Name); err != nil {
			return err
		}
		if err := exec(`INSERT INTO ` + t.Table + ` ` + t.Query(db.schemas, sqlview.Postgres, "dataset = "+sqlview.Literal(ds.Name))); err != nil {
			return err
		}
	}
	if err := count(&ds.Statements, `SELECT count(*) FROM statement WHERE dataset = $1`, ds.Name); err != nil {
		return err
	}
	if err := count(&ds.Entities, `SELECT count(*) FROM entity WHERE dataset = $1`, ds.Name); err != nil {
		return err
	}
	// The upsert keeps first_ingested_at of a dataset that was there before.
	return exec(`INSERT INTO dataset (name, title, version, source, licence, files, ingested_at, first_ingested_at,
			rows, entities, statements, facts, rejects, params)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13)
		ON CONFLICT (name) DO UPDATE SET title = excluded.title, version = excluded.version,
			source = excluded.source, licence = excluded.licence, files = excluded.files,
			ingested_at = excluded.ingested_at, rows = excluded.rows, entities = excluded.entities,
			statements = excluded.statements, facts = excluded.facts, rejects = excluded.rejects,
			params = excluded.params`,
		ds.Name, ds.Title, ds.Version, ds.Source, ds.Licence, strings.Join(ds.Files, "\n"),
		now, ds.Rows, ds.Entities, ds.Statements, ds.Facts, ds.Rejects, nullString(ds.Params))
}

// writer takes one dataset version's facts and hands them to the copier.
type writer struct {
	dataset string
	now     time.Time
	cp      *copier
	prefix  string // "stage_" to copy into the staging tables, "" for the tables
}

func (w *writer) Statement(s *cipmap.Statement) error {
	if s.EntityID == "" || s.Property == "" || s.Schema == "" {
		return cipmap.Errorf(cipmap.EINVALID, "statement without entity id, schema or property: %+v", *s)
	}
	if err := checkText(s.Source, s.EntityID, s.Schema, s.Property, s.Value, s.Original, s.Lang, s.Source, s.ID); err != nil {
		return err
	}
	id := s.ID
	if id == "" {
		id = cipmap.StatementID(w.dataset, s.EntityID, s.Property, s.Value)
	}
	return w.cp.add(w.prefix+"statement", statementColumns, []any{id, s.EntityID, s.Schema, s.Property, s.Value,
		nullString(s.Original), nullString(s.Lang), w.dataset, nullString(s.Source), w.now, w.now})
}

func (w *writer) Financial(f *cipmap.Financial) error {
	if f.EntityID == "" {
		return cipmap.Errorf(cipmap.EINVALID, "financials row without entity id")
	}
	if err := checkText(f.Source, f.EntityID, f.Currency, f.Source); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"financials", financialColumns, []any{f.EntityID, int32(f.Year), nullString(f.Currency),
		nullable(f.Revenue), nullable(f.ExportRevenue), nullable(f.Loans), nullable(f.Subsidies), nullable(f.Employees),
		w.dataset, nullString(f.Source)})
}

func (w *writer) TradeFlow(t *cipmap.TradeFlow) error {
	if err := checkText(t.Source, t.Reporter, t.Partner, t.HS6, t.Flow, t.Currency, t.QuantityUnit, t.Source); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"trade_flows", tradeFlowColumns, []any{int32(t.Year), t.Reporter, t.Partner, t.HS6,
		nullString(t.Flow), nullable(t.Value), nullString(t.Currency), nullable(t.Quantity), nullString(t.QuantityUnit),
		w.dataset, nullString(t.Source)})
}

func (w *writer) Tag(t *cipmap.TagFact) error {
	if t.EntityID == "" || t.System == "" || t.Tag == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: tag without entity id, system or tag: %+v", where(t.Source), *t)
	}
	if err := checkText(t.Source, t.EntityID, t.Property, t.Value, t.System, t.Tag, t.Method, t.Evidence,
		t.StatementID, t.Source); err != nil {
		return err
	}
	if err := finite(t.Source, "weight", t.Weight); err != nil {
		return err
	}
	if err := finite(t.Source, "confidence", t.Confidence); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"tags", tagColumns, []any{t.EntityID, nullString(t.Property), nullString(t.Value),
		t.System, t.Tag, t.Weight, nullString(t.Method), nullString(t.Evidence), t.Confidence,
		nullString(t.StatementID), w.dataset, nullString(t.Source)})
}

func (w *writer) CrosswalkEdge(e *cipmap.CrosswalkEdge) error {
	if e.FromSystem == "" || e.From == "" || e.ToSystem == "" || e.To == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: crosswalk edge without both systems and codes: %+v", where(e.Source), *e)
	}
	if err := checkText(e.Source, e.FromSystem, e.From, e.ToSystem, e.To, e.WeightType, e.ValidFrom, e.ValidTo,
		e.Source); err != nil {
		return err
	}
	if err := finite(e.Source, "weight", e.Weight); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"crosswalk_edges", edgeColumns, []any{e.FromSystem, e.From, e.ToSystem, e.To,
		e.Weight, nullString(e.WeightType), e.Partial, nullString(e.ValidFrom), nullString(e.ValidTo),
		int64(e.SampleSize), w.dataset, nullString(e.Source)})
}

func (w *writer) Cluster(c *cipmap.ClusterMember) error {
	if c.EntityID == "" || c.ClusterID == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: cluster member without entity id or cluster id: %+v", where(c.Source), *c)
	}
	if err := checkText(c.Source, c.EntityID, c.ClusterID, c.LinkedTo, c.Method, c.Explanation, c.Source); err != nil {
		return err
	}
	if err := finite(c.Source, "probability", c.Probability); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"clusters", clusterColumns, []any{c.EntityID, c.ClusterID, nullString(c.LinkedTo),
		c.Probability, nullString(c.Method), nullString(c.Explanation), w.dataset, nullString(c.Source)})
}

func (w *writer) Judgement(j *cipmap.Judgement) error {
	if j.Left == "" || j.Right == "" || j.Decision == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: judgement without both entity ids and a decision: %+v", where(j.Source), *j)
	}
	if err := checkText(j.Source, j.Left, j.Right, j.Decision, j.Reviewer, j.DecidedAt, j.Note, j.Source); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"judgements", judgementColumns, []any{j.Left, j.Right, j.Decision,
		nullString(j.Reviewer), nullString(j.DecidedAt), nullString(j.Note), w.dataset, nullString(j.Source)})
}

func (w *writer) Patent(p *cipmap.Patent) error {
	if p.PatentID == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: patent without a patent id", where(p.Source))
	}
	if p.Applicants < 0 {
		return cipmap.Errorf(cipmap.EINVALID, "%s: patent %s has %d applicants", where(p.Source), p.PatentID, p.Applicants)
	}
	if err := checkText(p.Source, p.PatentID, p.ApplicantID, p.ApplicantName, p.Office, p.Kind, p.ApplicationNumber,
		p.Title, p.IPC, p.IPCMain, p.ApplicationDate, p.PublicationDate, p.GrantDate, p.Status, p.Region, p.Source); err != nil {
		return err
	}
	return w.cp.add(w.prefix+"patent_facts", patentColumns, []any{p.PatentID, nullString(p.ApplicantID),
		nullString(p.ApplicantName), int32(max(p.Applicants, 1)), nullString(p.Office), nullString(p.Kind),
		nullString(p.ApplicationNumber), nullString(p.Title), nullString(p.IPC), nullString(p.IPCMain), nullYear(p.Year),
		nullString(p.ApplicationDate), nullString(p.PublicationDate), nullString(p.GrantDate), nullString(p.Status),
		nullString(p.Region), w.dataset, nullString(p.Source)})
}

func (w *writer) PatentTag(t *cipmap.PatentTag) error {
	if t.PatentID == "" || t.System == "" || t.Tag == "" {
		return cipmap.Errorf(cipmap.EINVALID, "%s: patent tag without patent id, system or tag: %+v", where(t.Source), *t)
	}
	if err := checkText(t.Source, t.PatentID, t.System, t.Tag, t.Method, t.Evidence, t.Source); err != nil {
		return err
	}
	if err := finite(t.Source, "weight", t.Weight); err != nil {
		return err
	}
	if err := finite(t.Source, "mass", t.Mass); err != nil {
		return err
	}
	if t.Mass < t.Weight-1e-9 {
		return cipmap.Errorf(cipmap.EINVALID, "%s: patent %s, tag %s: mass %g is less than the weight %g (mass is the sum of the weights of all the patent's tags)",
			where(t.Source), t.PatentID, t.Tag, t.Mass, t.Weight)
	}
	return w.cp.add(w.prefix+"patent_tags", patentTagColumns, []any{t.PatentID, nullYear(t.Year), t.System, t.Tag,
		t.Weight, nullString(t.Method), nullString(t.Evidence), t.Mass, w.dataset, nullString(t.Source)})
}

// nullYear returns y as an integer, or nil (NULL) for 0 (unknown).
func nullYear(y int) any {
	if y == 0 {
		return nil
	}
	return int32(y)
}

// finite refuses a weight that is not a finite number, naming the source record, as
// the DuckDB store does.
func finite(source, name string, v float64) error {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return cipmap.Errorf(cipmap.EINVALID, "%s: %s %v is not a finite number", where(source), name, v)
	}
	return nil
}

// where names a source record in a message.
func where(source string) string {
	if source == "" {
		return "a record"
	}
	return source
}

// checkText refuses strings that PostgreSQL's text type cannot hold (a NUL byte or
// invalid UTF-8), naming the source record, before COPY fails with a message that
// names only a line of the staging stream.
func checkText(source string, values ...string) error {
	for _, v := range values {
		if !utf8.ValidString(v) || strings.IndexByte(v, 0) >= 0 {
			return cipmap.Errorf(cipmap.EINVALID, "%s: value %q is not valid UTF-8 text (PostgreSQL text cannot hold NUL bytes or invalid UTF-8)", where(source), v)
		}
	}
	return nil
}

// copyBatch is how many rows go to the COPY goroutine at a time; copyQueue is how
// many batches may wait. Together they bound the rows held in memory while loading.
const (
	copyBatch = 1000
	copyQueue = 8
)

// copier streams rows into one staging table at a time through COPY. The COPY runs
// in its own goroutine, reading batches from a channel while fill produces the next
// ones. When fill switches to another table, the running COPY is finished and a new
// one started: a connection runs one COPY at a time.
type copier struct {
	ctx   context.Context
	tx    pgx.Tx
	table string // the table being copied into, "" if none
	batch [][]any
	src   *chanSource
	done  chan struct{} // closed when the COPY returns
	err   error         // the COPY's error, set before done is closed
	rows  map[string]int64
}

// add queues one row for table.
func (c *copier) add(table string, cols []string, row []any) error {
	if c.table != table {
		if err := c.finish(); err != nil {
			return err
		}
		c.start(table, cols)
	}
	c.batch = append(c.batch, row)
	if len(c.batch) >= copyBatch {
		return c.send()
	}
	return nil
}

func (c *copier) start(table string, cols []string) {
	c.table = table
	c.batch = make([][]any, 0, copyBatch)
	c.src = &chanSource{ch: make(chan [][]any, copyQueue)}
	c.done = make(chan struct{})
	c.err = nil
	go func(src *chanSource, done chan struct{}) {
		n, err := c.tx.CopyFrom(c.ctx, pgx.Identifier{table}, cols, src)
		c.rows[table] += n
		c.err = err
		close(done)
	}(c.src, c.done)
}

// send hands the current batch to the COPY, or returns the COPY's error if it has
// stopped.
func (c *copier) send() error {
	select {
	case c.src.ch <- c.batch:
		c.batch = make([][]any, 0, copyBatch)
		return nil
	case <-c.done:
		if c.err == nil {
			return errors.New("copy ended early")
		}
		return c.err
	}
}

// finish sends what is left, ends the running COPY and waits for it.
func (c *copier) finish() error {
	if c.table == "" {
		return nil
	}
	var err error
	if len(c.batch) > 0 {
		err = c.send()
	}
	close(c.src.ch)
	<-c.done
	c.table, c.batch = "", nil
	if err != nil {
		return err
	}
	return c.err
}

// abort makes the running COPY fail, so nothing is copied, and waits for it.
func (c *copier) abort() {
	if c.table == "" {
		return
	}
	c.src.aborted.Store(true)
	close(c.src.ch)
	<-c.done
	c.table, c.batch = "", nil
}

var errAborted = errors.New("load aborted")

// chanSource is a pgx.CopyFromSource that reads batches of rows from a channel.
type chanSource struct {
	ch      chan [][]any
	batch   [][]any
	i       int
	row     []any
	aborted atomic.Bool
}

func (s *chanSource) Next() bool {
	for s.i >= len(s.batch) {
		b, ok := <-s.ch
		if !ok {
			return false
		}
		s.batch, s.i = b, 0
	}
	s.row = s.batch[s.i]
	s.batch[s.i] = nil
	s.i++
	return true
}

func (s *chanSource) Values() ([]any, error) { return s.row, nil }

func (s *chanSource) Err() error {
	if s.aborted.Load() {
		return errAborted
	}
	return nil
}

// nullable returns *v, or nil for a nil pointer.
func nullable[T any](v *T) any {
	if v == nil {
		return nil
	}
	return *v
}

// nullString returns s, or nil (NULL) for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
