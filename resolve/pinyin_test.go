package resolve

import "testing"

// Names written in pinyin only meet their Chinese form.
func TestPinyinOnlyNames(t *testing.T) {
	for _, c := range []struct{ zh, py string }{
		{"深圳市通泽科技股份有限公司", "Tongze Keji"},
		{"深圳市国讯数据有限公司", "guoxunshuju"},
		{"泉州市芯元辰半导体有限公司", "Xinyuanchen Bandaoti"},
		{"北京瀚金鼎光电股份有限公司", "BEIJING HANJINDING GUANGDIAN GUFEN YOUXIAN GONGSI"},
		{"温州市达汉诚物联网有限公司", "WENZHOU DAHANCHENG WULIANWANG YOUXIAN GONGSI"},
		{"沈阳市新创智检测有限公司", "SHENYANG XINCHUANGZHI JIANCE YOUXIAN GONGSI"},
	} {
		a, _ := parseName(c.zh)
		b, _ := parseName(c.py)
		lv, _ := compareName(&a, &b, nil)
		if lv != 2 {
			t.Errorf("%s vs %s: level %d, want 2 (latin %q/%q, industry %q/%q)", c.zh, c.py, lv, string(a.latin), string(b.latin), a.industry, b.industry)
		}
	}
}
