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
)

// TagCommand tags text with CTT technology tags.
type TagCommand struct{ m *Main }

const tagHelp = `Usage: cipmap tag [--to ctt|sei2018] [--format table|json|csv] TEXT...
       cipmap tag --file LABELS.txt [--to ...]        (one text a line)

Tags free text (policy titles, business scopes 经营范围, investment sector labels,
patent titles, product names) in Chinese (simplified or traditional) or English with
CTT, cipmap's technology tag standard: weighted tags with the words that matched
(evidence), the method and a confidence. A coarse label such as 新能源 or "hard tech"
stays the inner node it names, with a distribution over its children.
--to sei2018 reports Strategic Emerging Industries 2018 categories through the tags'
official links. 用 CTT 技术标签标注文本；--to sei2018 输出战略性新兴产业分类。

Examples:
  cipmap tag 工业机器人用精密减速器
  cipmap tag --to sei2018 "precision reducers for industrial robots"
  cipmap tag --format csv --file labels.txt > tags.csv`

func (c *TagCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("tag", tagHelp)
	var out formatFlag
	addFormatFlag(fs, &out)
	to := fs.String("to", "ctt", "report ctt tags or sei2018 categories")
	file := fs.String("file", "", "tag each line of this file")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if err := out.check(); err != nil {
		return err
	}
	if *to != "ctt" && *to != "sei2018" {
		return cipmap.Errorf(cipmap.EINVALID, "--to %q: expected ctt or sei2018", *to)
	}
	texts := pos
	if *file != "" {
		texts, err = readLines(*file)
		if err != nil {
			return err
		}
	} else if len(pos) > 0 {
		texts = []string{strings.Join(pos, " ")}
	}
	if len(texts) == 0 {
		fs.Usage()
		return errUsage
	}
	std, err := ctt.Load()
	if err != nil {
		return err
	}
	tg, err := tagger.New(std.Tags, tagger.Options{})
	if err != nil {
		return err
	}
	results := tg.TagMany(texts, 0)
	if *to == "sei2018" {
		for i := range results {
			results[i].Tags = toSEI(std, results[i].Tags)
			results[i].Inner = nil
		}
	}
	if out.format == "json" {
		return writeJSON(c.m.Stdout, results)
	}
	cols := []string{"text", "tag", "name", "weight", "evidence", "method", "confidence"}
	var rows [][]string
	for _, r := range results {
		if len(r.Tags) == 0 {
			rows = append(rows, []string{r.Text, "", "(no tag)", "", "", r.Method, "0"})
		}
		for _, t := range r.Tags {
			name := t.Tag
			if tag := std.Tag(t.Tag); tag != nil {
				name = tag.Name.ZH + " " + tag.Name.EN
			}
			var ev []string
			for _, e := range t.Evidence {
				ev = append(ev, r.Text[e.Start:e.End]+"→"+e.Keyword)
			}
			rows = append(rows, []string{r.Text, t.Tag, name, fmt.Sprintf("%.3f", t.Weight), strings.Join(ev, "; "),
				r.Method, fmt.Sprintf("%.2f", r.Confidence)})
		}
		for _, in := range r.Inner {
			for _, ch := range in.Children {
				rows = append(rows, []string{r.Text, "  " + in.Tag + " > " + ch.Tag, "(inner node: share of its children)",
					fmt.Sprintf("%.3f", ch.Weight), "", r.Method, ""})
			}
		}
	}
	return writeRows(c.m.Stdout, out.format, cols, rows)
}

// toSEI maps weighted CTT tags to SEI 2018 codes through each tag's sei2018 links,
// or its nearest ancestor's; a tag's weight is split equally among its links.
func toSEI(std *ctt.Standard, tags []tagger.Weighted) []tagger.Weighted {
	w := map[string]float64{}
	ev := map[string][]tagger.Evidence{}
	var unmapped float64
	for _, t := range tags {
		var links []string
		for _, p := range reverse(std.Path(t.Tag)) {
			if l := p.Links["sei2018"]; len(l) > 0 {
				links = l
				break
			}
		}
		if len(links) == 0 {
			unmapped += t.Weight
			continue
		}
		for _, l := range links {
			w[l] += t.Weight / float64(len(links))
			ev[l] = append(ev[l], t.Evidence...)
		}
	}
	out := make([]tagger.Weighted, 0, len(w))
	for code, x := range w {
		out = append(out, tagger.Weighted{Tag: "sei2018:" + code, Weight: x, Evidence: ev[code]})
	}
	if unmapped > 0 {
		out = append(out, tagger.Weighted{Tag: "(no SEI 2018 link)", Weight: unmapped})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Weight != out[j].Weight {
			return out[i].Weight > out[j].Weight
		}
		return out[i].Tag < out[j].Tag
	})
	return out
}

func reverse(ts []*cipmap.Tag) []*cipmap.Tag {
	out := make([]*cipmap.Tag, len(ts))
	for i, t := range ts {
		out[len(ts)-1-i] = t
	}
	return out
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
