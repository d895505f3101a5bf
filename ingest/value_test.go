package ingest

import "testing"

func TestScaleDecimal(t *testing.T) {
	for _, tc := range []struct {
		in    string
		scale float64
		want  string
	}{
		{"1.5", 10000, "15000"}, {"12345.678", 10000, "123456780"}, {"0.00001", 10000, "0.1"},
		{"-2.5", 100, "-250"}, {"7", 1, "7"}, {"0", 10000, "0"}, {"3", 0.5, "1.5"}, {"1.23456", 100000000, "123456000"},
	} {
		if got := scaleDecimal(tc.in, tc.scale); got != tc.want {
			t.Errorf("scaleDecimal(%s, %g) = %s, want %s", tc.in, tc.scale, got, tc.want)
		}
	}
}
