package main

import (
	"context"
	"fmt"
	"github.com/cipmap/cipmap/money"
	"io"
	"os"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/sector"
)

// SectorCommand profiles a technology sector, or compares several.
type SectorCommand struct{ m *Main }

const sectorHelp = `Usage: cipmap sector TAG [--from YEAR] [--to YEAR] [--top N] [--format table|json|csv|html] [--out FILE]
       cipmap sector compare TAG... [same flags]

Profiles the sector of a CTT tag and every tag under it (see 'cipmap tag --tree'):
  firms         firms with patents tagged in the subtree (patent_tags, from
                'cipmap patents tag') or carrying such a tag themselves (tags);
                records resolved into one firm (cipmap resolve) count once
  entry         firms by founding year
  patents       applications by year, fractional (a patent counts for the share of
                its tagged weight inside the subtree, split among its applicants),
                with lower (wholly in the sector) and upper (partly in it) bounds
  resources     investments, grants, loans, contracts and listings reaching its
                firms, by channel and year, in CNY, and how much the state gave
  ownership     firms, patents and revenue by class: central SOE, local SOE,
                mixed, private, foreign (look-through ownership, as cipmap ownership)
  concentration HHI over revenue (financials), else over patents
  geography     firms and patents by province
  top firms     by patents, then revenue
  policies      policies and programs with a Targeting relation to the subtree,
                and the programs that designated its firms

'compare' puts sectors side by side with an architecture index between command (1)
and market (0): the mean of the components that have data,
  F  state share of funding      state-given CNY / all CNY reaching the firms
  E  state share of equity       mean look-through state share of the firms
  P  SOE share of patents        central and local SOE patents / all patents
  N  1 − entry rate              entry rate: firms founded in the window's last
                                 five years / firms with a known founding year
  C  concentration               HHI (0 to 1)
  index = (F + E + P + N + C) / k, over the k components with data.
--format html writes a self-contained report with SVG charts (no scripts, nothing
fetched) to --out or standard output.
产业画像：企业、新进入、专利（分数计数及上下界）、资源渠道、所有制、集中度、地域、
主要企业、相关政策；compare 给出"指令—市场"架构指数。

Examples:
  cipmap sector integrated-circuits --from 2015 --to 2024
  cipmap sector industrial-robots --format html --out robots.html
  cipmap sector compare integrated-circuits new-energy-vehicles photovoltaics`

func (c *SectorCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("sector", sectorHelp)
	var db dbFlags
	c.m.addDBFlag(fs, &db)
	format := fs.String("format", "table", "output format: table, json, csv or html")
	out := fs.String("out", "", "write to this file instead of standard output")
	from := fs.Int("from", 0, "first year counted (default: all)")
	to := fs.Int("to", 0, "last year counted (default: all)")
	top := fs.Int("top", 20, "top firms listed")
	owners := fs.Bool("ownership", true, "classify firms by look-through ownership (loads the ownership graph)")
	at := fs.String("at", "", "ownership on this date, YYYY-MM-DD (default: the end of --to, else today)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	switch *format {
	case "table", "json", "csv", "html":
	default:
		return cipmap.Errorf(cipmap.EINVALID, "--format %q: expected table, json, csv or html", *format)
	}
	compare := len(pos) > 0 && pos[0] == "compare"
	if compare {
		pos = pos[1:]
	}
	if len(pos) == 0 || (!compare && len(pos) != 1) {
		fs.Usage()
		return errUsage
	}
	std, err := ctt.Load()
	if err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, db.db, true)
	if err != nil {
		return err
	}
	rates, err := money.Load()
	if err != nil {
		return err
	}
	opt := sector.Options{From: *from, To: *to, Top: *top, Rates: rates}
	if *owners {
		date := *at
		if date == "" && *to != 0 {
			date = fmt.Sprintf("%d-12-31", *to)
		}
		if opt.Ownership, err = c.m.sectorOwnership(st, date); err != nil {
			return err
		}
	}
	w := c.m.Stdout
	if *out != "" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	tree := cttTree{std}
	var profiles []*sector.Profile
	if compare {
		cmp, err := sector.Compare(ctx, st, tree, pos, opt)
		if err != nil {
			return err
		}
		profiles = cmp.Sectors
		switch *format {
		case "json":
			return writeJSON(w, cmp)
		case "table", "csv":
			t := cmp.Table()
			return writeRows(w, *format, t.Columns, t.Rows)
		}
	} else {
		p, err := sector.Build(ctx, st, tree, pos[0], opt)
		if err != nil {
			return err
		}
		profiles = []*sector.Profile{p}
		switch *format {
		case "json":
			return writeJSON(w, p)
		case "table", "csv":
			return writeSections(w, *format, p.Sections())
		}
	}
	return sector.WriteHTML(w, profiles...)
}

// writeSections writes a profile's tables one after another, each under its name (a
// "# name" line in CSV).
func writeSections(w io.Writer, format string, secs []sector.Section) error {
	for i, s := range secs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		if format == "csv" {
			fmt.Fprintf(w, "# %s\n", s.Name)
		} else {
			fmt.Fprintf(w, "== %s\n", s.Name)
		}
		if len(s.Rows) == 0 {
			if format != "csv" {
				fmt.Fprintln(w, "(none 无)")
			}
			continue
		}
		if err := writeRows(w, format, s.Columns, s.Rows); err != nil {
			return err
		}
	}
	return nil
}

// cttTree is the CTT standard as a sector.Tree.
type cttTree struct{ std *ctt.Standard }

func (t cttTree) Subtree(tag string) ([]string, error) {
	if sub := t.std.Subtree(tag); sub != nil {
		return sub, nil
	}
	return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no CTT tag %q; see 'cipmap tag --tree'", tag)
}

func (t cttTree) Name(tag string) cipmap.Label {
	if x := t.std.Tag(tag); x != nil {
		return x.Name
	}
	return cipmap.Label{EN: tag, ZH: tag}
}

// sectorOwnership classifies firms through their ownership neighbourhoods on the
// day (today, or at), read from the store for each call: building the whole graph
// takes minutes at a million firms.
func (m *Main) sectorOwnership(st cipmap.Store, at string) (sector.Ownership, error) {
	day, err := m.ownershipDay(at)
	if err != nil {
		return nil, err
	}
	return sector.OwnershipAround(st, day), nil
}
