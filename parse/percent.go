package parse

import (
	"strconv"
	"strings"
)

// Percent is a percentage in percent units (60 for 60%), or a range of them. Low and
// High are equal for a single value.
type Percent struct {
	Low, High float64
}

// String returns p as cipmap stores a percentage: "60", or "30..50" for a range.
// Percentage reads it back.
func (p Percent) String() string {
	lo := strconv.FormatFloat(p.Low, 'f', -1, 64)
	if p.Low == p.High {
		return lo
	}
	return lo + ".." + strconv.FormatFloat(p.High, 'f', -1, 64)
}

// Percentage parses a percentage from 0 to 100, or a range or bound of them:
//
//	60%, 60 %, ６０％, 60, 0.6, 百分之60
//	30-50%, 30%–50%, 30~50%, 30至50%, 30 to 50%, 30..50
//	<5%, ≤5%, 小于5%, 5%以下 (Low 0); >50%, ≥50%, 超过50%, 50%以上 (High 100)
//	约30%, ~30%, 30%左右 (about 30: taken as 30)
//
// A number without a percent sign is in percent units, as cipmap stores percentages:
// "0.6" is 0.6%, not 60%. A column that holds fractions (0.6 for 60%) must be scaled
// by its mapping, since no single value can tell the two apart. A strict bound and an
// inclusive one are not told apart: <5% and ≤5% are both 0..5.
//
// Values outside 0..100 are rejected, and so is a range whose ends are in the wrong
// order.
func Percentage(s string) (Percent, error) {
	t := Fold(s)
	i := 0
	for _, w := range [...]string{"大约", "约", "~", "≈", "approx.", "approx", "about", "around"} {
		if hasPrefixFold(t, w) {
			i = skipSpace(t, len(w))
			break
		}
	}
	bound := 0 // -1 for an upper bound (<5%), +1 for a lower bound (>50%)
	if b, n := percentBound(t[i:]); n > 0 {
		bound = b
		i = skipSpace(t, i+n)
	}
	if strings.HasPrefix(t[i:], "百分之") {
		i += len("百分之")
	}
	lo, i, why := scanPercent(t, i, true)
	if why != "" {
		return Percent{}, percentError(s, why)
	}
	hi := lo
	if n := rangeSeparator(t[i:]); n > 0 && bound == 0 {
		if hi, i, why = scanPercent(t, skipSpace(t, i+n), false); why != "" {
			return Percent{}, percentError(s, why)
		}
		if lo > hi {
			return Percent{}, invalid("%s is not a percentage range: its low end %s is above its high end %s", quote(s), fmtPercent(lo), fmtPercent(hi))
		}
	}
	if bound == 0 && lo == hi {
		for _, w := range [...]struct {
			text  string
			bound int
		}{{"以上", 1}, {"以下", -1}, {"以内", -1}, {"左右", 0}} {
			if strings.HasPrefix(t[i:], w.text) {
				bound = w.bound
				i = skipSpace(t, i+len(w.text))
				break
			}
		}
	}
	if i != len(t) {
		return Percent{}, percentError(s, "")
	}
	switch bound {
	case -1:
		lo = 0
	case 1:
		hi = 100
	}
	return Percent{Low: lo, High: hi}, nil
}

// scanPercent reads a number from 0 to 100 at t[i:] and a percent sign after it, if
// any, and returns the index after them.
func scanPercent(t string, i int, signed bool) (float64, int, string) {
	d, j, why := scanDecimal(t, i, signed)
	if why != "" {
		return 0, j, why
	}
	if j == i {
		return 0, j, notAPercentage
	}
	_, f, ok := d.normalise(0)
	if !ok || f < 0 || f > 100 {
		return 0, j, d.text + " is outside 0..100"
	}
	k := skipSpace(t, j)
	if byteAt(t, k) == '%' {
		j = skipSpace(t, k+1)
	} else if hasPrefixFold(t[k:], "percent") {
		j = skipSpace(t, k+len("percent"))
	} else {
		j = k
	}
	return f, j, ""
}

const notAPercentage = "not a percentage"

func percentError(s, why string) error {
	if why == "" || why == notAPercentage {
		return invalid("%s is not a percentage; expected a number from 0 to 100 with an optional %%, such as 60%%, 30-50%%, <5%% or 约30%%", quote(s))
	}
	return invalid("%s is not a percentage from 0 to 100: %s", quote(s), why)
}

// percentBound reads a bound before a percentage: < ≤ <= or its Chinese words, which
// make an upper bound (-1), and > ≥ >= and theirs, which make a lower bound (+1).
func percentBound(t string) (bound, n int) {
	for _, w := range [...]struct {
		text  string
		bound int
	}{
		{"<=", -1}, {"≤", -1}, {"<", -1}, {"小于", -1}, {"低于", -1}, {"少于", -1}, {"不足", -1}, {"不到", -1},
		{">=", 1}, {"≥", 1}, {">", 1}, {"大于", 1}, {"高于", 1}, {"多于", 1}, {"超过", 1},
	} {
		if strings.HasPrefix(t, w.text) {
			return w.bound, len(w.text)
		}
	}
	return 0, 0
}

// rangeSeparator returns the length of the separator of a range of percentages at the
// start of t, or 0.
func rangeSeparator(t string) int {
	for _, w := range [...]string{"..", "-", "–", "—", "~", "〜", "至", "到"} {
		if strings.HasPrefix(t, w) {
			return len(w)
		}
	}
	if hasPrefixFold(t, "to ") {
		return len("to ")
	}
	return 0
}

func fmtPercent(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
