package taxonomy

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ctt"
	"github.com/cipmap/cipmap/tagger"
)

// Code system ids of CTT and the systems only it links to.
const (
	CTT   = "ctt"
	FYP14 = "fyp14"
)

// WeightRule marks edges found by matching CTT keywords in a code's title.
const WeightRule = "rule"

// registerCTT registers CTT, cipmap's technology tag standard, as system "ctt",
// with the 14th Five-Year Plan frontier areas (fyp14) it links to, and crosswalks
// from its tags' links:
//
//   - ctt → sei2018, mic2025, fyp14: each tag's own links, equal shares (weight type
//     expert, source CTT v1). A tag without links of a system converts through its
//     nearest ancestor that has some (the engine's roll-up).
//   - sei2018 → ctt, explicit rather than the reverse of the links, so that a code
//     converts to the tags that cover it without double counting a tag and its
//     ancestor: a domain or category goes to the topmost tags that link it, equal
//     shares; a third-level category (305 of them, named by the GB/T 4754-2017
//     links) goes to the tags whose keywords its name holds, among those under its
//     category (weights as the tagger gives them, weight type rule), or else to its
//     category's tags.
//
// With these, every system converts to CTT through SEI 2018 (GB/T 4754-2017 3491
// 工业机器人制造 → sei2018 2.1.x 机器人与增材设备制造 → industrial robots and additive
// manufacturing), and CTT converts to every system.
func (r *Registry) registerCTT(std *ctt.Standard, tg *tagger.Tagger) error {
	systems, err := ctt.Systems()
	if err != nil {
		return err
	}
	for _, info := range systems {
		if info.ID != FYP14 {
			continue
		}
		codes, err := ctt.Codes(FYP14)
		if err != nil {
			return err
		}
		if err := r.AddSystem(info, codes); err != nil {
			return err
		}
	}
	info := cipmap.CodeSystem{
		ID: CTT, Name: cipmap.Label{EN: "cipmap technology tags", ZH: "cipmap技术标签体系"},
		Version: "1", Source: "cipmap CTT v1 (package ctt, ctt/v1/*.yaml)", Licence: "as cipmap",
		Levels: []string{"domain", "field", "technology", "sub-technology"},
	}
	codes := make([]cipmap.Code, 0, len(std.Tags))
	for _, t := range std.Tags {
		codes = append(codes, cipmap.Code{Code: t.ID, Parent: t.Parent, Level: t.Level, Name: t.Name, Note: t.Definition.ZH})
	}
	if err := r.AddSystem(info, codes); err != nil {
		return err
	}

	// ctt → linked systems.
	var fwd []cipmap.CrosswalkEdge
	for _, sys := range []string{SEI2018, MIC2025, FYP14} {
		for _, t := range std.Tags {
			links := t.Links[sys]
			for _, code := range links {
				fwd = append(fwd, cipmap.CrosswalkEdge{FromSystem: CTT, From: t.ID, ToSystem: sys, To: code,
					Weight: 1 / float64(len(links)), WeightType: cipmap.WeightExpert, Source: "CTT v1 links (ctt/v1)"})
			}
		}
	}
	if err := r.AddEdges(fwd); err != nil {
		return fmt.Errorf("ctt links: %w", err)
	}

	// sei2018 → ctt.
	top := map[string][]string{} // SEI code → topmost tags linking it
	for _, t := range std.Tags {
		for _, code := range t.Links[SEI2018] {
			covered := false
			for _, a := range std.Path(t.ID) {
				if a.ID != t.ID && slices.Contains(a.Links[SEI2018], code) {
					covered = true
				}
			}
			if !covered {
				top[code] = append(top[code], t.ID)
			}
		}
	}
	// seiOf is the SEI codes of a tag: its own links or its nearest ancestor's.
	seiOf := func(id string) []string {
		path := std.Path(id)
		for i := len(path) - 1; i >= 0; i-- {
			if l := path[i].Links[SEI2018]; len(l) > 0 {
				return l
			}
		}
		return nil
	}
	sei, err := r.Codes(SEI2018)
	if err != nil {
		return err
	}
	var rev []cipmap.CrosswalkEdge
	for _, c := range sei {
		if ts := top[c.Code]; len(ts) > 0 {
			// Where one of the tags is named as the code is (智能制造装备 for
			// 智能制造装备产业), it alone stands for the code; the others link to
			// part of it (agricultural machinery to smart manufacturing).
			var named []string
			for _, t := range ts {
				if n := std.Tag(t).Name.ZH; n != "" && (strings.Contains(c.Name.ZH, n) || strings.Contains(n, c.Name.ZH)) {
					named = append(named, t)
				}
			}
			if len(named) > 0 {
				ts = named
			}
			var es []cipmap.CrosswalkEdge
			for _, t := range ts {
				es = append(es, cipmap.CrosswalkEdge{FromSystem: SEI2018, From: c.Code, ToSystem: CTT, To: t,
					Weight: 1 / float64(len(ts)), WeightType: cipmap.WeightExpert, Source: "CTT v1 links (ctt/v1), reversed"})
			}
			rev = append(rev, es...)
			continue
		}
		if c.Level != 3 {
			continue // rolls up to its domain
		}
		name := c.Name.ZH
		if i := strings.LastIndex(name, ">"); i >= 0 {
			name = strings.TrimSpace(name[i+1:])
		}
		res := tg.Tag(name)
		var es []cipmap.CrosswalkEdge
		var sum float64
		for _, w := range res.Tags {
			ok := false
			for _, s := range seiOf(w.Tag) {
				if s == c.Parent || s == c.Code {
					ok = true
				}
			}
			if !ok {
				continue
			}
			var ev []string
			for _, e := range w.Evidence {
				ev = append(ev, e.Keyword)
			}
			es = append(es, cipmap.CrosswalkEdge{FromSystem: SEI2018, From: c.Code, ToSystem: CTT, To: w.Tag,
				Weight: w.Weight, WeightType: WeightRule,
				Source: "CTT v1 keywords in the category's name (" + strings.Join(ev, ", ") + ")"})
			sum += w.Weight
		}
		if sum == 0 {
			continue // rolls up to its category
		}
		rev = append(rev, es...)
	}
	if err := r.AddEdges(rev); err != nil {
		return fmt.Errorf("sei2018 → ctt: %w", err)
	}
	return nil
}
