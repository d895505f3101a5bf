package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// TagCommand tags text and codes with CTT technology tags.
type TagCommand struct{ m *Main }

const tagHelp = `Usage: cipmap tag [--to ctt|sei2018|SYSTEM] [--format table|json|csv] TEXT...
       cipmap tag --file LABELS.txt [--to ...]          (one text a line)
       cipmap tag --system ipc CODE...                  (codes of a code system)
       cipmap tag --dataset NAME --column PROPERTY [--system SYSTEM]
       cipmap tag eval FILE|gbt4754-notes               (precision, recall, F1)

Tags free text (policy titles, business scopes 经营范围, investment sector labels,
patent titles, product names) in Chinese (simplified or traditional) or English with
CTT, cipmap's technology tag standard: weighted tags with the words that matched
(evidence), the method (rule: keywords; code: through a crosswalk; learned: through
a learned crosswalk) and a confidence. A coarse label such as 新能源 or "hard tech"
stays the inner node it names, with a distribution over its children.

--system SYSTEM tags codes instead of text (ipc "B25J 9/16", gbt4754-2017 3491,
hs2022 850440, sei2018 2.1): through the crosswalks to CTT, with the path as evidence.
--to sei2018 (or any system) reports the tags as codes of that system.

--dataset NAME --column PROPERTY tags every value of a property of a stored dataset
(text, or codes with --system) and writes the tags to the database as dataset
tags.NAME.PROPERTY (table tags: entity, value, tag, weight, method, evidence,
confidence and the statement tagged), then prints the tag counts: fractional, with
lower and upper bounds. Where 'crosswalk learn' stored a learned crosswalk for the
property's labels, it is used first (method learned).
用 CTT 技术标签标注文本或代码；--to sei2018 输出战略性新兴产业分类；--dataset 标注已存数据集并写回数据库。

Examples:
  cipmap tag 工业机器人用精密减速器
  cipmap tag --to sei2018 "precision reducers for industrial robots"
  cipmap tag --system ipc "B25J 9/16" H01M10/0525
  cipmap tag --format csv --file labels.txt > tags.csv
  cipmap tag --dataset pla-ai-procurement-2020 --column title`

func (c *TagCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "eval" {
		return c.eval(ctx, args[1:])
	}
	fs := c.m.newFlagSet("tag", tagHelp)
	var f readFlags
	to := fs.String("to", "ctt", "report ctt tags, or codes of this system (sei2018, mic2025, ...)")
	file := fs.String("file", "", "tag each line of this file")
	system := fs.String("system", "", "the inputs are codes of this system, not text")
	dataset := fs.String("dataset", "", "tag the values of --column in this stored dataset and store the tags")
	column := fs.String("column", "", "with --dataset: the property to tag")
	pos, err := f.parse(c.m, fs, args, nil)
	if err != nil {
		return err
	}
	if (*dataset == "") != (*column == "") || (*dataset != "" && (len(pos) > 0 || *file != "")) {
		fs.Usage()
		return errUsage
	}
	if *dataset != "" {
		return c.tagDataset(ctx, f, *dataset, *column, *system)
	}
	texts := pos
	if *file != "" {
		texts, err = readLines(*file)
		if err != nil {
			return err
		}
	} else if len(pos) > 0 && *system == "" {
		texts = []string{strings.Join(pos, " ")}
	}
	if len(texts) == 0 {
		fs.Usage()
		return errUsage
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	if _, ok := reg.System(*to); !ok {
		return cipmap.Errorf(cipmap.EINVALID, "--to %q: no such code system; see 'cipmap crosswalk systems'", *to)
	}
	tl, err := newTagLabeler(reg, *system, "")
	if err != nil {
		return err
	}
	results, err := tl.tagAll(texts)
	if err != nil {
		return err
	}
	if *to != taxonomy.CTT {
		for i := range results {
			results[i].Tags = tl.convertTags(results[i].Tags, *to)
			results[i].Inner = nil
		}
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, results)
	}
	cols := []string{"text", "tag", "name", "weight", "evidence", "method", "confidence"}
	var rows [][]string
	for _, r := range results {
		if len(r.Tags) == 0 {
			rows = append(rows, []string{r.Text, "", "(no tag)", "", "", r.Method, "0"})
		}
		for _, t := range r.Tags {
			rows = append(rows, []string{r.Text, t.Tag, tl.name(*to, t.Tag), fmt.Sprintf("%.3f", t.Weight), evidence(r.Text, t.Evidence),
				r.Method, fmt.Sprintf("%.2f", r.Confidence)})
		}
		for _, in := range r.Inner {
			for _, ch := range in.Children {
				rows = append(rows, []string{r.Text, "  " + in.Tag + " > " + ch.Tag, "(inner node: share of its children)",
					fmt.Sprintf("%.3f", ch.Weight), "", r.Method, ""})
			}
		}
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}

// evidence prints the words or codes that gave a tag: "text as found→keyword".
func evidence(text string, ev []tagger.Evidence) string {
	var parts []string
	seen := map[string]bool{}
	for _, e := range ev {
		var p string
		if e.Kind == kindCode || e.Start < 0 || e.End > len(text) || e.Start > e.End {
			p = e.Keyword
		} else {
			p = text[e.Start:e.End] + "→" + e.Keyword
		}
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

// Methods of tags besides the tagger's rule.
const (
	methodCode    = "code"
	methodLearned = "learned"
	kindCode      = "code"
)

// tagLabeler tags values: text with the CTT tagger (method rule), codes of a system
// through the crosswalks to CTT (method code), and labels that a learned crosswalk
// covers through it (method learned).
type tagLabeler struct {
	reg     *taxonomy.Registry
	std     *ctt.Standard
	tg      *tagger.Tagger
	system  string // the inputs' code system, "" for text
	learned string // the system of a learned crosswalk for the inputs, or ""
}

func newTagLabeler(reg *taxonomy.Registry, system, learned string) (*tagLabeler, error) {
	std, err := ctt.Load()
	if err != nil {
		return nil, err
	}
	tl := &tagLabeler{reg: reg, std: std, system: system, learned: learned}
	if system != "" {
		if _, err := reg.Path(system, taxonomy.CTT); err != nil {
			return nil, err
		}
	} else {
		if tl.tg, err = tagger.New(std.Tags, tagger.Options{}); err != nil {
			return nil, err
		}
	}
	return tl, nil
}

// tagAll tags texts in order; a code that is not a code of its system is an error.
func (tl *tagLabeler) tagAll(texts []string) ([]tagger.Result, error) {
	out := make([]tagger.Result, len(texts))
	var rest []int // texts for the rule tagger
	for i, t := range texts {
		if tl.learned != "" {
			if r, ok := tl.viaCrosswalk(tl.learned, t, methodLearned); ok {
				out[i] = r
				continue
			}
		}
		if tl.system != "" {
			if strings.TrimSpace(t) == "" {
				out[i] = tagger.Result{Text: t, Tags: []tagger.Weighted{}, Method: methodCode}
				continue
			}
			r, ok := tl.viaCrosswalk(tl.system, t, methodCode)
			if !ok {
				_, err := tl.reg.Convert(tl.system, t, taxonomy.CTT)
				return nil, err
			}
			out[i] = r
			continue
		}
		rest = append(rest, i)
	}
	if len(rest) > 0 {
		in := make([]string, len(rest))
		for j, i := range rest {
			in[j] = texts[i]
		}
		for j, r := range tl.tg.TagMany(in, 0) {
			out[rest[j]] = r
		}
	}
	return out, nil
}

// viaCrosswalk tags a code of system sys with its conversion to CTT.
func (tl *tagLabeler) viaCrosswalk(sys, code, method string) (tagger.Result, bool) {
	res, err := tl.reg.Convert(sys, code, taxonomy.CTT)
	if err != nil {
		return tagger.Result{}, false
	}
	ev := []tagger.Evidence{{Keyword: sys + " " + res.Code + " → " + strings.Join(res.Path, " → "), Kind: kindCode, Start: 0, End: len(code)}}
	r := tagger.Result{Text: code, Tags: make([]tagger.Weighted, 0, len(res.Distribution)), Method: method, Confidence: 1 - res.Unmapped}
	for _, t := range res.Distribution {
		r.Tags = append(r.Tags, tagger.Weighted{Tag: t.Code, Weight: t.Weight, Evidence: ev})
	}
	return r, true
}

// convertTags converts weighted CTT tags to codes of system to: each tag's weight
// is spread over its conversion's distribution; mass that reaches no code is
// reported as "(unmapped)".
func (tl *tagLabeler) convertTags(tags []tagger.Weighted, to string) []tagger.Weighted {
	w := map[string]float64{}
	ev := map[string][]tagger.Evidence{}
	var unmapped float64
	for _, t := range tags {
		res, err := tl.reg.Convert(taxonomy.CTT, t.Tag, to)
		if err != nil {
			unmapped += t.Weight
			continue
		}
		unmapped += t.Weight * res.Unmapped
		for _, d := range res.Distribution {
			w[d.Code] += t.Weight * d.Weight
			ev[d.Code] = append(ev[d.Code], t.Evidence...)
		}
	}
	out := make([]tagger.Weighted, 0, len(w)+1)
	for code, x := range w {
		out = append(out, tagger.Weighted{Tag: code, Weight: x, Evidence: ev[code]})
	}
	if unmapped > 1e-9 {
		out = append(out, tagger.Weighted{Tag: "(unmapped)", Weight: unmapped})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Tag < out[j].Tag
	})
	return out
}

// name is the Chinese and English name of a code of system sys.
func (tl *tagLabeler) name(sys, code string) string {
	if code == "(unmapped)" {
		return "未匹配 no code of " + sys
	}
	cd, err := tl.reg.Lookup(sys, code)
	if err != nil {
		return ""
	}
	if sys == taxonomy.SEI2018 {
		// SEI names are paths from the domain.
		var path []string
		for c := cd; ; {
			path = append([]string{c.Name.ZH}, path...)
			if c.Parent == "" || c.Level == 3 {
				break
			}
			p, err := tl.reg.Lookup(sys, c.Parent)
			if err != nil {
				break
			}
			c = p
		}
		return strings.Join(path, " > ")
	}
	return label(cd.Name)
}

func readLines(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, cipmap.WrapError(cipmap.ENOTFOUND, err, "read %s", path)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}
