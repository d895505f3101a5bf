package firmname

import (
	"slices"
	"testing"
)

// TestParse takes real firm names apart: registered Chinese names, their
// traditional and full-width forms, partnerships and branches, and the English
// names the same firms use in patent, trade and stock-exchange data.
func TestParse(t *testing.T) {
	tests := []struct {
		raw  string
		want Name // Raw is not compared; Folded only where set
	}{
		{"华为技术有限公司", Name{Script: Han, TradeName: "华为", Industry: "技术", LegalForm: "有限公司",
			Pinyin: "hua wei", Key: "华为技术"}},
		{"華為技術有限公司", Name{Folded: "华为技术有限公司", Script: Han, TradeName: "华为", Industry: "技术",
			LegalForm: "有限公司", Pinyin: "hua wei", Key: "华为技术"}},
		{"深圳市腾讯计算机系统有限公司", Name{Script: Han, Region: "深圳", TradeName: "腾讯", Industry: "计算机系统",
			LegalForm: "有限公司", Pinyin: "teng xun", Key: "腾讯计算机系统"}},
		{"深圳市騰訊計算機系統有限公司", Name{Folded: "深圳市腾讯计算机系统有限公司", Script: Han, Region: "深圳",
			TradeName: "腾讯", Industry: "计算机系统", LegalForm: "有限公司", Pinyin: "teng xun", Key: "腾讯计算机系统"}},
		{"中芯国际集成电路制造（上海）有限公司", Name{Folded: "中芯国际集成电路制造(上海)有限公司", Script: Han,
			Region: "上海", TradeName: "中芯国际", Industry: "集成电路制造", LegalForm: "有限公司",
			Pinyin: "zhong xin guo ji", Key: "中芯国际集成电路制造"}},
		{"航天华明科技（北京）有限公司", Name{Script: Han, Region: "北京", TradeName: "航天华明", Industry: "科技",
			LegalForm: "有限公司", Pinyin: "hang tian hua ming", Key: "航天华明科技"}},
		{"北京百度网讯科技有限公司", Name{Script: Han, Region: "北京", TradeName: "百度网讯", Industry: "科技",
			LegalForm: "有限公司", Pinyin: "bai du wang xun", Key: "百度网讯科技"}},
		{"重庆长安汽车股份有限公司", Name{Script: Han, Region: "重庆", TradeName: "长安", Industry: "汽车",
			LegalForm: "股份有限公司", Pinyin: "chang an", Key: "长安汽车"}},
		// A name of nothing but a region and an industry: the region is the
		// trade name.
		{"中国银行股份有限公司", Name{Script: Han, Region: "中国", TradeName: "中国", Industry: "银行",
			LegalForm: "股份有限公司", Pinyin: "zhong guo", Key: "中国银行"}},
		{"海南航空控股股份有限公司", Name{Script: Han, Region: "海南", TradeName: "海南", Industry: "航空",
			LegalForm: "股份有限公司", Group: true, Pinyin: "hai nan", Key: "海南航空"}},
		{"中国石油化工股份有限公司", Name{Script: Han, Region: "中国", TradeName: "中国", Industry: "石油化工",
			LegalForm: "股份有限公司", Pinyin: "zhong guo", Key: "中国石油化工"}},
		{"招商局集团有限公司", Name{Script: Han, TradeName: "招商局", LegalForm: "有限公司", Group: true,
			Pinyin: "zhao shang ju", Key: "招商局"}},
		{"深圳市大疆创新科技有限公司", Name{Script: Han, Region: "深圳", TradeName: "大疆", Industry: "创新科技",
			LegalForm: "有限公司", Pinyin: "da jiang", Key: "大疆创新科技"}},
		{"国家集成电路产业投资基金股份有限公司", Name{Script: Han, Region: "中国", TradeName: "国家",
			Industry: "集成电路产业投资基金", LegalForm: "股份有限公司", Pinyin: "guo jia", Key: "国家集成电路产业投资基金"}},
		{"深圳市红土创业投资合伙企业（有限合伙）", Name{Script: Han, Region: "深圳", TradeName: "红土",
			Industry: "创业投资", LegalForm: "有限合伙", Pinyin: "hong tu", Key: "红土创业投资"}},
		{"普华永道中天会计师事务所（特殊普通合伙）", Name{Script: Han, TradeName: "普华永道中天", Industry: "会计师事务所",
			LegalForm: "特殊普通合伙", Pinyin: "pu hua yong dao zhong tian", Key: "普华永道中天会计师事务所"}},
		{"中国平安保险（集团）股份有限公司", Name{Script: Han, Region: "中国", TradeName: "平安", Industry: "保险",
			LegalForm: "股份有限公司", Group: true, Pinyin: "ping an", Key: "平安保险"}},
		{"阿里巴巴（中国）网络技术有限公司", Name{Script: Han, Region: "中国", TradeName: "阿里巴巴", Industry: "网络技术",
			LegalForm: "有限公司", Pinyin: "a li ba ba", Key: "阿里巴巴网络技术"}},
		{"宁德时代新能源科技股份有限公司", Name{Script: Han, Region: "宁德", TradeName: "时代", Industry: "新能源科技",
			LegalForm: "股份有限公司", Pinyin: "shi dai", Key: "时代新能源科技"}},
		{"贵州茅台酒股份有限公司", Name{Script: Han, Region: "贵州", TradeName: "茅台酒", LegalForm: "股份有限公司",
			Pinyin: "mao tai jiu", Key: "茅台酒"}},
		{"美的集团股份有限公司", Name{Script: Han, TradeName: "美的", LegalForm: "股份有限公司", Group: true,
			Pinyin: "mei di", Key: "美的"}},
		{"三一重工股份有限公司", Name{Script: Han, TradeName: "三一", Industry: "重工", LegalForm: "股份有限公司",
			Pinyin: "san yi", Key: "三一重工"}},
		{"长城汽车股份有限公司", Name{Script: Han, TradeName: "长城", Industry: "汽车", LegalForm: "股份有限公司",
			Pinyin: "chang cheng", Key: "长城汽车"}},
		{"厦门国贸集团股份有限公司", Name{Script: Han, Region: "厦门", TradeName: "国贸", LegalForm: "股份有限公司",
			Group: true, Pinyin: "guo mao", Key: "国贸"}},
		{"广州海格通信集团股份有限公司", Name{Script: Han, Region: "广州", TradeName: "海格", Industry: "通信",
			LegalForm: "股份有限公司", Group: true, Pinyin: "hai ge", Key: "海格通信"}},
		// Branches: the other fields describe the head firm.
		{"中国工商银行股份有限公司北京海淀支行", Name{Script: Han, Region: "中国", TradeName: "工商", Industry: "银行",
			LegalForm: "股份有限公司", Branch: "北京海淀支行", Pinyin: "gong shang", Key: "工商银行"}},
		{"招商银行深圳分行", Name{Script: Han, TradeName: "招商", Industry: "银行", Branch: "深圳分行",
			Pinyin: "zhao shang", Key: "招商银行"}},
		// Mixed script: parsed as Chinese, Latin words kept in lower case.
		{"TCL科技集团股份有限公司", Name{Script: Mixed, TradeName: "tcl", Industry: "科技", LegalForm: "股份有限公司",
			Group: true, Pinyin: "tcl", Key: "tcl科技"}},
		{"ABB（中国）有限公司", Name{Script: Mixed, Region: "中国", TradeName: "abb", LegalForm: "有限公司",
			Pinyin: "abb", Key: "abb"}},
		// A status note in brackets is not part of the name.
		{"华为技术有限公司（已注销）", Name{Script: Han, TradeName: "华为", Industry: "技术", LegalForm: "有限公司",
			Pinyin: "hua wei", Key: "华为技术"}},

		// English names.
		{"Huawei Technologies Co., Ltd.", Name{Script: Latin, TradeName: "huawei", Industry: "technology",
			LegalForm: "co-ltd", Tokens: []string{"huawei", "technology"}, Key: "huawei technology"}},
		{"HUAWEI TECH CO LTD", Name{Script: Latin, TradeName: "huawei", Industry: "technology",
			LegalForm: "co-ltd", Tokens: []string{"huawei", "technology"}, Key: "huawei technology"}},
		{"ＨＵＡＷＥＩ　ＴＥＣＨ　ＣＯ.，ＬＴＤ.", Name{Folded: "huawei tech co.,ltd.", Script: Latin, TradeName: "huawei",
			Industry: "technology", LegalForm: "co-ltd", Tokens: []string{"huawei", "technology"}, Key: "huawei technology"}},
		{"GUANGZHOU HAIGE COMM GRP", Name{Script: Latin, Region: "广州", TradeName: "haige", Industry: "communication",
			LegalForm: "group", Group: true, Tokens: []string{"haige", "communication", "group"}, Key: "haige communication"}},
		{"Beijing Baidu Netcom Science and Technology Co., Ltd.", Name{Script: Latin, Region: "北京",
			TradeName: "baidu netcom", Industry: "science technology", LegalForm: "co-ltd",
			Tokens: []string{"baidu", "netcom", "science", "technology"}, Key: "baidu netcom science technology"}},
		{"Chongqing Changan Automobile Co., Ltd.", Name{Script: Latin, Region: "重庆", TradeName: "changan",
			Industry: "automobile", LegalForm: "co-ltd", Tokens: []string{"changan", "automobile"}, Key: "changan automobile"}},
		{"Hainan Airlines Holding Co., Ltd.", Name{Script: Latin, Region: "海南", TradeName: "hainan",
			Industry: "airline", LegalForm: "co-ltd", Group: true, Tokens: []string{"hainan", "airline", "holding"},
			Key: "hainan airline"}},
		{"Tsingtao Brewery Company Limited", Name{Script: Latin, Region: "青岛", TradeName: "tsingtao",
			Industry: "brewery", LegalForm: "co-ltd", Tokens: []string{"tsingtao", "brewery"}, Key: "tsingtao brewery"}},
		{"SMIC", Name{Script: Latin, TradeName: "smic", Tokens: []string{"smic"}, Key: "smic"}},
		{"Semiconductor Manufacturing International Corporation", Name{Script: Latin,
			TradeName: "semiconductor manufacturing international", LegalForm: "corp",
			Tokens: []string{"semiconductor", "manufacturing", "international"}, Key: "semiconductor manufacturing international"}},
		{"Samsung (China) Investment Co., Ltd.", Name{Script: Latin, Region: "中国", TradeName: "samsung",
			Industry: "investment", LegalForm: "co-ltd", Tokens: []string{"samsung", "investment"}, Key: "samsung investment"}},
		{"Bank of China Limited Beijing Branch", Name{Script: Latin, TradeName: "bank china", LegalForm: "ltd",
			Branch: "beijing branch", Tokens: []string{"bank", "china"}, Key: "bank china"}},

		// Nothing to parse.
		{"", Name{}},
		{"  ", Name{}},
		{"N/A", Name{}},
		{"无", Name{}},
		{"（）-- 123", Name{}},
	}
	for _, tt := range tests {
		got := Parse(tt.raw)
		want := tt.want
		want.Raw = tt.raw
		if want.Folded == "" && want.Script != None {
			want.Folded = got.Folded
		}
		if !equalNames(got, want) {
			t.Errorf("Parse(%q)\n got %+v\nwant %+v", tt.raw, got, want)
		}
	}
}

func equalNames(a, b Name) bool {
	return a.Raw == b.Raw && a.Folded == b.Folded && a.Script == b.Script && a.Region == b.Region &&
		a.TradeName == b.TradeName && a.Industry == b.Industry && a.LegalForm == b.LegalForm &&
		a.Group == b.Group && a.Branch == b.Branch && a.Pinyin == b.Pinyin && a.Key == b.Key &&
		slices.Equal(a.Tokens, b.Tokens)
}

// TestParseSameFirm checks that the forms one firm is written in give one Key.
func TestParseSameFirm(t *testing.T) {
	groups := [][]string{
		{"华为技术有限公司", "華為技術有限公司", "华为技术有限公司 ", "華為技術有限公司（已注銷）"},
		{"HUAWEI TECH CO LTD", "Huawei Technologies Co., Ltd.", "HUAWEI TECHNOLOGIES CO.,LTD", "Huawei Technologies Company Limited"},
		{"航天华明科技（北京）有限公司", "航天华明科技(北京)有限公司", "航天华明科技【北京】有限公司", "北京航天华明科技有限公司"},
		{"GUANGZHOU HAIGE COMM GRP", "Guangzhou Haige Communications Group Inc.", "GUANGZHOU HAIGE COMMUNICATIONS GROUP INCORPORATED COMPANY"},
	}
	for _, g := range groups {
		want := Parse(g[0])
		for _, s := range g[1:] {
			if got := Parse(s); got.Key != want.Key || got.Region != want.Region {
				t.Errorf("Parse(%q): key %q, region %q; Parse(%q): key %q, region %q", s, got.Key, got.Region, g[0], want.Key, want.Region)
			}
		}
	}
}

func TestFoldWidthAndBrackets(t *testing.T) {
	tests := []struct{ in, want string }{
		{"华为技术有限公司", "华为技术有限公司"},
		{"航天华明科技（北京）有限公司", "航天华明科技(北京)有限公司"},
		{"航天华明科技【北京】有限公司", "航天华明科技(北京)有限公司"},
		{"航天华明科技 ( 北京 ) 有限公司", "航天华明科技(北京)有限公司"},
		{"华为　技术 有限公司", "华为技术有限公司"},
		{"ＨＵＡＷＥＩ　ＴＥＣＨ", "HUAWEI TECH"},
		{"Huawei  (Shenzhen)  Co.", "Huawei (Shenzhen) Co."},
		{"\u200b华为\ufeff", "华为"},
	}
	for _, tt := range tests {
		if got := FoldWidthAndBrackets(tt.in); got != tt.want {
			t.Errorf("FoldWidthAndBrackets(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSimplify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"華為技術有限公司", "华为技术有限公司"},
		{"國家集成電路產業投資基金", "国家集成电路产业投资基金"},
		{"華潤（集團）有限公司", "华润（集团）有限公司"},
		// Simplified names are left alone, Taiwanese terms in them too: a firm
		// registered as 晶片 keeps its name.
		{"深圳市晶片科技有限公司", "深圳市晶片科技有限公司"},
		{"Huawei", "Huawei"},
	}
	for _, tt := range tests {
		if got := Simplify(tt.in); got != tt.want {
			t.Errorf("Simplify(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSplitLegalForm(t *testing.T) {
	tests := []struct {
		in, rest, legal string
		group           bool
	}{
		{"华为技术有限公司", "华为技术", "有限公司", false},
		{"华为技术有限责任公司", "华为技术", "有限公司", false},
		{"重庆长安汽车股份有限公司", "重庆长安汽车", "股份有限公司", false},
		{"招商局集团有限公司", "招商局", "有限公司", true},
		{"华润（集团）有限公司", "华润", "有限公司", true},
		{"深圳市红土创业投资合伙企业（有限合伙）", "深圳市红土创业投资", "有限合伙", false},
		{"北京某某投资中心(有限合伙)", "北京某某投资中心", "有限合伙", false},
		{"中国石油天然气集团公司", "中国石油天然气", "公司", true},
		{"某某控股集团", "某某", "集团", true},
		{"有限公司", "有限公司", "", false},
		{"Huawei Technologies Co., Ltd.", "huawei technologies", "co-ltd", false},
		{"HUAWEI TECH CO LTD", "huawei tech", "co-ltd", false},
		{"GUANGZHOU HAIGE COMM GRP", "guangzhou haige comm grp", "group", true},
		{"Alibaba Group Holding Limited", "alibaba group holding", "ltd", true},
		{"Apple Inc.", "apple", "inc", false},
		{"Some Fund L.P.", "some fund", "lp", false},
		{"Limited", "limited", "", false},
	}
	for _, tt := range tests {
		rest, legal, group := SplitLegalForm(tt.in)
		if rest != tt.rest || legal != tt.legal || group != tt.group {
			t.Errorf("SplitLegalForm(%q) = %q, %q, %v; want %q, %q, %v", tt.in, rest, legal, group, tt.rest, tt.legal, tt.group)
		}
	}
}

func TestSplitRegion(t *testing.T) {
	tests := []struct{ in, region, rest string }{
		{"深圳市华为技术", "深圳", "华为技术"},
		{"深圳华为技术", "深圳", "华为技术"},
		{"航天华明科技（北京）", "北京", "航天华明科技"},
		{"北京百度网讯科技", "北京", "百度网讯科技"},
		{"广东省深圳市某某科技", "深圳", "某某科技"},
		{"北京市海淀区某某科技", "北京", "某某科技"},
		{"上海市浦东新区某某发展", "上海", "某某发展"},
		{"新疆维吾尔自治区某某能源", "新疆", "某某能源"},
		{"延边州某某旅游", "延边", "某某旅游"},
		{"江苏省昆山市某某电子", "昆山", "某某电子"},
		{"吉林市某某化工", "吉林市", "某某化工"},
		{"吉林某某化工", "吉林", "某某化工"},
		{"苏州工业园区某某科技", "苏州", "某某科技"},
		{"某某科技(苏州工业园区)", "苏州", "某某科技"},
		{"中国平安", "中国", "平安"},
		// No region: 阿里巴巴 is no 阿里地区, 大理石 no 大理, 长安 and 华为 no place.
		{"阿里巴巴网络技术", "", "阿里巴巴网络技术"},
		{"大理石材", "", "大理石材"},
		{"长安汽车", "", "长安汽车"},
		{"某某区块链科技", "", "某某区块链科技"},
		// 深圳 alone leaves no name.
		{"深圳", "", "深圳"},
		// English.
		{"GUANGZHOU HAIGE COMM GRP", "广州", "haige comm grp"},
		{"Hong Kong Exchanges and Clearing", "香港", "exchanges and clearing"},
		{"Chong Qing Changan", "重庆", "changan"},
		{"Xi'an Aircraft Industry", "西安", "aircraft industry"},
		{"Guangdong Shenzhen Something", "深圳", "something"},
		{"Huawei (Shenzhen) Co", "深圳", "huawei co"},
		{"Huawei Technologies", "", "huawei technologies"},
	}
	for _, tt := range tests {
		r, rest, ok := SplitRegion(tt.in)
		if r.Short != tt.region || rest != tt.rest || ok != (tt.region != "") {
			t.Errorf("SplitRegion(%q) = %q, %q, %v; want %q, %q", tt.in, r.Short, rest, ok, tt.region, tt.rest)
		}
	}
}

func TestSplitIndustry(t *testing.T) {
	tests := []struct{ in, trade, industry string }{
		{"华为技术", "华为", "技术"},
		{"腾讯计算机系统", "腾讯", "计算机系统"},
		{"中芯国际集成电路制造", "中芯国际", "集成电路制造"},
		{"大疆创新科技", "大疆", "创新科技"},
		{"百度网讯科技", "百度网讯", "科技"},
		{"长安汽车", "长安", "汽车"},
		{"某某国际贸易", "某某", "国际贸易"},
		// At least two characters stay for the trade name.
		{"银行", "银行", ""},
		{"科技发展", "科技", "发展"},
		{"华润(集团)", "华润集团", ""},
	}
	for _, tt := range tests {
		trade, industry := SplitIndustry(tt.in)
		if trade != tt.trade || industry != tt.industry {
			t.Errorf("SplitIndustry(%q) = %q, %q; want %q, %q", tt.in, trade, industry, tt.trade, tt.industry)
		}
	}
}

func TestSplitBranch(t *testing.T) {
	tests := []struct{ in, head, branch string }{
		{"中国银行股份有限公司北京市分行", "中国银行股份有限公司", "北京市分行"},
		{"中国工商银行北京分行", "中国工商银行", "北京分行"},
		{"招商银行股份有限公司深圳分行营业部", "招商银行股份有限公司", "深圳分行营业部"},
		{"中国人民财产保险股份有限公司深圳市分公司", "中国人民财产保险股份有限公司", "深圳市分公司"},
		{"华为技术有限公司", "华为技术有限公司", ""},
		{"Bank of China Limited Beijing Branch", "bank of china limited", "beijing branch"},
		{"Huawei Technologies Co., Ltd.", "huawei technologies co., ltd.", ""},
	}
	for _, tt := range tests {
		head, branch := SplitBranch(tt.in)
		if head != tt.head || branch != tt.branch {
			t.Errorf("SplitBranch(%q) = %q, %q; want %q, %q", tt.in, head, branch, tt.head, tt.branch)
		}
	}
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Huawei Technologies Co., Ltd.", []string{"huawei", "technologies", "co", "ltd"}},
		{"CO.,LTD", []string{"co", "ltd"}},
		{"Xi'an Int’l Trust", []string{"xian", "intl", "trust"}},
		{"AT&T S.A.", []string{"at", "and", "t", "sa"}},
		{"Some L.L.C.", []string{"some", "llc"}},
		{"Sci-Tech (Shenzhen)", []string{"sci", "tech", "shenzhen"}},
		{"ＤＪＩ", []string{"dji"}},
		{"", nil},
	}
	for _, tt := range tests {
		got := Tokenize(tt.in)
		if len(got) == 0 && len(tt.want) == 0 {
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestExpandAbbreviations(t *testing.T) {
	tests := []struct {
		in, want []string
	}{
		{[]string{"HUAWEI", "TECH"}, []string{"huawei", "technology"}},
		{[]string{"huawei", "technologies"}, []string{"huawei", "technology"}},
		{[]string{"haige", "comm", "grp"}, []string{"haige", "communication", "group"}},
		{[]string{"srvces", "svcs", "services"}, []string{"service", "service", "service"}},
		{[]string{"intl", "elec", "electronics", "mfg"}, []string{"international", "electronic", "electronic", "manufacturing"}},
		{[]string{"ind", "industrial", "industries", "hldgs", "holdings"}, []string{"industry", "industry", "industry", "holding", "holding"}},
		{[]string{"sci", "dev", "equip", "eng", "corp", "co", "ltd"}, []string{"science", "development", "equipment", "engineering", "corporation", "company", "limited"}},
		// Words that are not industry words keep their s: trade names, stop words.
		{[]string{"goldman", "sachs", "and", "wells"}, []string{"goldman", "sachs", "and", "wells"}},
	}
	for _, tt := range tests {
		if got := ExpandAbbreviations(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("ExpandAbbreviations(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
