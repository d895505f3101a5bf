package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/schema"
	"github.com/cipmap/cipmap/trace"
)

// PathCommand finds the shortest chains of relations between two entities.
type PathCommand struct{ m *Main }

const pathHelp = `Usage: cipmap path A B [--max N] [--max-length N] [--at DATE] [--format table|json|csv]

Finds the shortest chains between two entities (ids or names) over every relation:
holdings, control, directorships, investments, grants, loans, contracts, listings,
designations, issuances, targetings, a program's policy. Edges are walked in either
direction; each is printed with its schema, its direction, and the dataset and source
record it came from. Up to --max chains (default 5) of the shortest length, searched
up to --max-length edges (default 8).
两个实体之间的最短关系链，每条边附数据来源。

Examples:
  cipmap path 中华人民共和国财政部 world-firm-5d71ab9a34f99249
  cipmap path world-fund-... world-firm-... --max 10 --format json`

func (c *PathCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("path", pathHelp)
	var f readFlags
	max := fs.Int("max", 5, "the most chains to list")
	maxLen := fs.Int("max-length", 8, "the longest chain searched, in edges")
	at := fs.String("at", "", "only edges valid on this date, YYYY-MM-DD")
	pos, err := f.parse(c.m, fs, args, func(n int) bool { return n == 2 })
	if err != nil {
		return err
	}
	if *max < 1 || *maxLen < 1 {
		return cipmap.Errorf(cipmap.EINVALID, "--max and --max-length must be 1 or more")
	}
	if err := checkDate("--at", *at); err != nil {
		return err
	}
	schemas, err := schema.Load()
	if err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	src := &trace.StoreSource{Store: st}
	var ends [2]trace.Node
	for i, q := range pos {
		if ends[i], err = findOne(ctx, src, q, nil); err != nil {
			return err
		}
	}
	paths, err := trace.Paths(ctx, src, ends[0].ID, ends[1].ID, trace.AllRoles(schemas), trace.PathOptions{Max: *max, MaxLength: *maxLen, At: *at})
	if err != nil {
		return err
	}
	if f.format == "json" {
		if paths == nil {
			paths = []trace.Path{}
		}
		return writeJSON(c.m.Stdout, paths)
	}
	cols := []string{"path", "step", "from_id", "from_name", "direction", "schema", "relation", "to_id", "to_name", "date", "amount", "share", "dataset", "source"}
	var rows [][]string
	for i, p := range paths {
		for j, e := range p.Edges {
			a, b := p.Nodes[j], p.Nodes[j+1]
			dir := "→"
			if e.From != a.ID {
				dir = "←"
			}
			amount, sh := "", ""
			if e.Amount != nil {
				amount = strconv.FormatFloat(*e.Amount, 'f', -1, 64) + " " + e.Currency
			}
			if e.Share != nil {
				sh = share(*e.Share)
			}
			rows = append(rows, []string{strconv.Itoa(i + 1), strconv.Itoa(j + 1), a.ID, a.Name, dir, e.Schema, e.ID, b.ID, b.Name, e.Date, amount, sh, e.Dataset, e.Source})
		}
	}
	if len(rows) == 0 && f.format == "table" {
		fmt.Fprintf(c.m.Stdout, "no chain of at most %d edges between %s and %s\n", *maxLen, ends[0].Label(), ends[1].Label())
		return nil
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}
