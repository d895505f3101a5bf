package main

import (
	"context"
	"flag"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/parse"
)

// readFlags are the flags of every read command.
type readFlags struct {
	dbFlags
	formatFlag
}

// parse adds the read flags to fs, parses args and checks the format; it returns the
// positional arguments. want, if not nil, checks their number before anything opens.
func (f *readFlags) parse(m *Main, fs *flag.FlagSet, args []string, want func(n int) bool) ([]string, error) {
	m.addDBFlag(fs, &f.dbFlags)
	addFormatFlag(fs, &f.formatFlag)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	if want != nil && !want(len(pos)) {
		fs.Usage()
		return nil, errUsage
	}
	return pos, nil
}

func none(n int) bool     { return n == 0 }
func one(n int) bool      { return n == 1 }
func atLeast1(n int) bool { return n >= 1 }

// DatasetsCommand lists datasets.
type DatasetsCommand struct{ m *Main }

const datasetsHelp = `Usage: cipmap datasets [--format table|json|csv]

Lists the datasets in the database: name, version (a hash of the source files and the
mapping), when it was ingested, rows, entities, statements, fact rows, rejects, licence
and source. 列出数据库中的数据集及其版本、来源和许可。`

func (c *DatasetsCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("datasets", datasetsHelp)
	var f readFlags
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	ds, err := st.Datasets(ctx)
	if err != nil {
		return err
	}
	if f.format == "json" {
		if ds == nil {
			ds = []cipmap.Dataset{}
		}
		return writeJSON(c.m.Stdout, ds)
	}
	cols := []string{"name", "version", "ingested_at", "rows", "entities", "statements", "facts", "rejects", "licence", "title", "source"}
	var rows [][]string
	for _, d := range ds {
		rows = append(rows, []string{d.Name, d.Version, d.IngestedAt.Format(time.RFC3339), fmt.Sprint(d.Rows), fmt.Sprint(d.Entities),
			fmt.Sprint(d.Statements), fmt.Sprint(d.Facts), fmt.Sprint(d.Rejects), d.Licence, d.Title, d.Source})
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}

// ShowCommand prints an entity with its statements.
type ShowCommand struct{ m *Main }

const showHelp = `Usage: cipmap show [--format table|json|csv] ID

Shows an entity: its schema, caption, and every statement about it with its
provenance: the value, the value as the source wrote it, the dataset, the source
record (file:line), and when the fact was first and last seen.
显示一个实体及其每条陈述的来源（数据集、文件:行）。

Find ids with 'cipmap search'.`

func (c *ShowCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("show", showHelp)
	var f readFlags
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	e, err := st.Entity(ctx, pos[0])
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, e)
	}
	cols := []string{"property", "value", "original", "lang", "dataset", "source", "first_seen", "last_seen"}
	var rows [][]string
	for _, s := range e.Statements {
		rows = append(rows, []string{s.Property, s.Value, s.Original, s.Lang, s.Dataset, s.Source,
			s.FirstSeen.Format("2006-01-02"), s.LastSeen.Format("2006-01-02")})
	}
	if f.format == "table" {
		fmt.Fprintf(c.m.Stdout, "%s  %s  %s\n\n", e.Schema, e.ID, e.Caption)
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}

// SearchCommand finds entities by name.
type SearchCommand struct{ m *Main }

const searchHelp = `Usage: cipmap search [--schema Firm,GovBody] [--limit N] [--format table|json|csv] TEXT

Finds entities whose names (Chinese, English, aliases, short names) or titles contain
TEXT, ignoring case and full-width forms. Exact matches first, then prefixes.
按名称（中文或英文）查找实体。

Examples:
  cipmap search 航天科技
  cipmap search --schema Firm "Huawei"`

func (c *SearchCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("search", searchHelp)
	var f readFlags
	schemas := fs.String("schema", "", "only entities of these schemas (comma-separated)")
	limit := fs.Int("limit", 20, "at most this many results")
	pos, err := f.parse(c.m, fs, args, atLeast1)
	if err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	q := cipmap.SearchQuery{Text: parse.Fold(strings.Join(pos, " ")), Limit: *limit}
	if *schemas != "" {
		q.Schemas = strings.Split(*schemas, ",")
	}
	hits, err := st.Search(ctx, q)
	if err != nil {
		return err
	}
	if f.format == "json" {
		if hits == nil {
			hits = []cipmap.SearchHit{}
		}
		return writeJSON(c.m.Stdout, hits)
	}
	cols := []string{"id", "schema", "caption", "matched", "score", "datasets"}
	var rows [][]string
	for _, h := range hits {
		rows = append(rows, []string{h.EntityID, h.Schema, h.Caption, h.Property + ": " + h.Value, fmt.Sprintf("%.2f", h.Score), h.Datasets})
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}

// QueryCommand runs read-only SQL.
type QueryCommand struct{ m *Main }

const queryHelp = `Usage: cipmap query [--format table|json|csv] SQL

Runs one read-only SQL query (SELECT or EXPLAIN; anything that writes is refused) on
the database's stable views:
  entities      id, schema, caption, datasets, statements, first_seen, last_seen
  statements    id, entity_id, schema, property, value, original, lang, dataset,
                source, first_seen, last_seen
  datasets      name, title, version, source, licence, ingested_at, counts
  financials    firm-year facts: entity_id, year, currency, revenue, export_revenue,
                loans, subsidies, employees, dataset, source
  trade_flows   year, reporter, partner, hs6, flow, value, currency, quantity, ...
  one view per schema with a column per property: firms, persons, funds, gov_bodies,
  policies, programs, patents, products, ownerships, controls, directorships,
  investments, grants, loans, contracts, listings, designations, issuances, targetings
在稳定视图上运行只读 SQL 查询。

Examples:
  cipmap query "SELECT name, count(*) FROM firms GROUP BY name ORDER BY 2 DESC LIMIT 10"
  cipmap query --format csv "SELECT * FROM contracts" > contracts.csv`

func (c *QueryCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("query", queryHelp)
	var f readFlags
	pos, err := f.parse(c.m, fs, args, atLeast1)
	if err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	tab, err := st.Query(ctx, strings.Join(pos, " "))
	if err != nil {
		return err
	}
	rows := make([][]string, len(tab.Rows))
	for i, r := range tab.Rows {
		rows[i] = make([]string, len(r))
		for j, v := range r {
			rows[i][j] = cellString(v)
		}
	}
	return writeRows(c.m.Stdout, f.format, tab.Columns, rows)
}

// StatsCommand counts what the database holds.
type StatsCommand struct{ m *Main }

const statsHelp = `Usage: cipmap stats [--format table|json|csv]

Counts datasets, entities by schema, statements and fact-table rows.
统计数据库内容：数据集、各类实体、陈述和事实表行数。`

func (c *StatsCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("stats", statsHelp)
	var f readFlags
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	s, err := st.Stats(ctx)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, s)
	}
	rows := [][]string{{"datasets", fmt.Sprint(s.Datasets)}, {"entities", fmt.Sprint(s.Entities)}, {"statements", fmt.Sprint(s.Statements)}}
	for _, name := range sortedKeys(s.BySchema) {
		rows = append(rows, []string{"entities: " + name, fmt.Sprint(s.BySchema[name])})
	}
	for _, name := range sortedKeys(s.Facts) {
		rows = append(rows, []string{"fact rows: " + name, fmt.Sprint(s.Facts[name])})
	}
	return writeRows(c.m.Stdout, f.format, []string{"what", "count"}, rows)
}

func sortedKeys(m map[string]int64) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// DeleteCommand removes a dataset.
type DeleteCommand struct{ m *Main }

const deleteHelp = `Usage: cipmap delete DATASET

Deletes a dataset and every statement and fact row it brought, in one transaction.
删除一个数据集及其全部陈述和事实。`

func (c *DeleteCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("delete", deleteHelp)
	var f dbFlags
	c.m.addDBFlag(fs, &f)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	if err := st.DeleteDataset(ctx, pos[0]); err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "deleted dataset %s\n", pos[0])
	return nil
}
