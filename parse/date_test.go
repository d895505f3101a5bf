package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestDate(t *testing.T) {
	excel := parse.DateOptions{ExcelSerial: true}
	for _, tt := range []struct {
		in   string
		opts parse.DateOptions
		want string
	}{
		// ISO 8601, with and without time
		{"2020-08-13", parse.DateOptions{}, "2020-08-13"},
		{"2020-8-3", parse.DateOptions{}, "2020-08-03"},
		{"2020-08-13T15:57:29", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"2020-08-13 15:57", parse.DateOptions{}, "2020-08-13T15:57:00"},
		{"2020-08-13T15:57:29.123", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"2020-08-13T15:57:29Z", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"2020-08-13T15:57:29+08:00", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"2020-07-28 17:04:15 UTC", parse.DateOptions{}, "2020-07-28T17:04:15"}, // CSET procurement data
		{"2020-08", parse.DateOptions{}, "2020-08"},
		{"2020", parse.DateOptions{}, "2020"},
		// slashes and points, year first
		{"2020/8/13", parse.DateOptions{}, "2020-08-13"},
		{"2020.8.13", parse.DateOptions{}, "2020-08-13"},
		{"2020/08/13 09:05:00", parse.DateOptions{}, "2020-08-13T09:05:00"},
		{"2020.08", parse.DateOptions{}, "2020-08"},
		// compact
		{"20200813", parse.DateOptions{}, "2020-08-13"},
		{"20200813155729", parse.DateOptions{}, "2020-08-13T15:57:29"},
		// year last, as in CSET's procurement data: month first unless it cannot be
		{"8/13/2020 15:57:29", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"9/11/2020 9:25:13", parse.DateOptions{}, "2020-09-11T09:25:13"},
		{"8/20/2020 0:00:00", parse.DateOptions{}, "2020-08-20"}, // midnight is dropped
		{"5/8/2020", parse.DateOptions{}, "2020-05-08"},          // both could be the month: month first
		{"13/8/2020", parse.DateOptions{}, "2020-08-13"},         // day first
		{"8/13/2020 3:57:29 PM", parse.DateOptions{}, "2020-08-13T15:57:29"},
		{"8/13/2020 12:05 am", parse.DateOptions{}, "2020-08-13T00:05:00"},
		// Chinese
		{"2020年8月13日", parse.DateOptions{}, "2020-08-13"},
		{"2020年8月13号", parse.DateOptions{}, "2020-08-13"},
		{"2020 年 8 月 13 日", parse.DateOptions{}, "2020-08-13"},
		{"2020年08月13日 15:57", parse.DateOptions{}, "2020-08-13T15:57:00"},
		{"2020年8月", parse.DateOptions{}, "2020-08"},
		{"2020年", parse.DateOptions{}, "2020"},
		{"２０２０年８月１３日", parse.DateOptions{}, "2020-08-13"},
		{"２０２０－０８－１３", parse.DateOptions{}, "2020-08-13"},
		{" 2020-08-13\u3000", parse.DateOptions{}, "2020-08-13"},
		// leap days
		{"2020-02-29", parse.DateOptions{}, "2020-02-29"},
		{"2000-02-29", parse.DateOptions{}, "2000-02-29"},
		// Excel serial day numbers, only when asked for
		{"44056", excel, "2020-08-13"},
		{"44056.5", excel, "2020-08-13T12:00:00"},
		{"10000", excel, "1927-05-18"},
		{"2020", excel, "2020"}, // four digits are a year
		// year bounds
		{"1950", parse.DateOptions{MinYear: 1949, MaxYear: 2030}, "1950"},
	} {
		got, err := parse.Date(tt.in, tt.opts)
		if err != nil || got != tt.want {
			t.Errorf("Date(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestDateRejects(t *testing.T) {
	excel := parse.DateOptions{ExcelSerial: true}
	for _, tt := range []struct {
		in   string
		opts parse.DateOptions
		want []string // what the message must mention
	}{
		{"2021-02-29", parse.DateOptions{}, []string{`"2021-02-29"`, "2021 is not a leap year"}},
		{"1900-02-29", parse.DateOptions{}, []string{`"1900-02-29"`, "1900 is not a leap year"}},
		{"2020-13-01", parse.DateOptions{}, []string{`"2020-13-01"`, "month 13 is not in 1..12"}},
		{"2020-04-31", parse.DateOptions{}, []string{`"2020-04-31"`, "day 31 is not in 1..30"}},
		{"2020-00", parse.DateOptions{}, []string{"month 0 is not in 1..12"}},
		{"20201301", parse.DateOptions{}, []string{"month 13"}},
		{"2020-08-13 24:00", parse.DateOptions{}, []string{"hour 24 is not in 0..23"}},
		{"2020-08-13 15:60", parse.DateOptions{}, []string{"minute 60"}},
		{"8/13/2020 13:00 PM", parse.DateOptions{}, []string{"hour 13 is not in 1..12"}},
		{"13/14/2020", parse.DateOptions{}, []string{`"13/14/2020"`, "neither 13 nor 14 can be the month"}},
		{"2080", parse.DateOptions{MaxYear: 2025}, []string{`"2080"`, "year 2080 is after 2025", "from 1800 to 2025"}},
		{"2180-01-01", parse.DateOptions{}, []string{"year 2180 is after 2100", "from 1800 to 2100"}},
		{"1700年", parse.DateOptions{}, []string{"year 1700 is before 1800"}},
		{"44056", parse.DateOptions{}, []string{`"44056" is not a date`, "2020-08-13"}},
		{"99999", excel, []string{"Excel serial day number 99999 is not in 10000..80000"}},
		{"13.08.2020", parse.DateOptions{}, []string{`"13.08.2020" is not a date`}},
		{"20-8-13", parse.DateOptions{}, []string{"is not a date", "expected a date such as"}},
		{"8/13/20", parse.DateOptions{}, []string{"is not a date"}},
		{"2020-08/13", parse.DateOptions{}, []string{"is not a date"}},
		{"2020-08-13 15", parse.DateOptions{}, []string{"is not a date"}},
		{"2020-08-13T15:57:29+25:00", parse.DateOptions{}, []string{"is not a date"}},
		{"August 2020", parse.DateOptions{}, []string{"is not a date"}},
		{"", parse.DateOptions{}, []string{`"" is not a date`}},
		{"N/A", parse.DateOptions{}, []string{`"N/A" is not a date`}},
	} {
		got, err := parse.Date(tt.in, tt.opts)
		if err == nil {
			t.Errorf("Date(%q) = %q, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

// TestDateProcurement parses every date of CSET's PLA procurement sample, which mixes
// M/D/YYYY H:MM:SS, ISO dates and ISO times in UTC.
func TestDateProcurement(t *testing.T) {
	rows := readCSV(t, "../../shared/data/samples/procurement-pla-ai-2020/Harnessed_Lightning_Raw_Data.csv")
	opts := parse.DateOptions{MinYear: 2019, MaxYear: 2021}
	n := 0
	for i, row := range rows {
		for _, col := range []string{"created", "deadline"} {
			v := row[col]
			if parse.IsEmpty(v) {
				continue
			}
			if _, err := parse.Date(v, opts); err != nil {
				t.Errorf("row %d, %s: %v", i+2, col, err)
			}
			n++
		}
	}
	if n < 600 {
		t.Errorf("parsed %d dates, want at least 600", n)
	}
}

func TestDateAllocs(t *testing.T) {
	for _, s := range []string{"2020-08-13", "2020-08-13T15:57:29", "2020"} {
		if n := testing.AllocsPerRun(100, func() { parse.Date(s, parse.DateOptions{}) }); n != 0 {
			t.Errorf("Date(%q) allocates %v times, want 0", s, n)
		}
	}
}
