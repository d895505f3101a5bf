package tagger

import (
	"sort"

	"github.com/cipmap/cipmap"
)

// dict is the keyword automaton: a trie over the folded keywords, flattened into
// arrays for speed. Runes are first mapped to dense symbols (0 for a rune in no
// keyword, so that most positions of a text are rejected by one array load); the
// root has a dense transition table and the other nodes sorted edge lists, which
// are short below the first level.
//
// Matching is leftmost-longest and non-overlapping ("maximal munch"): from the left,
// at each position the longest keyword that starts there and respects word
// boundaries is taken and the scan resumes after it; where none starts, the scan
// moves one rune on. Among matches starting at the same place, a longer keyword
// always wins (精密减速器 over 减速器), and a keyword that starts earlier wins over one
// that would overlap it from the right (工业机器人 in 工业机器人用). This is what
// Aho–Corasick computes in its leftmost-longest mode; the failure links of
// Aho–Corasick only save re-reading the few runes of a failed walk, and a plain walk
// lets the word-boundary test fall back to a shorter keyword at the same start (in
// "solar cellular", "solar cell" fails the boundary test and "solar" is taken),
// which a library reporting only its own longest match cannot.
type dict struct {
	// first has bit r set for the runes r < 0x10000 that begin a keyword: most
	// runes of a text begin none, and the 8 KB bitmap stays in cache.
	first []uint64
	symLo []uint16 // symLo[r] for r < 0x10000
	symHi map[rune]int32
	root  []int32 // root[sym]: node reached from the root, 0 for none
	nodes []dnode
	edges []dedge
}

type dnode struct {
	first, n int32 // edges[first : first+n], sorted by sym
	key      int32 // 1 + id of the keyword ending here, 0 for none
}

type dedge struct {
	sym, next int32
}

// dictBuilder collects keywords before dict flattens them.
type dictBuilder struct {
	next []map[rune]int32
	key  []int32
}

func newDictBuilder() *dictBuilder {
	return &dictBuilder{next: []map[rune]int32{{}}, key: []int32{0}}
}

// add inserts the folded keyword key with id; it returns the id already stored for
// the same folded keyword, if any.
func (b *dictBuilder) add(key []rune, id int32) int32 {
	n := int32(0)
	for _, r := range key {
		m, ok := b.next[n][r]
		if !ok {
			m = int32(len(b.next))
			b.next = append(b.next, map[rune]int32{})
			b.key = append(b.key, 0)
			b.next[n][r] = m
		}
		n = m
	}
	if b.key[n] == 0 {
		b.key[n] = id + 1
	}
	return b.key[n] - 1
}

// maxSymbols is the most distinct characters the keywords of a dict may hold.
const maxSymbols = 0xFFFF

func (b *dictBuilder) build() (*dict, error) {
	d := &dict{symLo: make([]uint16, 0x10000), symHi: map[rune]int32{}}
	nsym := int32(0)
	sym := func(r rune) int32 {
		if r < 0x10000 {
			if d.symLo[r] == 0 {
				nsym++
				d.symLo[r] = uint16(nsym)
			}
			return int32(d.symLo[r])
		}
		if _, ok := d.symHi[r]; !ok {
			nsym++
			d.symHi[r] = nsym
		}
		return d.symHi[r]
	}
	// Nodes keep their builder numbers; only the edges are laid out anew.
	d.nodes = make([]dnode, len(b.next))
	for n, next := range b.next {
		es := make([]dedge, 0, len(next))
		for r, m := range next {
			es = append(es, dedge{sym(r), m})
		}
		sort.Slice(es, func(i, j int) bool { return es[i].sym < es[j].sym })
		d.nodes[n] = dnode{first: int32(len(d.edges)), n: int32(len(es)), key: b.key[n]}
		d.edges = append(d.edges, es...)
	}
	if nsym > maxSymbols {
		return nil, cipmap.Errorf(cipmap.EINVALID, "tagger: the words hold %d distinct characters, more than %d", nsym, maxSymbols)
	}
	d.root = make([]int32, nsym+1)
	d.first = make([]uint64, 0x10000/64)
	for r := range b.next[0] {
		if r < 0x10000 {
			d.first[r/64] |= 1 << (r % 64)
		}
	}
	for _, e := range d.edges[d.nodes[0].first : d.nodes[0].first+d.nodes[0].n] {
		d.root[e.sym] = e.next
	}
	return d, nil
}

func (d *dict) sym(r rune) int32 {
	if r >= 0 && r < 0x10000 {
		return int32(d.symLo[r])
	}
	return d.symHi[r]
}

// step returns the node reached from node by sym, or 0.
func (d *dict) step(node, sym int32) int32 {
	nd := d.nodes[node]
	if nd.n > 8 {
		return d.search(nd, sym)
	}
	for _, e := range d.edges[nd.first : nd.first+nd.n] {
		if e.sym >= sym {
			if e.sym == sym {
				return e.next
			}
			return 0
		}
	}
	return 0
}

// search is step for a node with many edges.
func (d *dict) search(nd dnode, sym int32) int32 {
	es := d.edges[nd.first : nd.first+nd.n]
	i := sort.Search(len(es), func(i int) bool { return es[i].sym >= sym })
	if i < len(es) && es[i].sym == sym {
		return es[i].next
	}
	return 0
}

// prefix returns the length of the longest key that is a prefix of s and its id;
// n is 0 when no key is. Word boundaries play no part: the converter's phrase table
// uses it.
func (d *dict) prefix(s []rune) (n int, id int32) {
	if len(s) == 0 {
		return 0, 0
	}
	node := d.root[d.sym(s[0])]
	for j := 1; node != 0; j++ {
		if k := d.nodes[node].key; k > 0 {
			n, id = j, k-1
		}
		if j == len(s) {
			break
		}
		sy := d.sym(s[j])
		if sy == 0 {
			break
		}
		node = d.step(node, sy)
	}
	return n, id
}

// span is a keyword found in the folded text: runes [start, end) and its id.
type span struct {
	start, end int
	key        int32
}

// longest appends to out the leftmost-longest non-overlapping keyword matches in s.
// A keyword whose first rune is a word rune (see isWord) matches only where the
// preceding rune is not one, and one whose last rune is a word rune only where the
// following rune is not one: "ai" is not found in "said", "ev" not in "every", and
// "5g" is found in "5g基站".
func (d *dict) longest(s []rune, out []span) []span {
	symLo, root, nodes, first := d.symLo, d.root, d.nodes, d.first
	n := len(s)
	for i := 0; i < n; {
		r := s[i]
		var node int32
		if uint32(r) < 0x10000 {
			if first[r>>6]&(1<<(r&63)) == 0 {
				i++
				continue
			}
			node = root[symLo[r]]
		} else {
			node = root[d.symHi[r]]
		}
		if node == 0 || (i > 0 && isWord(r) && isWord(s[i-1])) {
			i++
			continue
		}
		best, bestKey := 0, int32(0)
		for j := i + 1; ; j++ {
			if k := nodes[node].key; k > 0 && (j == n || !isWord(s[j-1]) || !isWord(s[j])) {
				best, bestKey = j, k-1
			}
			if j == n {
				break
			}
			var sy int32
			if r := s[j]; uint32(r) < 0x10000 {
				sy = int32(symLo[r])
			} else {
				sy = d.symHi[r]
			}
			if sy == 0 {
				break
			}
			if node = d.step(node, sy); node == 0 {
				break
			}
		}
		if best == 0 {
			i++
			continue
		}
		out = append(out, span{i, best, bestKey})
		i = best
	}
	return out
}

// all appends to out every keyword occurrence in s, overlapping ones included, with
// the same word-boundary rule as longest.
func (d *dict) all(s []rune, out []span) []span {
	n := len(s)
	for i := 0; i < n; i++ {
		r := s[i]
		if uint32(r) < 0x10000 && d.first[r>>6]&(1<<(r&63)) == 0 {
			continue
		}
		node := d.root[d.sym(r)]
		if node == 0 || (i > 0 && isWord(r) && isWord(s[i-1])) {
			continue
		}
		for j := i + 1; ; j++ {
			if k := d.nodes[node].key; k > 0 && (j == n || !isWord(s[j-1]) || !isWord(s[j])) {
				out = append(out, span{i, j, k - 1})
			}
			if j == n {
				break
			}
			sy := d.sym(s[j])
			if sy == 0 {
				break
			}
			if node = d.step(node, sy); node == 0 {
				break
			}
		}
	}
	return out
}
