package resolve

import "testing"

func TestOneEdit(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"信星集成路", "信星集成电路", true},   // a character dropped
		{"明科伟机器", "明科伟机器人", true},   // cut short by one
		{"飞康控股", "隆飞康控股", true},     // the first lost
		{"弘中材料", "宏中材料", true},      // one changed
		{"宏中材料", "宏中材料", false},     // the same is not one apart
		{"信星集成", "信星集成电路", false},   // two apart
		{"弘中材", "宏中材", false},       // too short to say
		{"康优中腾电子", "康优中腾仪器", false}, // two changed
		{"abcd", "abce", true},
		{"", "abcd", false},
	}
	for _, tt := range tests {
		if got := oneEdit(tt.a, tt.b); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
		if got := oneEdit(tt.b, tt.a); got != tt.want {
			t.Errorf("oneEdit(%q, %q) = %v, want %v", tt.b, tt.a, got, tt.want)
		}
	}
}
