package main

import (
	"context"
	"fmt"
	"os"
	"sort"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ingest"
	"github.com/cipmap/cipmap/schema"
	"github.com/schollz/progressbar/v3"
)

// IngestCommand loads datasets through mapping files.
type IngestCommand struct{ m *Main }

const ingestHelp = `Usage: cipmap ingest [flags] MAPPING.yaml [MAPPING.yaml ...]

Reads the source files a mapping names (CSV, TSV, XLSX, JSON, JSON lines; UTF-8, GBK or
GB18030) and loads them as a new version of the mapping's dataset, in one transaction.
Every value is parsed by its property's type: dates (2020/8/13, 8/13/2020 15:57:29,
2020年8月13日, Excel serials), money (25200.0元, 1.2亿元, 3,500万元, USD 2.5m), percentages,
and identifiers checked by their check characters (unified social credit codes, LEI).

读取映射文件指定的数据源，作为数据集的新版本在一个事务中写入数据库。

Ingesting the same content again reports "unchanged" and writes nothing. A new version
replaces the dataset's facts and keeps the date each fact was first seen.

Bad values: with --on-error fail (default) the ingest stops with a report of every bad
value (file:line:column, the value, what was expected) and writes nothing; with
--on-error skip bad rows are written to --rejects and the good rows are loaded.

Examples:
  cipmap ingest examples/procurement-pla-ai-2020/mapping.yaml
  cipmap ingest --on-error skip --rejects rejects.csv examples/ai-investments-amplyfi/mapping.yaml
  cipmap ingest --db postgres://localhost/cipmap --format json mapping.yaml`

func (c *IngestCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("ingest", ingestHelp)
	var db dbFlags
	var out formatFlag
	c.m.addDBFlag(fs, &db)
	addFormatFlag(fs, &out)
	onError := fs.String("on-error", "fail", "what to do with a bad row: fail (write nothing) or skip (reject the row)")
	rejects := fs.String("rejects", "", "with --on-error skip: write rejected rows here as CSV (default: DATASET.rejects.csv)")
	force := fs.Bool("force", false, "write a new version even if the content is unchanged")
	quiet := fs.Bool("quiet", false, "no progress bar")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	schemas, err := schema.Load()
	if err != nil {
		return err
	}
	// Check every mapping before opening the database, so a typo costs nothing.
	var maps []*ingest.Mapping
	for _, p := range pos {
		mp, err := ingest.LoadMapping(p, schemas)
		if err != nil {
			return err
		}
		maps = append(maps, mp)
	}
	st, err := c.m.openStore(ctx, db.db, false)
	if err != nil {
		return err
	}
	var sums []*ingest.Summary
	for _, mp := range maps {
		opts := ingest.Options{OnError: *onError, Now: c.m.Now, Force: *force}
		if *onError == "skip" {
			path := *rejects
			if path == "" {
				path = mp.Dataset.Name + ".rejects.csv"
			}
			f, err := os.Create(path)
			if err != nil {
				return cipmap.WrapError(cipmap.EINVALID, err, "rejects file")
			}
			defer f.Close()
			opts.Rejects = f
		}
		var bar *progressbar.ProgressBar
		if c.m.IsTerminal && !*quiet {
			bar = progressbar.NewOptions64(-1, progressbar.OptionSetWriter(c.m.Stderr),
				progressbar.OptionSetDescription(mp.Dataset.Name), progressbar.OptionShowCount(),
				progressbar.OptionShowIts(), progressbar.OptionSetItsString("rows"), progressbar.OptionThrottle(100e6),
				progressbar.OptionClearOnFinish())
			name := mp.Dataset.Name
			opts.Progress = func(p ingest.Progress) {
				bar.Set64(p.Rows)
				if p.File == "" { // every row is read; the database now takes them
					bar.Describe(name + ": writing to the database")
				}
			}
		}
		sum, err := ingest.Run(ctx, st, mp, opts)
		if bar != nil {
			bar.Finish()
		}
		if sum != nil && len(sum.Errors) > 0 {
			for _, e := range sum.Errors {
				fmt.Fprintln(c.m.Stderr, e.String())
			}
			if int64(len(sum.Errors)) < sum.ErrorCount {
				fmt.Fprintf(c.m.Stderr, "... and %d more\n", sum.ErrorCount-int64(len(sum.Errors)))
			}
		}
		if err != nil {
			return err
		}
		if *onError == "skip" && sum.Rejects > 0 {
			fmt.Fprintf(c.m.Stderr, "%s: %d row(s) rejected, written to %s\n", mp.Dataset.Name, sum.Rejects, opts.Rejects.(*os.File).Name())
		}
		sums = append(sums, sum)
	}
	changed := false
	for _, s := range sums {
		changed = changed || !s.Unchanged
	}
	if err := reorder(ctx, st, changed); err != nil {
		return err
	}
	return writeSummaries(c.m, out.format, sums)
}

func writeSummaries(m *Main, format string, sums []*ingest.Summary) error {
	if format == "json" {
		return writeJSON(m.Stdout, sums)
	}
	cols := []string{"dataset", "status", "rows", "empty_rows", "entities", "statements", "facts", "rejects", "added", "removed", "seconds", "rows_per_s", "version"}
	var rows [][]string
	for _, s := range sums {
		status := "loaded"
		if s.Unchanged {
			status = "unchanged"
		} else if s.Previous != "" {
			status = "replaced"
		}
		rows = append(rows, []string{s.Dataset, status, fmt.Sprint(s.Rows), fmt.Sprint(s.EmptyRows), fmt.Sprint(s.Entities),
			fmt.Sprint(s.Statements), fmt.Sprint(s.Facts), fmt.Sprint(s.Rejects), fmt.Sprint(s.Added), fmt.Sprint(s.Removed),
			fmt.Sprintf("%.2f", s.Seconds), fmt.Sprintf("%.0f", s.RowsPerSec), s.Version})
	}
	if err := writeRows(m.Stdout, format, cols, rows); err != nil {
		return err
	}
	if format == "table" {
		for _, s := range sums {
			if s.EmptyRows > 0 {
				fmt.Fprintf(m.Stdout, "%s: %d blank row(s) in the source were skipped (counted, not data)\n", s.Dataset, s.EmptyRows)
			}
			keys := make([]string, 0, len(s.NoKey))
			for k := range s.NoKey {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				fmt.Fprintf(m.Stdout, "%s: %d row(s) made no %q entity: its id columns were empty\n", s.Dataset, s.NoKey[k], k)
			}
			if s.Dropped > 0 {
				fmt.Fprintf(m.Stdout, "%s: %d invalid value(s) dropped (invalid: drop), their rows kept; the first:\n", s.Dataset, s.Dropped)
				for i, d := range s.DroppedValues {
					if i == 5 {
						break
					}
					fmt.Fprintf(m.Stdout, "  %s\n", d.String())
				}
			}
		}
	}
	return nil
}

// reorder puts a DuckDB store's derived tables and patent tags back in order of
// their lookup columns after loads that changed something (they append out of
// order: see duckdb.DB.Reorder).
func reorder(ctx context.Context, st cipmap.Store, changed bool) error {
	if r, ok := st.(interface{ Reorder(context.Context) error }); ok && changed {
		return r.Reorder(ctx)
	}
	return nil
}
