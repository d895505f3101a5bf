package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/tageval"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

const tagEvalHelp = `Usage: cipmap tag eval [--system sei2018] [--min-weight 0.2] [--cases|--misses]
                      [--format table|json|csv] FILE|gbt4754-notes|gbt4754-notes-own

Scores the CTT tagger on an evaluation set: each text is tagged, its tags are
converted to the system scored (--system, default sei2018; ctt scores the tags
themselves), and compared with the codes the set expects. Prints precision, recall
and F1 at each level of the system (SEI 2018: domain, category, sub-category), the
domain accuracy (share of the texts that expect a code whose top predicted domain
is right), the negative accuracy (share of the texts that expect no code and get
none), the coverage (share that got any tag), the same for each group of the set,
a confusion table by domain (rows expected, columns predicted; none for no code)
and the worst-confused pairs of domains. A code counts as predicted when it has
the largest weight, or at least --min-weight of the text's tags.
用评测集衡量 CTT 标注的准确率、召回率和 F1（按层级），并按领域给出混淆表。

FILE is TSV or CSV with a header and the columns id, text and expected (codes as
system:code separated by ";", such as sei2018:1.2.3 or gbt4754-2017:3491 or
ctt:industrial-robots; empty when the text should get no code), and optionally
group; - reads standard input. Built-in sets:
  gbt4754-notes      the 1,382 GB/T 4754-2017 classes, name and official note
                     (without the ◆ 不包括 part), against their SEI 2018 links;
                     the 913 classes without a link expect no code
  gbt4754-notes-own  the same without the note lines that repeat SEI 2018's key
                     products for the class: the GB/T 4754 text alone

--cases prints each case (expected and predicted codes, the top domain, the tags
with the words that gave them, the text) before the summary; --misses only those
whose top domain is wrong, missing or given where none was expected. With --format
json the whole report (and the cases with --cases or --misses); with --format csv
the per-level table for the set and each group, or the cases.

Examples:
  cipmap tag eval gbt4754-notes
  cipmap tag eval --misses gbt4754-notes | less -S
  cipmap tag eval --system ctt --format csv my-cases.tsv`

// eval runs cipmap tag eval.
func (c *TagCommand) eval(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("tag eval", tagEvalHelp)
	var f readFlags
	system := fs.String("system", taxonomy.SEI2018, "score codes of this system (sei2018, ctt, ...)")
	minWeight := fs.Float64("min-weight", tageval.DefaultMinWeight, "share of a text's tags a code needs to count as predicted besides the top code")
	showCases := fs.Bool("cases", false, "print every case")
	misses := fs.Bool("misses", false, "print the cases whose top domain is wrong")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	if *minWeight <= 0 || *minWeight > 1 {
		return cipmap.Errorf(cipmap.EINVALID, "--min-weight %g: expected a share greater than 0 and at most 1", *minWeight)
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	if _, ok := reg.System(*system); !ok {
		return cipmap.Errorf(cipmap.EINVALID, "--system %q: no such code system; see 'cipmap crosswalk systems'", *system)
	}
	var cases []tageval.Case
	if pos[0] == "-" {
		cases, err = tageval.Parse("standard input", c.m.Stdin, reg)
	} else {
		cases, err = tageval.Open(pos[0], reg)
	}
	if err != nil {
		return err
	}
	std, err := ctt.Load()
	if err != nil {
		return err
	}
	tg, err := tagger.New(std.Tags, tagger.Options{})
	if err != nil {
		return err
	}
	rep, err := tageval.Evaluate(cases, tg, reg, tageval.Options{System: *system, MinWeight: *minWeight})
	if err != nil {
		return err
	}
	var shown []tageval.CaseResult
	for _, r := range rep.Results {
		if *showCases || *misses && outcome(r) != "ok" {
			shown = append(shown, r)
		}
	}
	names := domainNames(reg, std, rep)
	switch f.format {
	case "json":
		rep.Results = shown
		if rep.Results == nil {
			rep.Results = []tageval.CaseResult{}
		}
		return writeJSON(c.m.Stdout, rep)
	case "csv":
		if *showCases || *misses {
			return writeRows(c.m.Stdout, f.format, caseCols, caseRows(shown))
		}
		return writeRows(c.m.Stdout, f.format, levelCols(true), levelRows(rep, true))
	}
	w := c.m.Stdout
	if *showCases || *misses {
		if err := writeRows(w, f.format, caseCols, caseRows(shown)); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	return writeEvalTables(w, pos[0], rep, names)
}

// writeEvalTables prints the summary of a report for people.
func writeEvalTables(w io.Writer, set string, rep *tageval.Report, names map[string]string) error {
	fmt.Fprintf(w, "%s: %d cases, %d expecting codes and %d none; scored in %s, a code predicted when it is the top one or has %.2f of the weight\n\n",
		set, rep.Cases, rep.Positive, rep.Negative, rep.System, rep.MinWeight)
	if err := writeTable(w, levelCols(false), levelRows(rep, false)); err != nil {
		return err
	}
	fmt.Fprintln(w)
	correct := 0
	for _, r := range rep.Results {
		if r.Correct {
			correct++
		}
	}
	fmt.Fprintf(w, "domain accuracy    %s  (%d of the %d cases that expect a code: top predicted domain expected)\n", rep.DomainAccuracy, correct, rep.Positive)
	fmt.Fprintf(w, "negative accuracy  %s  (of the %d cases that expect no code: got none)\n", rep.NegativeAccuracy, rep.Negative)
	fmt.Fprintf(w, "coverage           %s  (got any CTT tag)\n\n", rep.Coverage)
	if len(rep.Groups) > 0 {
		cols := []string{"group", "cases", "domain_precision", "domain_recall", "domain_f1", "domain_accuracy", "negative_accuracy", "coverage"}
		var rows [][]string
		for _, g := range rep.Groups {
			d := g.Levels[0]
			rows = append(rows, []string{g.Group, fmt.Sprint(g.Cases), d.Precision.String(), d.Recall.String(), d.F1.String(),
				g.DomainAccuracy.String(), g.NegativeAccuracy.String(), g.Coverage.String()})
		}
		if err := writeTable(w, cols, rows); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Confusion by domain: rows expected, columns the predicted top domain")
	order := []string{}
	for _, d := range rep.Domains {
		order = append(order, d.Code)
	}
	order = append(order, tageval.None)
	n := map[[2]string]int{}
	for _, cell := range rep.Confusion {
		n[[2]string{cell.Expected, cell.Predicted}] = cell.Cases
	}
	cols := append([]string{"expected"}, order...)
	cols = append(cols, "cases", "right")
	var rows [][]string
	for _, e := range order {
		row := []string{names[e]}
		total := 0
		for _, p := range order {
			row = append(row, count(n[[2]string{e, p}]))
			total += n[[2]string{e, p}]
		}
		if total == 0 {
			continue
		}
		row = append(row, fmt.Sprint(total), fmt.Sprintf("%.2f", float64(n[[2]string{e, e}])/float64(total)))
		rows = append(rows, row)
	}
	if err := writeTable(w, cols, rows); err != nil {
		return err
	}
	rowTotal := map[string]int{}
	var missed []tageval.ConfusionCell
	for _, cell := range rep.Confusion {
		rowTotal[cell.Expected] += cell.Cases
		if cell.Predicted == tageval.None && cell.Expected != tageval.None {
			missed = append(missed, cell)
		}
	}
	if len(missed) > 0 {
		sort.SliceStable(missed, func(i, j int) bool { return missed[i].Cases > missed[j].Cases })
		var parts []string
		for _, cell := range missed[:min(3, len(missed))] {
			parts = append(parts, fmt.Sprintf("%s %d of %d", names[cell.Expected], cell.Cases, rowTotal[cell.Expected]))
		}
		fmt.Fprintf(w, "\nMost missed (no domain predicted): %s\n", strings.Join(parts, "; "))
	}
	if len(rep.Worst) > 0 {
		fmt.Fprintln(w, "\nWorst confusions between domains")
		rows = nil
		for i, cell := range rep.Worst {
			if i == 10 {
				break
			}
			rows = append(rows, []string{names[cell.Expected], names[cell.Predicted], fmt.Sprint(cell.Cases),
				fmt.Sprintf("%.2f", float64(cell.Cases)/float64(rowTotal[cell.Expected]))})
		}
		return writeTable(w, []string{"expected", "predicted", "cases", "share of row"}, rows)
	}
	return nil
}

func count(n int) string {
	if n == 0 {
		return "."
	}
	return fmt.Sprint(n)
}

// levelCols are the columns of the per-level table.
func levelCols(groups bool) []string {
	cols := []string{"level", "name", "cases", "tp", "fp", "fn", "precision", "recall", "f1"}
	if groups {
		cols = append([]string{"group"}, cols...)
		cols = append(cols, "domain_accuracy", "negative_accuracy", "coverage")
	}
	return cols
}

// levelRows are the per-level scores of the whole set and, with groups, of each
// group, with the group's other figures.
func levelRows(rep *tageval.Report, groups bool) [][]string {
	sums := []tageval.GroupSummary{{Group: "all", Summary: rep.Summary}}
	if groups {
		sums = append(sums, rep.Groups...)
	}
	var rows [][]string
	for _, s := range sums {
		for _, l := range s.Levels {
			row := []string{fmt.Sprint(l.Level), l.Name, fmt.Sprint(l.Cases), fmt.Sprint(l.TP), fmt.Sprint(l.FP), fmt.Sprint(l.FN),
				l.Precision.String(), l.Recall.String(), l.F1.String()}
			if groups {
				row = append([]string{s.Group}, row...)
				row = append(row, s.DomainAccuracy.String(), s.NegativeAccuracy.String(), s.Coverage.String())
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// outcome says how a case fared at the domain level.
func outcome(r tageval.CaseResult) string {
	switch {
	case len(r.Want) == 0 && r.TopDomain == tageval.None, r.Correct:
		return "ok"
	case len(r.Want) == 0:
		return "false alarm"
	case r.TopDomain == tageval.None:
		return "missed"
	}
	return "wrong domain"
}

var caseCols = []string{"id", "group", "outcome", "expected_domain", "top_domain", "expected", "predicted", "unmapped", "tags", "text"}

// caseRows are the rows of --cases: what each case expected and got, with the
// words that gave its tags.
func caseRows(rs []tageval.CaseResult) [][]string {
	var rows [][]string
	for _, r := range rs {
		var pred, tags []string
		for _, p := range r.Predicted {
			pred = append(pred, fmt.Sprintf("%s %.2f", p.Code, p.Weight))
		}
		for _, t := range r.Tags {
			tags = append(tags, fmt.Sprintf("%s %.2f [%s]", t.Tag, t.Weight, evidence(r.Text, t.Evidence)))
		}
		rows = append(rows, []string{r.ID, r.Group, outcome(r), r.WantDomain, r.TopDomain, strings.Join(r.Want, " "),
			strings.Join(pred, " "), fmt.Sprintf("%.2f", r.Unmapped), strings.Join(tags, "; "), r.Text})
	}
	return rows
}

// domainNames labels the domains of a report: code, Chinese name and a short English
// one: the id of the CTT domain the code is or converts to.
func domainNames(reg *taxonomy.Registry, std *ctt.Standard, rep *tageval.Report) map[string]string {
	out := map[string]string{tageval.None: "none 无"}
	for _, d := range rep.Domains {
		en := ""
		if rep.System == taxonomy.CTT {
			en = d.Code
		} else if res, err := reg.Convert(rep.System, d.Code, taxonomy.CTT); err == nil && res.Best.Code != "" {
			if t := std.Tag(res.Best.Code); t != nil && t.Level == 1 {
				en = t.ID
			}
		}
		if en == "" {
			en = d.Name.EN
		}
		parts := []string{d.Code}
		if d.Name.ZH != "" {
			parts = append(parts, d.Name.ZH)
		}
		if en != "" && en != d.Code {
			parts = append(parts, en)
		}
		out[d.Code] = strings.Join(parts, " ")
	}
	return out
}
