package ownership

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a calendar day, counted so that 0001-01-01 is day 1. The zero Date means no
// date: an open start, an open end, or "ignore dates" for Graph.At. It is an int32 so
// that millions of edges keep their validity in little memory.
type Date int32

// unixDay1 is the Date of 1970-01-01: 719162 days after 0001-01-01, which is day 1.
const unixDay1 = 719163

// DateOf returns the Date of year y, month m, day d, normalised as time.Date does.
func DateOf(y int, m time.Month, d int) Date {
	return FromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

// FromTime returns the day of t in t's location. The zero time (0001-01-01 00:00 UTC)
// gives the zero Date, so that day itself cannot be told from no date.
func FromTime(t time.Time) Date {
	if t.IsZero() {
		return 0
	}
	y, m, d := t.Date()
	secs := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()
	days := secs / 86400
	if secs%86400 != 0 && secs < 0 {
		days--
	}
	return Date(days + unixDay1)
}

// Time returns the day as midnight UTC; the zero Date gives the zero time.
func (d Date) Time() time.Time {
	if d == 0 {
		return time.Time{}
	}
	return time.Unix((int64(d)-unixDay1)*86400, 0).UTC()
}

// IsZero reports whether d is the zero Date (no date).
func (d Date) IsZero() bool { return d == 0 }

// String returns d as 2006-01-02, or "" for the zero Date.
func (d Date) String() string {
	if d == 0 {
		return ""
	}
	return d.Time().Format("2006-01-02")
}

// ParseDate reads a date as cipmap stores it, ISO 8601 to the precision written
// ("2020", "2020-08", "2020-08-13", optionally followed by a time of day after a T or a
// space, which is ignored), and returns the first and the last day it may mean:
// 2020-01-01 and 2020-12-31 for "2020". An empty string gives two zero Dates.
//
// Partial dates are widened, not guessed: a holding that starts in "2020" and ends in
// "2021-06" is taken as valid from 2020-01-01 to 2021-06-30, so a query date inside the
// period the source may have meant never misses it.
func ParseDate(s string) (first, last Date, err error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, nil
	}
	if i := strings.IndexAny(s, "T "); i >= 0 {
		s = s[:i]
	}
	parts := strings.Split(s, "-")
	bad := func(why string) (Date, Date, error) {
		return 0, 0, fmt.Errorf("%q is not a date: %s; expected 2020, 2020-08 or 2020-08-13", s, why)
	}
	if len(parts) > 3 || len(parts[0]) != 4 {
		return bad("the year must have four digits")
	}
	var nums [3]int
	for i, p := range parts {
		if p == "" || len(p) > 4 || (i > 0 && len(p) != 2) {
			return bad("each part after the year must have two digits")
		}
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 {
			return bad("not a number")
		}
		nums[i] = n
	}
	y := nums[0]
	if y < 1 {
		return bad("the year is before year 1")
	}
	switch len(parts) {
	case 1:
		return DateOf(y, 1, 1), DateOf(y, 12, 31), nil
	case 2:
		m := nums[1]
		if m < 1 || m > 12 {
			return bad("the month is not from 01 to 12")
		}
		return DateOf(y, time.Month(m), 1), DateOf(y, time.Month(m)+1, 0), nil
	}
	m, d := nums[1], nums[2]
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || t.Day() != d {
		return bad("no such day")
	}
	day := FromTime(t)
	return day, day, nil
}

// MustDate returns the first day of s as ParseDate reads it, and panics if s is not a
// date. It is meant for literals in tests and examples.
func MustDate(s string) Date {
	d, _, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// validAt reports whether a period from from to to (zero for open ends, both days
// included) holds on day d; the zero d matches every period.
func validAt(d, from, to Date) bool {
	if d == 0 {
		return true
	}
	return (from == 0 || from <= d) && (to == 0 || d <= to)
}
