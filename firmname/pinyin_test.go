package firmname

import "testing"

// TestPinyin checks the readings that character-by-character pinyin gets wrong,
// the words issue 4 names, and the handling of Latin words and traditional text.
func TestPinyin(t *testing.T) {
	tests := []struct{ in, want string }{
		// The examples.
		{"重庆", "chong qing"},
		{"银行", "yin hang"},
		{"长江", "chang jiang"},
		{"长安", "chang an"},
		// Places.
		{"长城", "chang cheng"},
		{"厦门", "xia men"},
		{"蚌埠", "beng bu"},
		{"六安", "lu an"},
		{"乐山", "le shan"},
		{"长沙", "chang sha"},
		{"朝阳", "chao yang"},
		{"单县", "shan xian"},
		{"石家庄", "shi jia zhuang"},
		{"成都", "cheng du"},
		{"佛山", "fo shan"},
		{"喀什", "ka shi"},
		{"西藏", "xi zang"},
		{"乐清", "yue qing"},
		{"阿勒泰", "a le tai"},
		// Firm words.
		{"重工", "zhong gong"},
		{"行业", "hang ye"},
		{"华为", "hua wei"},
		{"中兴", "zhong xing"},
		{"传媒", "chuan mei"},
		{"音乐", "yin yue"},
		{"快乐", "kuai le"},
		{"调度", "diao du"},
		{"空调", "kong tiao"},
		{"便利", "bian li"},
		{"数据", "shu ju"},
		{"薄膜", "bo mo"},
		{"供应链", "gong ying lian"},
		{"会计师事务所", "kuai ji shi shi wu suo"},
		{"美的", "mei di"},
		{"成长", "cheng zhang"},
		// Longest word first, left to right.
		{"重庆银行", "chong qing yin hang"},
		{"银行行长", "yin hang hang zhang"},
		{"中国银行", "zhong guo yin hang"},
		{"重庆长安汽车", "chong qing chang an qi che"},
		// ü is v; Latin words stay whole; traditional text is simplified first;
		// punctuation goes.
		{"绿城", "lv cheng"},
		{"TCL科技", "tcl ke ji"},
		{"華為", "hua wei"},
		{"中芯国际（上海）", "zhong xin guo ji shang hai"},
		{"3M中国", "3m zhong guo"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Pinyin(tt.in); got != tt.want {
			t.Errorf("Pinyin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestPinyinOverridesDiffer checks that the single-character overrides do
// change the dictionary's reading, so that each line of that part of the table
// earns its place.
func TestPinyinOverridesDiffer(t *testing.T) {
	tb := mustLoad()
	for r, y := range tb.pyChars {
		if d := dictReading(r); d == y {
			t.Errorf("pinyin-overrides.tsv: %c %s is the dictionary's reading already", r, y)
		}
	}
}

// TestRegionPinyin reads every region's name with Pinyin and compares it with
// the region's Latin forms. It checks both tables: a place name read wrongly
// (佛山 fu shan, 喀什 ka shen) and a Latin form mistyped would both show here.
func TestRegionPinyin(t *testing.T) {
	// Regions whose Latin forms are no Hanyu Pinyin of the short name.
	english := map[string]bool{
		"中国": true, "陕西": true, "香港": true, "澳门": true, "伊犁": true, "阿里": true,
		"台北": true, "新北": true, "台中": true, "高雄": true, "新竹": true,
	}
	for _, r := range Regions() {
		root := r.Short
		switch root {
		case "吉林市":
			root = "吉林"
		case "海南州":
			root = "海南"
		}
		if english[root] {
			continue
		}
		got := latinKey(Pinyin(root))
		tb := mustLoad()
		if latinKey(r.Latin) == got {
			continue
		}
		if reg := tb.regionKeys[got]; reg != nil && reg.Name == r.Name {
			continue // an alias
		}
		t.Errorf("%s: Pinyin gives %q; the Latin forms are %q and its aliases", r.Name, got, r.Latin)
	}
}
