package ownership

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Range is a share as a fraction of 1 (0.51 for 51%), known exactly (Lo == Hi) or only
// within bounds. The zero Range, like Unknown, means the share is not known: any
// value from 0 to 1. A holding of exactly 0% carries nothing and is never needed.
type Range struct {
	Lo, Hi float64
}

// Unknown is a share about which nothing is known.
var Unknown = Range{0, 1}

// Exact returns the Range of a share known exactly.
func Exact(x float64) Range { return Range{x, x} }

// Between returns the Range from lo to hi.
func Between(lo, hi float64) Range { return Range{lo, hi} }

// IsExact reports whether the share is known exactly.
func (r Range) IsExact() bool { return r.Lo == r.Hi }

// IsZero reports whether r is the zero Range, which means unknown.
func (r Range) IsZero() bool { return r.Lo == 0 && r.Hi == 0 }

// orUnknown returns Unknown for the zero Range and r otherwise.
func (r Range) orUnknown() Range {
	if r.IsZero() {
		return Unknown
	}
	return r
}

// check returns why r is not a valid share, or "".
func (r Range) check() string {
	switch {
	case math.IsNaN(r.Lo) || math.IsNaN(r.Hi):
		return "is not a number"
	case r.Lo < 0:
		return "is below 0%"
	case r.Hi > 1+1e-9:
		return "is above 100%"
	case r.Lo > r.Hi:
		return "has its low end above its high end"
	}
	return ""
}

// String returns the share in percent: "51%", "30–50%"; up to two decimals are kept.
func (r Range) String() string {
	if r.IsExact() {
		return pct(r.Lo) + "%"
	}
	return pct(r.Lo) + "–" + pct(r.Hi) + "%"
}

// pct formats a fraction as percent with at most two decimals: 0.51 → "51".
func pct(x float64) string {
	v := math.Round(x*10000) / 100
	if v == 0 {
		v = 0 // no "-0"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// ParseShare reads a percentage as cipmap stores it, in percent units: "51" is 51%,
// "30..50" is 30% to 50%. An empty string is Unknown. Values must lie from 0 to 100.
func ParseShare(s string) (Range, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return Unknown, nil
	}
	lo, hi, isRange := strings.Cut(s, "..")
	if !isRange {
		hi = lo
	}
	a, err1 := strconv.ParseFloat(strings.TrimSpace(lo), 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(hi), 64)
	if err1 != nil || err2 != nil {
		return Range{}, fmt.Errorf("%q is not a share; expected a percentage such as 51 or 30..50", s)
	}
	r := Range{a / 100, b / 100}
	if why := r.check(); why != "" {
		return Range{}, fmt.Errorf("%q is not a share from 0 to 100: it %s", s, why)
	}
	return r, nil
}

// add returns the sum of two shares, bound by bound, capped at 1.
func (r Range) add(o Range) Range {
	return Range{math.Min(1, r.Lo+o.Lo), math.Min(1, r.Hi+o.Hi)}
}
