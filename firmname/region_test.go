package firmname

import (
	"strings"
	"testing"
)

// TestRegionsData checks data/regions.tsv as a whole: every data file loads, the
// table has the 34 province-level units and the 333 prefecture-level units of
// GB/T 2260, and every code sits inside its province's.
func TestRegionsData(t *testing.T) {
	if _, err := load(); err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	byShort := map[string]Region{}
	for _, r := range Regions() {
		if r.Code != "" {
			count[r.Level]++
		}
		if _, dup := byShort[r.Short]; dup {
			t.Errorf("short name %q is used twice", r.Short)
		}
		byShort[r.Short] = r
	}
	provinces := count[LevelProvince] + count[LevelMunicipality] + count[LevelAutonomousRegion] + count[LevelSAR]
	if provinces != 34 {
		t.Errorf("%d province-level units with a code, want 34", provinces)
	}
	if count[LevelPrefecture] != 333 {
		t.Errorf("%d prefecture-level units with a code, want 333", count[LevelPrefecture])
	}
	if len(ProvinceCode) != 34 {
		t.Errorf("ProvinceCode has %d entries, want 34", len(ProvinceCode))
	}
	for _, r := range Regions() {
		if r.Level == LevelCountry {
			continue
		}
		p, ok := byShort[r.Province]
		if !ok {
			t.Errorf("%s: province %q is not in the table", r.Name, r.Province)
			continue
		}
		if r.Code != "" && !strings.HasPrefix(r.Code, p.Code) {
			t.Errorf("%s: code %s is not inside %s's %s", r.Name, r.Code, p.Name, p.Code)
		}
		if ProvinceCode[p.Code] != p.Short && p.Code != "" {
			t.Errorf("ProvinceCode[%s] = %q, want %q", p.Code, ProvinceCode[p.Code], p.Short)
		}
		if r.Level == LevelCounty {
			c, ok := byShort[r.City]
			if !ok || c.Province != r.Province || !strings.HasPrefix(r.Code, c.Code) && c.Level != LevelCounty {
				t.Errorf("%s: city %q is not a prefecture of %s containing code %s", r.Name, r.City, r.Province, r.Code)
			}
		}
	}
}

func TestLookupRegion(t *testing.T) {
	tests := []struct{ in, short, province, city string }{
		{"广东省", "广东", "广东", ""},
		{"广东", "广东", "广东", ""},
		{"廣東", "广东", "广东", ""},
		{"深圳市", "深圳", "广东", "深圳"},
		{"深圳", "深圳", "广东", "深圳"},
		{"广东省深圳市", "深圳", "广东", "深圳"},
		{"北京市", "北京", "北京", "北京"},
		{"恩施州", "恩施", "湖北", "恩施"},
		{"恩施土家族苗族自治州", "恩施", "湖北", "恩施"},
		{"阿里地区", "阿里", "西藏", "阿里"},
		{"阿里", "阿里", "西藏", "阿里"},
		{"吉林市", "吉林市", "吉林", "吉林市"},
		{"昆山", "昆山", "江苏", "苏州"},
		{"香港特别行政区", "香港", "香港", "香港"},
		{"中国香港", "香港", "香港", "香港"},
		{"Hong Kong", "香港", "香港", "香港"},
		{"HONGKONG", "香港", "香港", "香港"},
		{"Guangdong", "广东", "广东", ""},
		{"Shenzhen", "深圳", "广东", "深圳"},
		{"Xi'an", "西安", "陕西", "西安"},
		{"Inner Mongolia", "内蒙古", "内蒙古", ""},
		{"Shaanxi", "陕西", "陕西", ""},
		{"Shanxi", "山西", "山西", ""},
		{"44", "广东", "广东", ""},
		{"4403", "深圳", "广东", "深圳"},
		{"440305", "深圳", "广东", "深圳"},
		{"中国", "中国", "", ""},
	}
	for _, tt := range tests {
		r, ok := LookupRegion(tt.in)
		if !ok || r.Short != tt.short || r.Province != tt.province || r.City != tt.city {
			t.Errorf("LookupRegion(%q) = %q (province %q, city %q), %v; want %q (%q, %q)", tt.in, r.Short, r.Province, r.City, ok, tt.short, tt.province, tt.city)
		}
	}
	for _, in := range []string{"", "华为", "Taizhou", "Suzhou Road", "99", "南山区"} {
		if r, ok := LookupRegion(in); ok {
			t.Errorf("LookupRegion(%q) = %s, want no region", in, r.Name)
		}
	}
}

func TestRegionOfDivision(t *testing.T) {
	tests := []struct{ code, name string }{
		{"440300", "深圳市"}, // 914403001922038216, 华为技术有限公司
		{"440305", "深圳市"},
		{"110108", "北京市"}, // a district of a municipality: the municipality
		{"310115", "上海市"},
		{"500101", "重庆市"},
		{"320583", "昆山市"}, // a listed county-level city
		{"419001", "济源市"},
		{"449900", "广东省"}, // an unknown prefecture: the province
		{"371200", "济南市"}, // 莱芜, merged into 济南 in 2019
		{"652100", "吐鲁番市"},
		{"65", "新疆维吾尔自治区"},
		{"810000", "香港特别行政区"},
	}
	for _, tt := range tests {
		r, ok := RegionOfDivision(tt.code)
		if !ok || r.Name != tt.name {
			t.Errorf("RegionOfDivision(%q) = %q, %v; want %q", tt.code, r.Name, ok, tt.name)
		}
	}
	for _, code := range []string{"", "1", "100000", "990000", "ab1234"} {
		if r, ok := RegionOfDivision(code); ok {
			t.Errorf("RegionOfDivision(%q) = %q, want none", code, r.Name)
		}
	}
}

func TestProvinceOfDivision(t *testing.T) {
	tests := []struct{ code, short string }{
		{"440300", "广东"},
		{"44", "广东"},
		{"110108", "北京"},
		{"710000", "台湾"},
		{"820000", "澳门"},
		{"654301", "新疆"},
	}
	for _, tt := range tests {
		r, ok := ProvinceOfDivision(tt.code)
		if !ok || r.Short != tt.short || len(r.Code) != 2 {
			t.Errorf("ProvinceOfDivision(%q) = %q (%s), %v; want %q", tt.code, r.Short, r.Code, ok, tt.short)
		}
	}
	if _, ok := ProvinceOfDivision("100000"); ok {
		t.Errorf("ProvinceOfDivision(100000): the national authority's code is no province")
	}
}
