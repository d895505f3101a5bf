package resolve

import (
	"math"
	"math/bits"
	"slices"
	"strconv"
)

// termFreq adjusts the weight of an agreeing name for how common the name is, as
// Splink's term-frequency adjustments do, with one difference that matters for
// firm names: u, the chance that a record of another firm carries the name, is
// counted over the places (provinces) the name is found in, not over records, and
// the place of the record itself is left out. A name held in one province only is
// then strong evidence (华为技术), and one found in twenty (a common 字号 such as
// 华信科技) is weak, as it should be. Places stand in for firms, since records of one
// firm share their province far more often than records of different firms do.
type termFreq struct {
	// places holds, by name key, the provinces it is found in as bits (records
	// without a province add none). The keys are the names' own strings, so the
	// map costs no copies.
	places map[string]uint64
	total  float64 // sum of places: the number of (name, province) places
	// collide is the share of names found in more than one place: the chance that
	// another firm carries a name so far seen in one place only.
	collide float64
}

func newTermFreq(preps []prep) *termFreq {
	bit := map[string]uint64{} // province → its bit; past 64 provinces, the last bit is shared
	t := &termFreq{places: map[string]uint64{}}
	for i := range preps {
		prov := preps[i].province
		if prov == "" {
			// A record that says nothing of its place cannot tell firms apart;
			// it would count as a place of its own and make every name it
			// shares look common.
			continue
		}
		b, ok := bit[prov]
		if !ok {
			b = uint64(1) << min(len(bit), 63)
			bit[prov] = b
		}
		for _, n := range preps[i].names {
			for _, k := range [3]string{n.key, n.tkey, n.skey} {
				if k != "" {
					t.places[k] |= b
				}
			}
		}
	}
	multi := 0
	for _, m := range t.places {
		n := bits.OnesCount64(m)
		t.total += float64(n)
		if n > 1 {
			multi++
		}
	}
	if len(t.places) > 0 {
		t.collide = float64(multi) / float64(len(t.places))
	}
	t.collide = math.Max(t.collide, 1/math.Max(t.total, 1))
	return t
}

// count is the number of places (provinces) the name key is found in.
func (t *termFreq) count(key string) int32 {
	return int32(bits.OnesCount64(t.places[key]))
}

// u is the chance that a record of another firm has the name key.
func (t *termFreq) u(key string) float64 {
	n := float64(t.count(key))
	if n < 1 {
		n = 1
	}
	return (n - 1 + t.collide) / math.Max(t.total, 1)
}

// tradeKey is the key under which a Chinese trade name is counted: "字号:" and the
// trade name, "" for a Latin name or a trade name of fewer than two characters.
func tradeKey(n *pname) string {
	if !n.zh || len(n.trade) < 2 {
		return ""
	}
	return "字号:" + string(n.trade)
}

// soundKey is the key under which a name's sound is counted: "音:" and the Latin
// form of its trade name (the pinyin of a Chinese one), "" if shorter than four
// letters.
func soundKey(n *pname) string {
	if len(n.latin) < 4 {
		return ""
	}
	return "音:" + string(n.latin)
}

// nameKey returns the name key two records agree on (the same full name or the
// same name without region and legal form; across scripts, the Chinese name's key;
// else the same Chinese trade name, as its tradeKey, or the same sound, as its
// soundKey), or "".
func nameKey(a, b *prep) string {
	for i := range a.names {
		for j := range b.names {
			x, y := &a.names[i], &b.names[j]
			switch {
			case x.full == y.full || (x.key != "" && x.key == y.key):
				return x.key
			case x.zh != y.zh && len(x.latin) > 0 && slices.Equal(x.latin, y.latin) && x.industry != "" && x.industry == y.industry:
				if x.zh {
					return x.key
				}
				return y.key
			}
		}
	}
	// The same Chinese trade name.
	for i := range a.names {
		for j := range b.names {
			if k := a.names[i].tkey; k != "" && a.names[i].zh == b.names[j].zh && k == b.names[j].tkey {
				return k
			}
		}
	}
	// The same sound.
	for i := range a.names {
		for j := range b.names {
			if k := a.names[i].skey; k != "" && k == b.names[j].skey {
				return k
			}
		}
	}
	return ""
}

// scorer weighs pairs with a model and term frequencies.
type scorer struct {
	m  *Model
	tf *termFreq
}

// score weighs a pair whose pattern is known: its weight and, for an agreeing
// name, the name's adjusted weight and the number of places the name is found in
// (0 if not adjusted).
func (s *scorer) score(a, b *prep, p pattern) (w, nameW float64, places int32) {
	w = s.m.weight(p)
	l := p.level(cName)
	if s.tf == nil || l < 1 || l > 4 {
		return w, 0, 0
	}
	k := nameKey(a, b)
	if k == "" {
		return w, 0, 0
	}
	base := s.m.W[cName][l]
	nameW = math.Max(base, math.Log2(s.m.M[cName][l]/s.tf.u(k)))
	return w - base + nameW, nameW, s.tf.count(k)
}

// explain explains a scored pair.
func (s *scorer) explain(p pattern, nameW float64, places int32) string {
	if places == 0 {
		return s.m.explain(p, nil, "")
	}
	return s.m.explain(p, &nameW, " (the name is found in "+strconv.Itoa(int(places))+" province(s))")
}
