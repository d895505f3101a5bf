package tageval

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"slices"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/refdata"
	"github.com/cipmap/cipmap/taxonomy"
	"golang.org/x/text/width"
)

// Groups of the GB/T 4754-2017 notes sets.
const (
	GroupFull    = "full"    // every SEI 2018 link of the class is whole
	GroupPartial = "partial" // at least one link is partial (SEI's *)
	GroupNone    = "none"    // the class has no SEI 2018 link: a negative example
)

// GBNotesCases builds the GB/T 4754-2017 notes set from the registry: one case for
// each class (level 4), id the class code, text the class name and its official
// note up to the "◆ 不包括" part, expected the class's SEI 2018 links (none for a
// class without links), group full, partial or none.
//
// The "◆ 不包括" part is left out because it lists what belongs to other classes,
// naming them ("列入3737（海洋工程装备制造）"), one item a line, where the tagger's
// negation scope ends at the line break: keeping it would score the tagger on the
// names of other classes. Exclusions within a sentence ("…，但不包括家用空调设备的
// 制造") stay; the tagger reads them as negations.
//
// With own set, the note's lines that repeat a key product that SEI 2018 lists for
// one of the class's links ("— 新能源汽车轮毂电机" in 3812) are left out too: in the
// source of the notes nearly a quarter of the lines of the inclusion parts are such
// products (3,634 of 15,083, in 299 classes), so that set measures what the
// GB/T 4754 text alone says.
func GBNotesCases(reg *taxonomy.Registry, own bool) ([]Case, error) {
	codes, err := reg.Codes(taxonomy.GB2017)
	if err != nil {
		return nil, err
	}
	var products map[string]map[string]bool
	if own {
		if products, err = seiProducts(); err != nil {
			return nil, err
		}
	}
	var out []Case
	for _, c := range codes {
		if c.Level != 4 {
			continue
		}
		edges, err := reg.Edges(taxonomy.GB2017, c.Code, taxonomy.SEI2018)
		if err != nil {
			return nil, err
		}
		k := Case{ID: c.Code, Text: noteText(c, products[c.Code]), Group: GroupNone}
		for _, e := range edges {
			if e.To == "" {
				continue
			}
			k.Expected = append(k.Expected, Code{System: taxonomy.SEI2018, Code: e.To})
			if k.Group != GroupPartial {
				k.Group = GroupFull
				if e.Partial {
					k.Group = GroupPartial
				}
			}
		}
		slices.SortFunc(k.Expected, func(a, b Code) int { return strings.Compare(a.Code, b.Code) })
		out = append(out, k)
	}
	if len(out) == 0 {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "the registry holds no GB/T 4754-2017 classes")
	}
	return out, nil
}

// noteText is the class name and the note's lines before "◆ 不包括", without the
// lines that are one of products.
func noteText(c cipmap.Code, products map[string]bool) string {
	lines := []string{c.Name.ZH}
	for _, l := range strings.Split(c.Note, "\n") {
		l = strings.TrimSpace(l)
		if strings.HasPrefix(l, "◆") {
			break
		}
		if l != "" && !products[productKey(strings.TrimPrefix(l, "—"))] {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// productKey is a product name as compared: half-width, without spaces.
func productKey(s string) string {
	return strings.Join(strings.Fields(width.Narrow.String(s)), "")
}

// seiProducts reads the key products of the SEI 2018 links of each GB/T 4754-2017
// class from the reference table gbt4754-2017-to-sei2018.csv.
func seiProducts() (map[string]map[string]bool, error) {
	const name = "gbt4754-2017-to-sei2018.csv"
	data, err := refdata.ReadFile(name)
	if err != nil {
		return nil, err
	}
	rows, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("refdata %s: %w", name, err)
	}
	if len(rows) == 0 {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "refdata %s is empty", name)
	}
	ci, pi := slices.Index(rows[0], "gb4754_2017_code"), slices.Index(rows[0], "sei_key_products")
	if ci < 0 || pi < 0 {
		return nil, cipmap.Errorf(cipmap.EINTERNAL, "refdata %s: no columns gb4754_2017_code and sei_key_products in %v", name, rows[0])
	}
	out := map[string]map[string]bool{}
	for _, r := range rows[1:] {
		m := out[r[ci]]
		if m == nil {
			m = map[string]bool{}
			out[r[ci]] = m
		}
		for _, p := range strings.Split(r[pi], "|") {
			if k := productKey(p); k != "" {
				m[k] = true
			}
		}
	}
	return out, nil
}
