package tagger

import "sort"

// Count is how many texts a tag has, counted three ways so that a coarse or mixed
// label is neither lost nor double-counted.
type Count struct {
	Tag string `json:"tag"`
	// Count is the sum of the tag's weights: each text counts once in all, shared
	// between its tags.
	Count float64 `json:"count"`
	// Lower counts the texts that are wholly the tag's (its only tag, or, with a
	// roll-up, all their tags at or under it).
	Lower float64 `json:"lower"`
	// Upper counts the texts where the tag appears at all.
	Upper float64 `json:"upper"`
}

// Aggregate counts results by tag, fractionally and with bounds: for every tag,
// Lower ≤ Count ≤ Upper. rollUp, if not nil, returns the ancestors of a tag (for
// example Tagger.Ancestors): each is credited with the weights of its descendants,
// once per text however many of them the text has, so that a sector's count
// includes its sub-technologies. Results without tags count for nothing. The counts
// are sorted by Count, largest first, ties by tag.
func Aggregate(results []Result, rollUp func(tag string) []string) []Count {
	counts := map[string]*Count{}
	per := map[string]float64{} // one text's weight by tag, ancestors included
	for _, r := range results {
		clear(per)
		for _, w := range r.Tags {
			per[w.Tag] += w.Weight
			if rollUp == nil {
				continue
			}
			for _, a := range rollUp(w.Tag) {
				if a != w.Tag {
					per[a] += w.Weight
				}
			}
		}
		for tag, w := range per {
			c := counts[tag]
			if c == nil {
				c = &Count{Tag: tag}
				counts[tag] = c
			}
			c.Upper++
			// A text's weights sum to 1 up to rounding; a tag holding all of it
			// counts 1 exactly, so that Lower ≤ Count holds without rounding.
			if w >= 1-1e-9 {
				c.Lower++
				c.Count++
			} else {
				c.Count += w
			}
		}
	}
	out := make([]Count, 0, len(counts))
	for _, c := range counts {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Tag < out[j].Tag
	})
	return out
}
