package firmname

import "testing"

// "New" before an industry word is part of the industry (新能源, 新材料).
func TestNewBeforeAnIndustryWord(t *testing.T) {
	for _, c := range []struct{ in, trade, industry string }{
		{"Beijing Heming New Energy Co., Ltd.", "heming", "new energy"},
		{"SHENZHEN XIULI NEW MATERIALS CO LTD", "xiuli", "new material"},
		{"New Hope Group Co., Ltd.", "new hope", ""},
	} {
		n := Parse(c.in)
		if n.TradeName != c.trade || n.Industry != c.industry {
			t.Errorf("%s: trade %q industry %q, want %q %q", c.in, n.TradeName, n.Industry, c.trade, c.industry)
		}
	}
}
