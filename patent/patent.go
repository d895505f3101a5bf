// Package patent tags the patent_facts table with technology tags: each patent's IPC
// codes go through a crosswalk (IPC → CTT in cipmap) and the patent's unit of mass is
// shared among the tags they reach, so that patents count fractionally and a patent
// spanning two technologies is not counted twice. The tags are stored as a dataset
// of the patent_tags fact table.
//
// The package depends on the root package only: the crosswalk is a Converter that
// cmd/cipmap builds from the taxonomy registry.
package patent

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
)

// Share is one tag a code reaches with the share of the code's mass it receives.
type Share struct {
	Tag    string
	Weight float64
}

// Converter gives the tags an IPC code reaches, with weights summing to at most 1
// (the rest is mass the crosswalk does not map). An error means the code is not a
// valid IPC code; its mass is lost and counted in the Report.
type Converter func(code string) ([]Share, error)

// Options says which patents to tag and where to store the tags.
type Options struct {
	// Dataset is the name of the dataset of tags written, "patent-tags" by default.
	Dataset string
	// Sources are the patent_facts datasets to tag; every one if empty.
	Sources []string
	// System is the tag system, "ctt" by default.
	System string
	// Version identifies the converter (the registry and its stored crosswalks); it
	// goes into the dataset's version, so that a new crosswalk re-tags.
	Version string
}

// Report says what Tag did.
type Report struct {
	Patents  int64              `json:"patents"` // distinct patents read
	Tagged   int64              `json:"tagged"`  // patents with at least one tag
	NoIPC    int64              `json:"no_ipc"`  // patents without IPC codes (designs, mostly)
	Rows     int64              `json:"rows"`    // patent_tags rows written
	Mass     float64            `json:"mass"`    // the patents' total weight that reached a tag
	Lost     float64            `json:"lost"`    // weight that reached no tag (unmapped or invalid codes)
	Codes    int                `json:"codes"`   // distinct IPC codes converted
	Invalid  int                `json:"invalid"` // distinct codes the converter refused
	Examples []string           `json:"invalid_examples,omitempty"`
	Load     *cipmap.LoadResult `json:"load"`
}

// Split returns a patent's distinct IPC codes from the patent_facts ipc column, in
// order of first appearance. Codes are separated by ";", and by the other marks
// patent offices and data vendors use between them (，,、；), none of which can
// occur inside a code.
func Split(ipc string) []string {
	var out []string
	for _, c := range strings.FieldsFunc(ipc, func(r rune) bool { return strings.ContainsRune(";；,，、", r) }) {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		dup := false
		for _, o := range out {
			dup = dup || o == c
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// Weigh shares one patent among tags: each of its codes carries 1/len(codes) of the
// patent, divided among the code's tags by conv. It returns the tags, largest weight
// first (ties by tag), each with the codes that gave it, and the mass that reached
// no tag. cache, if not nil, keeps each code's conversion.
func Weigh(codes []string, conv Converter, cache map[string][]Share) (tags []cipmap.PatentTag, lost float64, bad []string) {
	if len(codes) == 0 {
		return nil, 0, nil
	}
	per := 1 / float64(len(codes))
	byTag := map[string]int{}
	for _, c := range codes {
		// In the cache, nil marks a code the converter refused; a code it knows
		// that reaches no tag has an empty, non-nil list.
		shares, ok := cache[c]
		if !ok {
			var err error
			shares, err = conv(c)
			if err != nil {
				shares = nil
			} else if shares == nil {
				shares = []Share{}
			}
			if cache != nil {
				cache[c] = shares
			}
		}
		if shares == nil {
			bad = append(bad, c)
		}
		got := 0.0
		for _, s := range shares {
			i, ok := byTag[s.Tag]
			if !ok {
				i = len(tags)
				byTag[s.Tag] = i
				tags = append(tags, cipmap.PatentTag{Tag: s.Tag, Method: "code"})
			}
			tags[i].Weight += per * s.Weight
			if !strings.Contains(";"+tags[i].Evidence+";", ";"+c+";") {
				if tags[i].Evidence != "" {
					tags[i].Evidence += ";"
				}
				tags[i].Evidence += c
			}
			got += s.Weight
		}
		if got < 1 {
			lost += per * (1 - got)
		}
	}
	sort.Slice(tags, func(i, j int) bool {
		if tags[i].Weight != tags[j].Weight {
			return tags[i].Weight > tags[j].Weight
		}
		return tags[i].Tag < tags[j].Tag
	})
	return tags, lost, bad
}

// Tag tags every patent of the patent_facts table (or of opt.Sources) and stores the
// tags as the dataset opt.Dataset of the patent_tags table, replacing its previous
// version. The dataset's version is a hash of the source datasets' versions and
// opt.Version: tagging the same patents with the same crosswalk again writes
// nothing. Patents are read a year at a time, so memory holds one year's patents.
func Tag(ctx context.Context, st cipmap.Store, conv Converter, opt Options) (*Report, error) {
	if opt.Dataset == "" {
		opt.Dataset = "patent-tags"
	}
	if opt.System == "" {
		opt.System = "ctt"
	}
	where, args, srcs, err := sources(ctx, st, opt.Sources)
	if err != nil {
		return nil, err
	}
	if len(srcs) == 0 {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no patents: the patent_facts table is empty (map a patents file with `facts: - table: patent_facts`)")
	}
	h := sha256.New()
	fmt.Fprintf(h, "patent-tags/1\x1f%s\x1f%s\x1f", opt.System, opt.Version)
	var names []string
	for _, d := range srcs {
		fmt.Fprintf(h, "%s\x1f%s\x1f", d.Name, d.Version)
		names = append(names, d.Name)
	}
	ds := &cipmap.Dataset{Name: opt.Dataset, Version: "sha256:" + hex.EncodeToString(h.Sum(nil))[:24],
		Title:  "Technology tags of patents from their IPC codes · 专利技术标签",
		Source: "cipmap patents tag: IPC → " + opt.System + " over " + strings.Join(names, ", "),
		Files:  names}
	rep := &Report{}
	years, err := st.Query(ctx, "SELECT DISTINCT year FROM patent_facts"+where+" ORDER BY year", args...)
	if err != nil {
		return nil, err
	}
	cache := map[string][]Share{}
	invalid := map[string]bool{}
	fill := func(w cipmap.Writer) error {
		for _, yr := range years.Rows {
			q := "SELECT DISTINCT patent_id, year, ipc FROM patent_facts"
			var qa []any
			if yr[0] == nil {
				q += " WHERE year IS NULL"
			} else {
				q += " WHERE year = " + placeholder(st, 1)
				qa = append(qa, yr[0])
			}
			if where != "" {
				q += " AND " + strings.TrimPrefix(shift(where, st, len(qa)), " WHERE ")
				qa = append(qa, args...)
			}
			t, err := st.Query(ctx, q+" ORDER BY patent_id", qa...)
			if err != nil {
				return err
			}
			var last string
			for _, r := range t.Rows {
				id := str(r[0])
				if id == last {
					continue // the same patent from two datasets
				}
				last = id
				rep.Patents++
				codes := Split(str(r[2]))
				if len(codes) == 0 {
					rep.NoIPC++
					continue
				}
				tags, lost, bad := Weigh(codes, conv, cache)
				for _, b := range bad {
					if !invalid[b] {
						invalid[b] = true
						if len(rep.Examples) < 5 {
							rep.Examples = append(rep.Examples, b)
						}
					}
				}
				rep.Lost += lost
				if len(tags) > 0 {
					rep.Tagged++
				}
				y := toInt(r[1])
				mass := 0.0
				for _, tg := range tags {
					mass += tg.Weight
				}
				for i := range tags {
					tg := &tags[i]
					tg.PatentID, tg.Year, tg.System, tg.Source, tg.Mass = id, y, opt.System, "patent_facts:"+id, mass
					rep.Mass += tg.Weight
					rep.Rows++
					if err := w.PatentTag(tg); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	res, err := st.Load(ctx, ds, fill)
	if err != nil {
		return nil, err
	}
	rep.Codes, rep.Invalid, rep.Load = len(cache), len(invalid), res
	return rep, nil
}

// sources returns the WHERE clause choosing the patent datasets, its arguments, and
// the datasets themselves.
func sources(ctx context.Context, st cipmap.Store, names []string) (string, []any, []cipmap.Dataset, error) {
	t, err := st.Query(ctx, "SELECT DISTINCT dataset FROM patent_facts ORDER BY dataset")
	if err != nil {
		return "", nil, nil, err
	}
	have := map[string]bool{}
	for _, r := range t.Rows {
		have[str(r[0])] = true
	}
	var out []cipmap.Dataset
	var args []any
	var ph []string
	if len(names) == 0 {
		for _, r := range t.Rows {
			names = append(names, str(r[0]))
		}
	}
	sort.Strings(names)
	for i, n := range names {
		if !have[n] {
			return "", nil, nil, cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has no patent_facts rows", n)
		}
		d, err := st.Dataset(ctx, n)
		if err != nil {
			return "", nil, nil, err
		}
		out = append(out, *d)
		args = append(args, n)
		ph = append(ph, placeholder(st, i+1))
	}
	if len(names) == len(t.Rows) {
		return "", nil, out, nil // every dataset: no filter
	}
	return " WHERE dataset IN (" + strings.Join(ph, ", ") + ")", args, out, nil
}

// placeholder returns the i-th (1-based) query parameter, "$i", which both DuckDB
// and PostgreSQL accept.
func placeholder(_ cipmap.Store, i int) string { return fmt.Sprintf("$%d", i) }

// shift renumbers the $n placeholders of a clause by k.
func shift(clause string, st cipmap.Store, k int) string {
	if k == 0 {
		return clause
	}
	var b strings.Builder
	for i := 0; i < len(clause); i++ {
		if clause[i] == '$' {
			j := i + 1
			n := 0
			for j < len(clause) && clause[j] >= '0' && clause[j] <= '9' {
				n = n*10 + int(clause[j]-'0')
				j++
			}
			b.WriteString(placeholder(st, n+k))
			i = j - 1
			continue
		}
		b.WriteByte(clause[i])
	}
	return b.String()
}

func str(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(v)
}

func toInt(v any) int {
	switch x := v.(type) {
	case int:
		return x
	case int32:
		return int(x)
	case int64:
		return int(x)
	case float64:
		return int(x)
	}
	return 0
}
