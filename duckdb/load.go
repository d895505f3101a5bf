package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/internal/sqlview"
	duck "github.com/duckdb/duckdb-go/v2"
)

// Load writes a new version of a dataset in one transaction. See cipmap.Store.
func (db *DB) Load(ctx context.Context, ds *cipmap.Dataset, fill func(cipmap.Writer) error) (*cipmap.LoadResult, error) {
	if db.readOnly {
		return nil, cipmap.Errorf(cipmap.EREADONLY, "database %s is open read-only", db.path)
	}
	if ds.Name == "" || ds.Version == "" {
		return nil, cipmap.Errorf(cipmap.EINVALID, "a dataset needs a name and a version")
	}
	res := &cipmap.LoadResult{}
	prev, err := db.Dataset(ctx, ds.Name)
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

	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	// Staging tables are temporary: they vanish with the connection, so a crash
	// before the commit leaves nothing behind.
	for _, s := range []string{
		"CREATE OR REPLACE TEMP TABLE stage_statement AS SELECT * FROM statement LIMIT 0",
		"CREATE OR REPLACE TEMP TABLE stage_financials AS SELECT * FROM financials LIMIT 0",
		"CREATE OR REPLACE TEMP TABLE stage_trade_flows AS SELECT * FROM trade_flows LIMIT 0",
	} {
		if _, err := conn.ExecContext(ctx, s); err != nil {
			return nil, fmt.Errorf("create staging table: %w", err)
		}
	}
	defer conn.ExecContext(context.Background(), "DROP TABLE IF EXISTS temp.stage_statement; DROP TABLE IF EXISTS temp.stage_financials; DROP TABLE IF EXISTS temp.stage_trade_flows")

	w := &writer{dataset: ds.Name, now: now}
	err = conn.Raw(func(dc any) error {
		c := dc.(driver.Conn)
		var err error
		if w.stmts, err = duck.NewAppender(c, "temp", "main", "stage_statement"); err != nil {
			return err
		}
		if w.fins, err = duck.NewAppender(c, "temp", "main", "stage_financials"); err != nil {
			return err
		}
		if w.trades, err = duck.NewAppender(c, "temp", "main", "stage_trade_flows"); err != nil {
			return err
		}
		ferr := fill(w)
		cerr := w.close()
		if ferr != nil {
			return ferr
		}
		return cerr
	})
	if err != nil {
		w.close()
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	if err := db.replace(ctx, tx, ds, res, now); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit dataset %s: %w", ds.Name, err)
	}
	res.Dataset = *ds
	return res, nil
}

// replace moves the staged version into place, inside tx.
func (db *DB) replace(ctx context.Context, tx *sql.Tx, ds *cipmap.Dataset, res *cipmap.LoadResult, now time.Time) error {
	exec := func(q string, args ...any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%w\n%s", err, q)
		}
		return nil
	}
	count := func(dst *int64, q string, args ...any) error {
		return tx.QueryRowContext(ctx, q, args...).Scan(dst)
	}
	if err := exec(`CREATE OR REPLACE TEMP TABLE stage_prev AS
		SELECT id, min(first_seen) AS first_seen FROM statement WHERE dataset = ? GROUP BY id`, ds.Name); err != nil {
		return err
	}
	if err := count(&res.Added, `SELECT count(DISTINCT s.id) FROM stage_statement s ANTI JOIN stage_prev p ON s.id = p.id`); err != nil {
		return err
	}
	if err := count(&res.Removed, `SELECT count(*) FROM stage_prev p ANTI JOIN (SELECT DISTINCT id FROM stage_statement) s ON s.id = p.id`); err != nil {
		return err
	}
	for _, t := range []string{"statement", "entity", "financials", "trade_flows"} {
		if err := exec("DELETE FROM "+t+" WHERE dataset = ?", ds.Name); err != nil {
			return err
		}
	}
	if err := exec(`INSERT INTO statement
		SELECT s.id, s.entity_id, s.schema, s.property, s.value, s.original, s.lang, s.dataset, s.source,
		       coalesce(p.first_seen, s.first_seen), s.last_seen
		FROM stage_statement s LEFT JOIN stage_prev p ON s.id = p.id`); err != nil {
		return err
	}
	caption := sqlview.Caption(db.schemas, "entity_id")
	if err := exec(fmt.Sprintf(`INSERT INTO entity
		SELECT entity_id, min(schema), %s, min(dataset), count(*), min(first_seen), max(last_seen)
		FROM statement WHERE dataset = ? GROUP BY entity_id`, caption), ds.Name); err != nil {
		return err
	}
	if err := exec(`INSERT INTO financials SELECT * FROM stage_financials`); err != nil {
		return err
	}
	if err := exec(`INSERT INTO trade_flows SELECT * FROM stage_trade_flows`); err != nil {
		return err
	}
	if err := exec(`DROP TABLE stage_prev`); err != nil {
		return err
	}
	if err := count(&ds.Statements, `SELECT count(*) FROM statement WHERE dataset = ?`, ds.Name); err != nil {
		return err
	}
	if err := count(&ds.Entities, `SELECT count(*) FROM entity WHERE dataset = ?`, ds.Name); err != nil {
		return err
	}
	var fin, trade int64
	if err := count(&fin, `SELECT count(*) FROM stage_financials`); err != nil {
		return err
	}
	if err := count(&trade, `SELECT count(*) FROM stage_trade_flows`); err != nil {
		return err
	}
	ds.Facts = fin + trade
	first := now
	var had time.Time
	if err := tx.QueryRowContext(ctx, "SELECT first_ingested_at FROM dataset WHERE name = ?", ds.Name).Scan(&had); err == nil {
		first = had
	}
	if err := exec("DELETE FROM dataset WHERE name = ?", ds.Name); err != nil {
		return err
	}
	return exec(`INSERT INTO dataset VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ds.Name, ds.Title, ds.Version, ds.Source, ds.Licence, strings.Join(ds.Files, "\n"),
		now, first, ds.Rows, ds.Entities, ds.Statements, ds.Facts, ds.Rejects)
}

// writer appends one dataset version's facts to the staging tables.
type writer struct {
	dataset             string
	now                 time.Time
	stmts, fins, trades *duck.Appender
}

func (w *writer) Statement(s *cipmap.Statement) error {
	if s.EntityID == "" || s.Property == "" || s.Schema == "" {
		return cipmap.Errorf(cipmap.EINVALID, "statement without entity id, schema or property: %+v", *s)
	}
	id := s.ID
	if id == "" {
		id = cipmap.StatementID(w.dataset, s.EntityID, s.Property, s.Value)
	}
	return w.stmts.AppendRow(id, s.EntityID, s.Schema, s.Property, s.Value, nullString(s.Original),
		nullString(s.Lang), w.dataset, nullString(s.Source), w.now, w.now)
}

func (w *writer) Financial(f *cipmap.Financial) error {
	if f.EntityID == "" {
		return cipmap.Errorf(cipmap.EINVALID, "financials row without entity id")
	}
	return w.fins.AppendRow(f.EntityID, int32(f.Year), nullString(f.Currency), nullable(f.Revenue),
		nullable(f.ExportRevenue), nullable(f.Loans), nullable(f.Subsidies), nullable(f.Employees),
		w.dataset, nullString(f.Source))
}

func (w *writer) TradeFlow(t *cipmap.TradeFlow) error {
	return w.trades.AppendRow(int32(t.Year), t.Reporter, t.Partner, t.HS6, nullString(t.Flow), nullable(t.Value),
		nullString(t.Currency), nullable(t.Quantity), nullString(t.QuantityUnit), w.dataset, nullString(t.Source))
}

// close flushes and closes the appenders; it may be called twice.
func (w *writer) close() error {
	var first error
	for _, a := range []**duck.Appender{&w.stmts, &w.fins, &w.trades} {
		if *a == nil {
			continue
		}
		if err := (*a).Close(); err != nil && first == nil {
			first = err
		}
		*a = nil
	}
	return first
}
