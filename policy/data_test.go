package policy_test

import (
	"testing"

	"github.com/cipmap/cipmap/policy"
)

// TestAbbreviationTable checks that every abbreviation in the table reads back as
// a whole code, with its body's level and a region for local bodies, and that the
// bodies of central abbreviations are central bodies IssuerLevel knows.
func TestAbbreviationTable(t *testing.T) {
	for _, a := range []struct {
		code, body string
		level      policy.Level
	}{
		{"国发", "国务院", policy.LevelCentral},
		{"国办发", "国务院办公厅", policy.LevelCentral},
		{"工信部", "工业和信息化部", policy.LevelCentral},
		{"财", "财政部", policy.LevelCentral},
		{"发改", "国家发展改革委", policy.LevelCentral},
		{"国市监", "市场监管总局", policy.LevelCentral},
		{"国令", "国务院", policy.LevelCentral},
		{"京政发", "北京市人民政府", policy.LevelProvincial},
		{"粤府", "广东省人民政府", policy.LevelProvincial},
		{"沪府发", "上海市人民政府", policy.LevelProvincial},
	} {
		d, err := policy.ParseDocNumber(a.code + "〔2024〕1号")
		if err != nil {
			t.Errorf("%s: %v", a.code, err)
			continue
		}
		if d.Agency != a.code || len(d.Issuers) != 1 || d.Issuers[0] != a.body || d.Level != a.level {
			t.Errorf("%s: agency %q, issuers %q, level %s; want %q, %q, %s", a.code, d.Agency, d.Issuers, d.Level, a.code, a.body, a.level)
		}
		lv, _, rule := policy.IssuerLevel(d.Issuers[0])
		if lv != a.level {
			t.Errorf("IssuerLevel(%q) = %s (%s), want %s as the abbreviation table says", d.Issuers[0], lv, rule, a.level)
		}
	}
}
