package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestNumber(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want string
		f    float64
	}{
		{"1234", "1234", 1234},
		{"0", "0", 0},
		{"1,234,567.5", "1234567.5", 1234567.5},
		{"-1,234", "-1234", -1234},
		{"+42", "42", 42},
		{"−7", "-7", -7}, // U+2212 minus sign
		{"12.50", "12.5", 12.5},
		{"25200.0", "25200", 25200},
		{"007", "7", 7},
		{"0.000", "0", 0},
		{"-0", "0", 0},
		{".5", "0.5", 0.5},
		{"5.", "5", 5},
		{"1.5e3", "1500", 1500},
		{"1E-5", "0.00001", 0.00001},
		{"2.5E+2", "250", 250},
		{"１２３４．５", "1234.5", 1234.5},
		{"１，２３４", "1234", 1234},
		{" 42 ", "42", 42},
		{"123456789012345678901234567890", "123456789012345678901234567890", 1.2345678901234568e29},
	} {
		got, f, err := parse.Number(tt.in)
		if err != nil || got != tt.want || f != tt.f {
			t.Errorf("Number(%q) = %q, %v, %v; want %q, %v", tt.in, got, f, err, tt.want, tt.f)
		}
	}
}

func TestNumberRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"12.5%", []string{`"12.5%" is a percentage`, "parse it as a percentage"}},
		{"abc", []string{`"abc" is not a number`, "expected a decimal"}},
		{"", []string{`"" is not a number`}},
		{"1,23", []string{`"1,23"`, "misplaced thousands separator", "groups of three"}},
		{"1234,567", []string{"misplaced thousands separator"}},
		{"12,5", []string{"misplaced thousands separator"}}, // a decimal comma is ambiguous
		{"1.2.3", []string{`unexpected ".3" after "1.2"`}},
		{"12 kg", []string{`unexpected "kg"`}},
		{"1e99999", []string{"exponent too large"}},
		{"1e999", []string{"out of range", "more than 100 digits"}},
		{"NaN", []string{"is not a number"}},
		{"Inf", []string{"is not a number"}},
		{"--5", []string{"is not a number"}},
	} {
		got, _, err := parse.Number(tt.in)
		if err == nil {
			t.Errorf("Number(%q) = %q, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

func TestInteger(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int64
	}{
		{"1234", 1234},
		{"1,234", 1234},
		{"12.0", 12},
		{"-1,234,567", -1234567},
		{"１２３", 123},
		{"1e3", 1000},
		{"9223372036854775807", 9223372036854775807},
		{"-9,223,372,036,854,775,808", -9223372036854775808},
	} {
		got, err := parse.Integer(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Integer(%q) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"12.5", []string{`"12.5" is not a whole number`, "expected an integer"}},
		{"9223372036854775808", []string{`"9223372036854775808" is out of range`, "9223372036854775807"}},
		{"12%", []string{"is a percentage"}},
		{"twelve", []string{`"twelve" is not a number`}},
	} {
		got, err := parse.Integer(tt.in)
		if err == nil {
			t.Errorf("Integer(%q) = %d, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}
