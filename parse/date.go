package parse

import (
	"fmt"
	"strings"
	"time"
)

// DateOptions configure Date.
type DateOptions struct {
	// MinYear and MaxYear bound the accepted years, inclusive; zero means 1800 and
	// 2100. Set them to a dataset's plausible range, so that a misread value (a year
	// 2080 in news from 2020) is rejected instead of stored.
	MinYear, MaxYear int
	// ExcelSerial accepts a value that is only an Excel serial day number from 10000
	// to 80000 (1927-05-18 to 2119-01-10), with an optional fraction for the time of
	// day: 44056 is 2020-08-13 and 44056.5 is 2020-08-13T12:00:00. Turn it on only
	// for columns known to hold dates, since any five-digit number would pass.
	ExcelSerial bool
}

// Default year bounds of Date.
const (
	DefaultMinYear = 1800
	DefaultMaxYear = 2100
)

// The range of Excel serial day numbers that Date accepts.
const (
	minExcelSerial = 10000
	maxExcelSerial = 80000
)

// excelEpoch is day 0 of Excel's 1900 date system for every serial from 61 on. Excel
// counts 1900-01-01 as day 1 but also counts a 1900-02-29 that did not exist, so later
// serials are days since 1899-12-30.
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// Date parses a date, with or without a time of day, and returns it in ISO 8601 at the
// precision written: "2020", "2020-08", "2020-08-13" or "2020-08-13T15:57:29".
//
// It accepts, after Fold (so full-width digits are fine):
//
//	2020-08-13, 2020-8-13, 2020/8/13, 2020.8.13       year first
//	2020-08, 2020/8, 2020.8, 2020                     year and month, year
//	20200813, 20200813155729                          compact
//	8/13/2020, 13/8/2020                              year last, with slashes only
//	2020年8月13日, 2020年8月13号, 2020年8月, 2020年     Chinese
//
// The year-first, year-last and Chinese forms with a day may carry a time of day,
// after a space (or a T in the year-first forms): 15:57, 15:57:29, 9:25:13,
// 15:57:29.123, 3:57 PM, each optionally followed by a zone designator (Z, UTC, GMT,
// +08:00, +0800, -05). With ExcelSerial set, an Excel serial day number is accepted
// too.
//
// Decisions where the input is ambiguous:
//   - Year-last dates are month first, as in US data (CSET's 8/13/2020 15:57:29),
//     unless the first number is over 12, when they are day first (13/8/2020). So
//     5/8/2020 is 2020-05-08. Dotted and dashed year-last dates (08.05.2020) are
//     rejected, because in European data they are day first.
//   - A time of exactly midnight, 00:00 or 00:00:00, is dropped: spreadsheets add it
//     to dates that had no time ("8/20/2020 0:00:00"), so the result is "2020-08-20".
//   - Seconds missing from the input are written as :00; fractions of a second are
//     dropped.
//   - A zone designator is accepted and dropped, without converting: the result is
//     the wall-clock time as written. Statement.Original keeps the zone.
//   - A four-digit number is always a year, never an Excel serial.
//
// Date rejects, with the reason, dates that do not exist (2021-02-29, month 13, hour
// 24) and years outside [opts.MinYear, opts.MaxYear].
func Date(s string, opts DateOptions) (string, error) {
	t := Fold(s)
	d, why := scanDate(t, opts.ExcelSerial)
	if why == "" {
		why = d.check()
	}
	if why == notADate {
		forms := "a date such as 2020-08-13, 2020-08-13T15:57:29, 2020/8/13, 8/13/2020 15:57:29, 2020年8月13日, 20200813, 2020-08 or 2020"
		if opts.ExcelSerial {
			forms += ", or an Excel serial day number such as 44056"
		}
		return "", invalid("%s is not a date; expected %s", quote(s), forms)
	}
	if why != "" {
		return "", invalid("%s is not a valid date: %s", quote(s), why)
	}
	lo, hi := opts.years()
	if d.year < lo {
		return "", invalid("%s: year %d is before %d; expected a year from %d to %d", quote(s), d.year, lo, lo, hi)
	}
	if d.year > hi {
		return "", invalid("%s: year %d is after %d; expected a year from %d to %d", quote(s), d.year, hi, lo, hi)
	}
	if d.prec == precTime && d.hour == 0 && d.min == 0 && d.sec == 0 {
		d.prec = precDay
	}
	var buf [len("2020-08-13T15:57:29")]byte
	b := d.appendTo(buf[:0])
	if string(b) == s {
		return s, nil
	}
	return string(b), nil
}

func (o DateOptions) years() (lo, hi int) {
	lo, hi = o.MinYear, o.MaxYear
	if lo == 0 {
		lo = DefaultMinYear
	}
	if hi == 0 {
		hi = DefaultMaxYear
	}
	return lo, hi
}

// Precisions of a datetime.
const (
	precYear = iota + 1
	precMonth
	precDay
	precTime
)

// datetime is a parsed date, valid to its precision once check passes.
type datetime struct {
	year, month, day, hour, min, sec int
	prec                             int
}

// notADate is the reason scanDate gives for text in none of the accepted forms.
const notADate = "not a date"

// scanDate reads folded text t as a date. It returns a reason if t is in none of the
// accepted forms or, for a year-last date, neither of its first two numbers can be
// the month; check tests the fields.
func scanDate(t string, excel bool) (datetime, string) {
	v, n := digits(t, 0)
	if n == 0 {
		return datetime{}, notADate
	}
	if n == len(t) {
		switch {
		case n == 4:
			return datetime{year: v, prec: precYear}, ""
		case n == 8:
			return datetime{year: v / 1e4, month: v / 100 % 100, day: v % 100, prec: precDay}, ""
		case n == 14:
			hms, _ := digits(t[8:], 0)
			v /= 1e6
			return datetime{year: v / 1e4, month: v / 100 % 100, day: v % 100,
				hour: hms / 1e4, min: hms / 100 % 100, sec: hms % 100, prec: precTime}, ""
		case n == 5 && excel:
			return excelDate(t)
		}
		return datetime{}, notADate
	}
	switch {
	case n == 5 && excel && t[n] == '.':
		return excelDate(t)
	case n == 4:
		return scanYearFirst(t, v, n)
	case n <= 2 && t[n] == '/':
		return scanYearLast(t, v, n)
	}
	return datetime{}, notADate
}

// scanYearFirst reads the rest of a date that begins with a four-digit year y at
// t[:i]: -M-D, /M/D, .M.D or the Chinese 年M月D日, with fewer parts for less precision.
func scanYearFirst(t string, y, i int) (datetime, string) {
	d := datetime{year: y, prec: precYear}
	if j := skipSpace(t, i); strings.HasPrefix(t[j:], "年") {
		return scanChinese(t, j+len("年"), d)
	}
	sep := t[i]
	if sep != '-' && sep != '/' && sep != '.' {
		return d, notADate
	}
	m, n := digits(t, i+1)
	if n == 0 || n > 2 {
		return d, notADate
	}
	d.month, d.prec = m, precMonth
	i += 1 + n
	if i == len(t) {
		return d, ""
	}
	if t[i] != sep {
		return d, notADate
	}
	day, n := digits(t, i+1)
	if n == 0 || n > 2 {
		return d, notADate
	}
	d.day, d.prec = day, precDay
	i += 1 + n
	if i == len(t) {
		return d, ""
	}
	if c := t[i]; c != ' ' && c != 'T' && c != 't' {
		return d, notADate
	}
	return scanTime(t, i+1, d)
}

// scanChinese reads the rest of 2020年8月13日 after 年 (at t[i:]); spaces around the
// parts are allowed.
func scanChinese(t string, i int, d datetime) (datetime, string) {
	i = skipSpace(t, i)
	if i == len(t) {
		return d, ""
	}
	m, n := digits(t, i)
	if n == 0 || n > 2 {
		return d, notADate
	}
	i = skipSpace(t, i+n)
	if !strings.HasPrefix(t[i:], "月") {
		return d, notADate
	}
	d.month, d.prec = m, precMonth
	i = skipSpace(t, i+len("月"))
	if i == len(t) {
		return d, ""
	}
	day, n := digits(t, i)
	if n == 0 || n > 2 {
		return d, notADate
	}
	i = skipSpace(t, i+n)
	switch rest := t[i:]; {
	case strings.HasPrefix(rest, "日"), strings.HasPrefix(rest, "号"), strings.HasPrefix(rest, "號"):
		i += len("日") // all three are three bytes in UTF-8
	default:
		return d, notADate
	}
	d.day, d.prec = day, precDay
	i = skipSpace(t, i)
	if i == len(t) {
		return d, ""
	}
	return scanTime(t, i, d)
}

// scanYearLast reads M/D/YYYY (or D/M/YYYY when the first number is over 12), whose
// first number a has been read from t[:i].
func scanYearLast(t string, a, i int) (datetime, string) {
	b, n := digits(t, i+1)
	if n == 0 || n > 2 {
		return datetime{}, notADate
	}
	i += 1 + n
	if i == len(t) || t[i] != '/' {
		return datetime{}, notADate
	}
	y, n := digits(t, i+1)
	if n != 4 {
		return datetime{}, notADate
	}
	i += 1 + n
	d := datetime{year: y, month: a, day: b, prec: precDay}
	if a > 12 {
		if b > 12 {
			return d, fmt.Sprintf("neither %d nor %d can be the month", a, b)
		}
		d.month, d.day = b, a
	}
	if i == len(t) {
		return d, ""
	}
	if t[i] != ' ' {
		return d, notADate
	}
	return scanTime(t, i+1, d)
}

// scanTime reads the time of day at t[i:] to the end of t: H:MM, H:MM:SS or
// H:MM:SS.fff, then optionally AM or PM and a zone designator.
func scanTime(t string, i int, d datetime) (datetime, string) {
	h, n := digits(t, i)
	if n == 0 || n > 2 {
		return d, notADate
	}
	i += n
	if i == len(t) || t[i] != ':' {
		return d, notADate
	}
	m, n := digits(t, i+1)
	if n != 2 {
		return d, notADate
	}
	i += 1 + n
	sec := 0
	if i < len(t) && t[i] == ':' {
		if sec, n = digits(t, i+1); n != 2 {
			return d, notADate
		}
		i += 1 + n
		if i < len(t) && (t[i] == '.' || t[i] == ',') {
			if _, n = digits(t, i+1); n == 0 {
				return d, notADate
			}
			i += 1 + n
		}
	}
	i = skipSpace(t, i)
	if pm, n := meridiem(t[i:]); n > 0 {
		if h < 1 || h > 12 {
			return d, fmt.Sprintf("hour %d is not in 1..12, as it must be before %s", h, strings.TrimSpace(t[i:i+n]))
		}
		if h == 12 {
			h = 0
		}
		if pm {
			h += 12
		}
		i = skipSpace(t, i+n)
	}
	if i, ok := scanZone(t, i); !ok || i != len(t) {
		return d, notADate
	}
	d.hour, d.min, d.sec, d.prec = h, m, sec, precTime
	return d, ""
}

// meridiem reads AM, PM, a.m. or p.m. (any case) at the start of t and returns
// whether it was PM and how many bytes it took.
func meridiem(t string) (pm bool, n int) {
	for _, m := range [...]string{"am", "a.m.", "pm", "p.m."} {
		if hasPrefixFold(t, m) && (len(t) == len(m) || t[len(m)] == ' ') {
			return m[0] == 'p', len(m)
		}
	}
	return false, 0
}

// scanZone reads an optional zone designator at t[i:]: Z, UTC or GMT, either of the
// latter optionally with an offset, or an offset alone: +08:00, +0800, +08, UTC+8.
// It returns the index after it, and false if it is malformed.
func scanZone(t string, i int) (int, bool) {
	if i == len(t) {
		return i, true
	}
	if t[i] == 'Z' || t[i] == 'z' {
		return i + 1, true
	}
	named := hasPrefixFold(t[i:], "utc") || hasPrefixFold(t[i:], "gmt")
	if named {
		i += 3
	}
	if i == len(t) || t[i] != '+' && t[i] != '-' {
		return i, named
	}
	h, n := digits(t, i+1)
	m := 0
	i += 1 + n
	switch {
	case n == 4:
		h, m = h/100, h%100
	case n == 2 || n == 1 && named:
		if i < len(t) && t[i] == ':' {
			var k int
			if m, k = digits(t, i+1); k != 2 {
				return i, false
			}
			i += 1 + k
		}
	default:
		return i, false
	}
	return i, h <= 14 && m <= 59
}

// check returns why d is not a real date or time, or "".
func (d datetime) check() string {
	if d.prec >= precMonth && (d.month < 1 || d.month > 12) {
		return fmt.Sprintf("month %d is not in 1..12", d.month)
	}
	if d.prec >= precDay {
		if n := daysIn(d.year, d.month); d.day < 1 || d.day > n {
			if d.month == 2 && d.day == 29 {
				return fmt.Sprintf("%d is not a leap year, so February has 28 days", d.year)
			}
			return fmt.Sprintf("day %d is not in 1..%d for %04d-%02d", d.day, n, d.year, d.month)
		}
	}
	if d.prec == precTime {
		switch {
		case d.hour > 23:
			return fmt.Sprintf("hour %d is not in 0..23", d.hour)
		case d.min > 59:
			return fmt.Sprintf("minute %d is not in 0..59", d.min)
		case d.sec > 59:
			return fmt.Sprintf("second %d is not in 0..59", d.sec)
		}
	}
	return ""
}

// daysIn returns the number of days in month m (1..12) of year y, in the proleptic
// Gregorian calendar.
func daysIn(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// excelDate reads t, five digits with an optional fraction, as an Excel serial day
// number.
func excelDate(t string) (datetime, string) {
	serial, n := digits(t, 0)
	if t[0] == '0' || n != 5 {
		return datetime{}, notADate
	}
	if serial < minExcelSerial || serial > maxExcelSerial {
		return datetime{}, fmt.Sprintf("Excel serial day number %d is not in %d..%d", serial, minExcelSerial, maxExcelSerial)
	}
	secs := 0
	if n < len(t) {
		f, k := digits(t, n+1) // t[n] is '.'
		if k == 0 || n+1+k != len(t) {
			return datetime{}, notADate
		}
		if k > 9 { // enough for a millisecond; the rest is noise
			f, _ = digits(t[:n+1+9], n+1)
			k = 9
		}
		pow := 1
		for range k {
			pow *= 10
		}
		secs = (f*86400 + pow/2) / pow
	}
	tm := excelEpoch.Add(time.Duration(serial)*24*time.Hour + time.Duration(secs)*time.Second)
	y, mo, day := tm.Date()
	h, mi, sec := tm.Clock()
	return datetime{year: y, month: int(mo), day: day, hour: h, min: mi, sec: sec, prec: precTime}, ""
}

// appendTo appends d in ISO 8601 at its precision.
func (d datetime) appendTo(b []byte) []byte {
	b = append(b, byte('0'+d.year/1000%10), byte('0'+d.year/100%10), byte('0'+d.year/10%10), byte('0'+d.year%10))
	if d.prec >= precMonth {
		b = append(b, '-', byte('0'+d.month/10), byte('0'+d.month%10))
	}
	if d.prec >= precDay {
		b = append(b, '-', byte('0'+d.day/10), byte('0'+d.day%10))
	}
	if d.prec >= precTime {
		b = append(b, 'T', byte('0'+d.hour/10), byte('0'+d.hour%10),
			':', byte('0'+d.min/10), byte('0'+d.min%10),
			':', byte('0'+d.sec/10), byte('0'+d.sec%10))
	}
	return b
}
