package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/patent"
	"github.com/cipmap/cipmap/taxonomy"
)

// PatentsCommand works on the patent_facts table: `cipmap patents tag` tags it.
type PatentsCommand struct{ m *Main }

const patentsHelp = `Usage: cipmap patents tag [--dataset NAME] [--from DATASET,...] [--format table|json|csv]

Tags every patent of the patent_facts fact table (patents mapped with
'facts: - table: patent_facts') with CTT technology tags from its IPC codes, through
the IPC → CTT crosswalk of the registry (built in, plus crosswalks stored in the
database). Each of a patent's n IPC codes carries 1/n of the patent, divided among the
tags it reaches, so patents count fractionally; mass the crosswalk does not map is
lost and reported. The tags are stored as the dataset NAME (default patent-tags) of
the patent_tags table; running again with the same patents and crosswalks writes
nothing. cipmap sector reads them.
按 IPC → CTT 对照为专利打技术标签（分数计数），写入 patent_tags 表。

Examples:
  cipmap patents tag --db world.duckdb
  cipmap patents tag --from world-outcome-patents --dataset patent-tags.world`

func (c *PatentsCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("patents", patentsHelp)
	var f readFlags
	name := fs.String("dataset", "patent-tags", "the dataset of tags to write")
	from := fs.String("from", "", "the patent datasets to tag, comma-separated (default all)")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	if pos[0] != "tag" {
		fs.Usage()
		return errUsage
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	version, err := crosswalkVersion(ctx, st)
	if err != nil {
		return err
	}
	var sources []string
	for _, s := range strings.Split(*from, ",") {
		if s = strings.TrimSpace(s); s != "" {
			sources = append(sources, s)
		}
	}
	rep, err := patent.Tag(ctx, st, ipcConverter(reg), patent.Options{Dataset: *name, Sources: sources,
		System: taxonomy.CTT, Version: version})
	if err != nil {
		return err
	}
	if err := reorder(ctx, st, !rep.Load.Unchanged); err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, rep)
	}
	status := "tagged"
	if rep.Load.Unchanged {
		status = "unchanged"
	}
	cols := []string{"dataset", "status", "patents", "tagged", "no_ipc", "rows", "mass", "lost", "codes", "invalid_codes"}
	rows := [][]string{{*name, status, fmt.Sprint(rep.Patents), fmt.Sprint(rep.Tagged), fmt.Sprint(rep.NoIPC),
		fmt.Sprint(rep.Rows), fmt.Sprintf("%.1f", rep.Mass), fmt.Sprintf("%.1f", rep.Lost), fmt.Sprint(rep.Codes),
		fmt.Sprint(rep.Invalid)}}
	if err := writeRows(c.m.Stdout, f.format, cols, rows); err != nil {
		return err
	}
	if len(rep.Examples) > 0 {
		fmt.Fprintf(c.m.Stderr, "%d IPC code(s) are not valid and count for no tag, such as: %s\n", rep.Invalid,
			strings.Join(rep.Examples, ", "))
	}
	return nil
}

// ipcConverter converts IPC codes to CTT tags through the registry.
func ipcConverter(reg *taxonomy.Registry) patent.Converter {
	return func(code string) ([]patent.Share, error) {
		res, err := reg.Convert("ipc", code, taxonomy.CTT)
		if err != nil {
			return nil, err
		}
		out := make([]patent.Share, 0, len(res.Distribution))
		for _, t := range res.Distribution {
			out = append(out, patent.Share{Tag: t.Code, Weight: t.Weight})
		}
		return out, nil
	}
}

// crosswalkVersion identifies the crosswalks a conversion may use: the built-in
// tables of this build and the versions of the stored crosswalk datasets.
func crosswalkVersion(ctx context.Context, st cipmap.Store) (string, error) {
	h := sha256.New()
	fmt.Fprint(h, "builtin/1")
	if ok, err := hasTable(ctx, st, "crosswalk_edges"); err != nil || !ok {
		return hex.EncodeToString(h.Sum(nil))[:16], err
	}
	t, err := st.Query(ctx, `SELECT d.name, d.version FROM dataset d
		WHERE d.name IN (SELECT DISTINCT dataset FROM crosswalk_edges) ORDER BY d.name`)
	if err != nil {
		return "", err
	}
	for _, r := range t.Rows {
		fmt.Fprintf(h, "\x1f%v\x1f%v", r[0], r[1])
	}
	return hex.EncodeToString(h.Sum(nil))[:16], nil
}
