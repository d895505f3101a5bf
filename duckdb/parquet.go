package duckdb

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"

	"github.com/cipmap/cipmap"
	duck "github.com/duckdb/duckdb-go/v2"
)

// WriteParquet writes statements to a Parquet file through an in-memory DuckDB, so
// any store can export Parquet with DuckDB's writer. each calls its argument once per
// statement. It returns the number of statements written.
func WriteParquet(ctx context.Context, path string, each func(func(*cipmap.Statement) error) error) (int64, error) {
	connector, err := duck.NewConnector("", nil)
	if err != nil {
		return 0, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `CREATE TABLE statements (id VARCHAR, entity_id VARCHAR, schema VARCHAR,
		property VARCHAR, value VARCHAR, original VARCHAR, lang VARCHAR, dataset VARCHAR, source VARCHAR,
		first_seen TIMESTAMP, last_seen TIMESTAMP)`); err != nil {
		return 0, err
	}
	var n int64
	err = conn.Raw(func(dc any) error {
		a, err := duck.NewAppenderFromConn(dc.(driver.Conn), "", "statements")
		if err != nil {
			return err
		}
		err = each(func(s *cipmap.Statement) error {
			n++
			return a.AppendRow(s.ID, s.EntityID, s.Schema, s.Property, s.Value, nullString(s.Original), nullString(s.Lang),
				s.Dataset, nullString(s.Source), s.FirstSeen, s.LastSeen)
		})
		if cerr := a.Close(); err == nil {
			err = cerr
		}
		return err
	})
	if err != nil {
		return 0, err
	}
	tmp := path + ".tmp"
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("COPY statements TO '%s' (FORMAT parquet, COMPRESSION zstd)", escapeLiteral(tmp))); err != nil {
		os.Remove(tmp)
		return 0, cipmap.WrapError(cipmap.EINVALID, err, "write %s", path)
	}
	return n, os.Rename(tmp, path)
}

func escapeLiteral(s string) string {
	out := make([]rune, 0, len(s))
	for _, r := range s {
		if r == '\'' {
			out = append(out, '\'')
		}
		out = append(out, r)
	}
	return string(out)
}

// ReadCSVBaseline loads a CSV file into a plain table of a fresh DuckDB database at
// dbPath with DuckDB's own reader (read_csv), the baseline that cipmap's ingest speed
// is compared with. It returns the rows loaded.
func ReadCSVBaseline(ctx context.Context, dbPath, csvPath string) (int64, error) {
	connector, err := duck.NewConnector(dbPath, nil)
	if err != nil {
		return 0, err
	}
	db := sql.OpenDB(connector)
	defer db.Close()
	if _, err := db.ExecContext(ctx, fmt.Sprintf("CREATE TABLE baseline AS SELECT * FROM read_csv('%s', header = true)", escapeLiteral(csvPath))); err != nil {
		return 0, err
	}
	if _, err := db.ExecContext(ctx, "CHECKPOINT"); err != nil {
		return 0, err
	}
	var n int64
	err = db.QueryRowContext(ctx, "SELECT count(*) FROM baseline").Scan(&n)
	return n, err
}
