package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/duckdb"
	"github.com/cipmap/cipmap/export"
	"github.com/cipmap/cipmap/schema"
)

// ExportCommand writes statements in other tools' formats.
type ExportCommand struct{ m *Main }

const exportHelp = `Usage: cipmap export --format csv|parquet|ftm|graphml [--dataset NAME] [--schema Firm,...] [--out FILE]

Exports the database's statements with their provenance:
  csv      one row per statement (id, entity_id, schema, property, value, original,
           lang, dataset, source, first_seen, last_seen): for R, Stata, pandas
  parquet  the same columns as a Parquet file (needs --out): for Spark, DuckDB, Arrow
  ftm      FollowTheMoney-style JSON lines, one entity a line with its properties,
           datasets and source records: for OpenSanctions tools and aleph
  graphml  entities as nodes and relations (Ownership, Contract, Investment, ...) as
           directed edges with amount, currency, date: for NetworkX, igraph, Gephi
导出陈述及其来源：csv、parquet、ftm（FollowTheMoney JSON 行）、graphml。

Examples:
  cipmap export --format ftm --out entities.jsonl
  cipmap export --format graphml --dataset pla-procurement-2020 --out pla.graphml
  cipmap export --format parquet --out statements.parquet`

func (c *ExportCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("export", exportHelp)
	var db dbFlags
	c.m.addDBFlag(fs, &db)
	format := fs.String("format", "ftm", "csv, parquet, ftm or graphml")
	dataset := fs.String("dataset", "", "only this dataset")
	schemas := fs.String("schema", "", "only these schemas (comma-separated)")
	out := fs.String("out", "", "write to this file (default standard output)")
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	switch *format {
	case "csv", "ftm", "graphml":
	case "parquet":
		if *out == "" {
			return cipmap.Errorf(cipmap.EINVALID, "--format parquet needs --out FILE")
		}
	default:
		return cipmap.Errorf(cipmap.EINVALID, "--format %q: expected csv, parquet, ftm or graphml", *format)
	}
	st, err := c.m.openStore(ctx, db.db, true)
	if err != nil {
		return err
	}
	filter := cipmap.StatementFilter{Dataset: *dataset}
	if *schemas != "" {
		filter.Schemas = strings.Split(*schemas, ",")
	}
	if *dataset != "" {
		if _, err := st.Dataset(ctx, *dataset); err != nil {
			return err
		}
	}
	if *format == "parquet" {
		n, err := duckdb.WriteParquet(ctx, *out, func(fn func(*cipmap.Statement) error) error {
			return st.Statements(ctx, filter, fn)
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stderr, "wrote %d statements to %s\n", n, *out)
		return nil
	}
	var w io.Writer = c.m.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return cipmap.WrapError(cipmap.EINVALID, err, "export")
		}
		defer f.Close()
		w = f
	}
	var msg string
	switch *format {
	case "csv":
		n, err := export.CSV(ctx, st, filter, w)
		if err != nil {
			return err
		}
		msg = fmt.Sprintf("%d statements", n)
	case "ftm":
		n, err := export.FtM(ctx, st, filter, w)
		if err != nil {
			return err
		}
		msg = fmt.Sprintf("%d entities", n)
	case "graphml":
		sc, err := schema.Load()
		if err != nil {
			return err
		}
		nodes, edges, err := export.GraphML(ctx, st, sc, filter, w)
		if err != nil {
			return err
		}
		msg = fmt.Sprintf("%d nodes and %d edges", nodes, edges)
	}
	if *out != "" {
		fmt.Fprintf(c.m.Stderr, "wrote %s to %s\n", msg, *out)
	}
	return nil
}
