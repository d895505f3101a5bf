package sector

import "strings"

// strs is a list of strings in one: a server keeps the facts of 600,000 firms and
// the bases of the largest sectors (millions of firms in all), and a string each
// would be a pointer for the garbage collector to follow at every collection.
type strs struct {
	text string
	ends []uint32 // ends[i] is where string i ends in text
}

func (s *strs) len() int { return len(s.ends) }

func (s *strs) at(i int32) string {
	lo := uint32(0)
	if i > 0 {
		lo = s.ends[i-1]
	}
	return s.text[lo:s.ends[i]]
}

// strsOf packs xs.
func strsOf(xs []string) strs {
	var b strings.Builder
	n := 0
	for _, x := range xs {
		n += len(x)
	}
	b.Grow(n)
	ends := make([]uint32, len(xs))
	for i, x := range xs {
		b.WriteString(x)
		ends[i] = uint32(b.Len())
	}
	return strs{text: b.String(), ends: ends}
}

// intern numbers the distinct values of a small set of strings (provinces,
// ownership classes) in the order first seen.
type intern struct {
	index map[string]uint16
	vals  []string
}

func (in *intern) of(s string) uint16 {
	if in.index == nil {
		in.index = map[string]uint16{}
	}
	i, ok := in.index[s]
	if !ok {
		i = uint16(len(in.vals))
		in.index[s] = i
		in.vals = append(in.vals, s)
	}
	return i
}
