package firmname

import "testing"

func TestCompareCrossScript(t *testing.T) {
	tests := []struct {
		zh, en   string
		min, max float64
	}{
		// Transliterations: the pinyin of the trade name is the English trade name.
		{"华为技术有限公司", "HUAWEI TECH CO LTD", 1, 1},
		{"華為技術有限公司", "Huawei Technologies Co., Ltd.", 1, 1},
		{"重庆长安汽车股份有限公司", "Chongqing Changan Automobile Co., Ltd.", 1, 1},
		{"重庆长安汽车股份有限公司", "Chongqing Chang'an Automobile Co., Ltd.", 1, 1},
		{"广州海格通信集团股份有限公司", "GUANGZHOU HAIGE COMM GRP", 1, 1},
		{"海南航空控股股份有限公司", "Hainan Airlines Holding Co., Ltd.", 1, 1},
		// A brand close to the pinyin (teng xun) but not it.
		{"深圳市腾讯计算机系统有限公司", "Shenzhen Tencent Computer Systems Co., Ltd.", 0.3, 0.6},
		{"中兴通讯股份有限公司", "ZTE Corporation", 0, 0.3},
		// Half transliterated, half translated: 网讯 is Netcom.
		{"北京百度网讯科技有限公司", "Beijing Baidu Netcom Science and Technology Co., Ltd.", 0.3, 0.7},
		// Translations and initialisms are not transliterations.
		{"中芯国际集成电路制造有限公司", "Semiconductor Manufacturing International Corporation", 0, 0.3},
		{"中芯国际集成电路制造（上海）有限公司", "SMIC", 0, 0.3},
		{"中国银行股份有限公司", "Bank of China Limited", 0, 0.3},
		// Different firms.
		{"华为技术有限公司", "ZTE Corporation", 0, 0.3},
		{"华为技术有限公司", "Lenovo Group Limited", 0, 0.3},
	}
	for _, tt := range tests {
		got := CompareCrossScript(Parse(tt.zh), Parse(tt.en))
		if got < tt.min || got > tt.max {
			t.Errorf("CompareCrossScript(%q, %q) = %.2f, want %.2f..%.2f", tt.zh, tt.en, got, tt.min, tt.max)
		}
		if back := CompareCrossScript(Parse(tt.en), Parse(tt.zh)); back != got {
			t.Errorf("CompareCrossScript is not symmetric for %q, %q: %.2f and %.2f", tt.zh, tt.en, got, back)
		}
	}
	if got := CompareCrossScript(Parse(""), Parse("HUAWEI")); got != 0 {
		t.Errorf("CompareCrossScript with an empty name = %.2f, want 0", got)
	}
}
