package policy_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/policy"
)

func TestIssuerLevel(t *testing.T) {
	tests := []struct {
		issuer string
		level  policy.Level
		region policy.Region
		rule   string // the rule id that must decide
	}{
		{"国务院办公厅", policy.LevelCentral, policy.China, "central-table"},
		{"工业和信息化部、应急管理部", policy.LevelCentral, policy.China, "joint"},
		{"国家发展改革委 国家能源局", policy.LevelCentral, policy.China, "joint"},
		{"国家数据局综合司", policy.LevelCentral, policy.China, "central-table"},
		{"中华人民共和国财政部", policy.LevelCentral, policy.China, "central-table"},
		{"国家移民局（中国出入境管理局）", policy.LevelCentral, policy.China, "central-table"},
		{"国务院就业促进和劳动保护工作领导小组", policy.LevelCentral, policy.China, "central-table"},
		{"国家知识产权强国建设工作部际联席会议办公室", policy.LevelCentral, policy.China, "central-pattern"},
		{"交通运输部等", policy.LevelCentral, policy.China, "central-table"},
		{"广东省人民政府", policy.LevelProvincial, policy.Region{Code: "44", Name: "广东省"}, "region"},
		{"北京市市场监督管理局", policy.LevelProvincial, policy.Region{Code: "11", Name: "北京市"}, "region"},
		{"广西壮族自治区发展和改革委员会", policy.LevelProvincial, policy.Region{Code: "45", Name: "广西壮族自治区"}, "region"},
		{"中共广东省委", policy.LevelProvincial, policy.Region{Code: "44", Name: "广东省"}, "region"},
		{"深圳市科技创新委员会", policy.LevelMunicipal, policy.Region{Code: "4403", Name: "深圳市"}, "region"},
		{"广东省深圳市人民政府", policy.LevelMunicipal, policy.Region{Code: "4403", Name: "深圳市"}, "region"},
		{"浦东新区人民政府", policy.LevelCounty, policy.Region{Code: "310115", Name: "浦东新区"}, "region"},
		{"北京市海淀区人民政府", policy.LevelCounty, policy.Region{Code: "110108", Name: "海淀区"}, "region"},
		{"昆山市人民政府", policy.LevelCounty, policy.Region{Code: "320583", Name: "昆山市"}, "region"},
		{"苏州市吴中区人民政府", policy.LevelCounty, policy.Region{Code: "3205", Name: "苏州市"}, "region-suffix"},
		{"长春市朝阳区人民政府", policy.LevelCounty, policy.Region{Code: "2201", Name: "长春市"}, "region-suffix"},
		// 朝阳区 alone is ambiguous (Beijing, Changchun); it is not 朝阳市.
		{"朝阳区人民政府", policy.LevelCounty, policy.Region{}, "region-suffix"},
		{"广东省财政厅 广东省工业和信息化厅", policy.LevelProvincial, policy.Region{Code: "44", Name: "广东省"}, "joint"},
		{"国务院 广东省人民政府", policy.LevelCentral, policy.China, "joint"},
		{"某某科技有限公司", policy.LevelUnknown, policy.Region{}, "unknown"},
		{"", policy.LevelUnknown, policy.Region{}, "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.issuer, func(t *testing.T) {
			level, region, rule := policy.IssuerLevel(tt.issuer)
			if level != tt.level || region != tt.region || !strings.HasPrefix(rule, tt.rule+":") {
				t.Errorf("IssuerLevel(%q) = %s, %+v, %q; want %s, %+v, rule %s", tt.issuer, level, region, rule, tt.level, tt.region, tt.rule)
			}
		})
	}
}

func TestSplitIssuers(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"工业和信息化部、应急管理部", []string{"工业和信息化部", "应急管理部"}},
		{"国家发展改革委 国家能源局", []string{"国家发展改革委", "国家能源局"}},
		{"国家移民局（中国出入境管理局）", []string{"国家移民局"}},
		{"民政部等", []string{"民政部"}},
		{"财政部　税务总局", []string{"财政部", "税务总局"}}, // ideographic space
		{"", nil},
	}
	for _, tt := range tests {
		got := policy.SplitIssuers(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("SplitIssuers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseIssuersCanonical(t *testing.T) {
	got := policy.ParseIssuers("国家发展和改革委员会 国家金融监督管理总局办公厅")
	var names []string
	for _, is := range got {
		names = append(names, is.Canonical)
	}
	if want := []string{"国家发展改革委", "金融监管总局办公厅"}; !reflect.DeepEqual(names, want) {
		t.Errorf("canonical names = %q, want %q", names, want)
	}
}

func TestRegionFullCode(t *testing.T) {
	for _, tt := range []struct{ code, want string }{{"44", "440000"}, {"4403", "440300"}, {"310115", "310115"}, {"", ""}} {
		if got := (policy.Region{Code: tt.code}).FullCode(); got != tt.want {
			t.Errorf("Region{Code: %q}.FullCode() = %q, want %q", tt.code, got, tt.want)
		}
	}
}
