package parse_test

import (
	"testing"

	"github.com/cipmap/cipmap/parse"
)

func TestUSCC(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// Huawei Technologies Co., Ltd.; the check character verified by hand:
		// the weighted sum of the first 17 is 966, 966 mod 31 = 5, 31-5 = 26 = T.
		{"91440300708461136T", "91440300708461136T"},
		{"9144030071526726XG", "9144030071526726XG"}, // Tencent Technology (Shenzhen)
		{"91110000802100433B", "91110000802100433B"},
		{"9111000071093123XX", "9111000071093123XX"},
		{"91330100799655058B", "91330100799655058B"},
		{" 91440300708461136t ", "91440300708461136T"},
		{"９１４４０３００７０８４６１１３６Ｔ", "91440300708461136T"},
	} {
		got, err := parse.USCC(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("USCC(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestUSCCRejects(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"91440300708461136A", []string{`"91440300708461136A"`, "check character is A, expected T"}},
		{"9144030070846113", []string{`"9144030070846113"`, "16 characters", "expected 18"}},
		{"9144O300708461136T", []string{`'O' at position 5`, "letter O; the digit 0?", "except I, O, S, V and Z"}},
		{"9144030070846113IT", []string{`'I' at position 17`}},
		{"91440300708461136S", []string{`'S' at position 18`}},
		{"91440300708461136华", []string{`'华' at position 18`}},
		{"91440300-708461136T", []string{"19 characters"}},
		{"", []string{"0 characters"}},
	} {
		got, err := parse.USCC(tt.in)
		if err == nil {
			t.Errorf("USCC(%q) = %q, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

func TestOrgCode(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"70846113-6", "708461136"}, // the organisation code inside Huawei's USCC
		{"708461136", "708461136"},
		{"71526726-X", "71526726X"}, // inside Tencent's: check 10 is X
		{" 71526726-x ", "71526726X"},
	} {
		got, err := parse.OrgCode(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("OrgCode(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"70846113-5", []string{`"70846113-5"`, "check character is 5, expected 6"}},
		{"7084611", []string{"7 characters", "expected 9"}},
		{"7084-61136", []string{"10 characters"}},
		{"70846113Y", []string{`'Y' at position 9`, "0-9 or X"}},
		{"7084_1136", []string{`'_' at position 5`}},
	} {
		got, err := parse.OrgCode(tt.in)
		if err == nil {
			t.Errorf("OrgCode(%q) = %q, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}

func TestLEI(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"5493001KJTIIGC8Y1R12", "5493001KJTIIGC8Y1R12"}, // Bloomberg
		{"7LTWFZYICNSX8D621K86", "7LTWFZYICNSX8D621K86"}, // Deutsche Bank
		{"5493001kjtiigc8y1r12", "5493001KJTIIGC8Y1R12"},
	} {
		got, err := parse.LEI(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("LEI(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"5493001KJTIIGC8Y1R13", []string{`"5493001KJTIIGC8Y1R13"`, "check digits are 13, expected 12"}},
		{"5493001KJTIIGC8Y1R1", []string{"19 characters", "expected 20"}},
		{"5493001KJTIIGC8Y1RAB", []string{`'A' at position 19`, "check digit"}},
		{"5493001KJ-IIGC8Y1R12", []string{`'-' at position 10`}},
	} {
		got, err := parse.LEI(tt.in)
		if err == nil {
			t.Errorf("LEI(%q) = %q, want an error", tt.in, got)
			continue
		}
		checkInvalid(t, tt.in, err, tt.want...)
	}
}
