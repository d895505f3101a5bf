package resolve

import (
	"fmt"
	"math/rand"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/firmname"
)

// testWorld makes firm records with a known truth: n firms, each written in two to
// four ways (the registry's name with region and credit code, a short form with a
// bracketed region or none, the English name, a traditional-character or
// abbreviated form), and firms that share a trade name in other cities.
func testWorld(n int, seed int64) (recs []Record, truth map[string]string) {
	rng := rand.New(rand.NewSource(seed))
	pool := []struct{ zh, py string }{
		{"华", "hua"}, {"信", "xin"}, {"达", "da"}, {"通", "tong"}, {"海", "hai"}, {"天", "tian"}, {"源", "yuan"},
		{"泰", "tai"}, {"瑞", "rui"}, {"博", "bo"}, {"恒", "heng"}, {"鑫", "xin"}, {"晶", "jing"}, {"芯", "xin"},
		{"微", "wei"}, {"智", "zhi"}, {"航", "hang"}, {"宇", "yu"}, {"联", "lian"}, {"鼎", "ding"}, {"科", "ke"},
		{"创", "chuang"}, {"兴", "xing"}, {"光", "guang"}, {"电", "dian"}, {"安", "an"}, {"星", "xing"}, {"龙", "long"},
	}
	industries := []struct{ zh, en string }{
		{"科技", "Technology"}, {"电子", "Electronics"}, {"半导体", "Semiconductor"}, {"通信", "Communication"},
		{"软件", "Software"}, {"新能源", "New Energy"}, {"材料", "Materials"}, {"智能装备", "Intelligent Equipment"},
	}
	regions := []struct{ zh, en, div string }{
		{"深圳", "Shenzhen", "440300"}, {"北京", "Beijing", "110108"}, {"上海", "Shanghai", "310115"},
		{"广州", "Guangzhou", "440106"}, {"杭州", "Hangzhou", "330106"}, {"成都", "Chengdu", "510107"},
	}
	wide := []rune("华中兴科创达通信海天源泰瑞博恒鑫晶芯微智航宇联鼎光电安星龙东方新金宏远盛德昌隆丰利华飞腾跃翔云峰山川江河湖泉林森木石玉凯旭阳明亮辉煌锦绣美佳嘉康健宁静和平顺祥福寿喜乐信义仁礼诚实正直忠勇威武雄英豪杰俊秀华夏九州神舟长城黄河泰山昆仑天山珠江南北西东上下前后左右中外内大小高低长短多少万千百十亿兆精密精工精益卓越领先先锋开拓进取奋发图强振兴繁荣昌盛富强民主文明和谐自由平等公正法治爱国敬业友善蓝白红绿黄紫青黑银铜铁钢铝锌锡镍钴钛锂硅碳氢氧氮磷硫汇聚合众集成融合协同共享开放包容创新创意创造智造智慧智能智联数据数字数码网络云端链接连接")
	truth = map[string]string{}
	add := func(firm string, r Record) {
		r.ID = fmt.Sprintf("rec-%05d", len(recs))
		r.Dataset = "test"
		recs = append(recs, r)
		truth[r.ID] = firm
	}
	seen := map[string]bool{}
	for f := 0; f < n; f++ {
		var zh, py string
		for {
			a, b := pool[rng.Intn(len(pool))], pool[rng.Intn(len(pool))]
			zh, py = a.zh+b.zh, a.py+b.py
			if n > 5000 { // a larger world needs more trade names, as the real one has
				a, b := wide[rng.Intn(len(wide))], wide[rng.Intn(len(wide))]
				zh, py = string(a)+string(b), firmname.Pinyin(string(a))+firmname.Pinyin(string(b))
				if rng.Intn(3) == 0 {
					c := wide[rng.Intn(len(wide))]
					zh, py = zh+string(c), py+firmname.Pinyin(string(c))
				}
				py = strings.ReplaceAll(py, " ", "")
			}
			if a != b {
				break
			}
		}
		ind := industries[rng.Intn(len(industries))]
		reg := regions[rng.Intn(len(regions))]
		key := reg.zh + zh + ind.zh
		if seen[key] {
			f--
			continue
		}
		seen[key] = true
		firm := fmt.Sprintf("firm-%d", f)
		founded := fmt.Sprintf("%d-%02d-%02d", 1995+rng.Intn(28), 1+rng.Intn(12), 1+rng.Intn(28))
		rep := string([]rune("王李张刘陈杨赵黄周吴")[rng.Intn(10)]) + string([]rune("伟芳娜敏静丽强磊军洋")[rng.Intn(10)])
		uscc := testUSCC(reg.div, rng)
		// The registry.
		add(firm, Record{Names: []string{reg.zh + "市" + zh + ind.zh + "有限公司"}, USCC: uscc, Founded: founded, LegalRep: rep,
			City: reg.zh})
		// A short form.
		switch rng.Intn(3) {
		case 0:
			add(firm, Record{Names: []string{zh + ind.zh + "（" + reg.zh + "）有限公司"}, Founded: founded})
		case 1:
			add(firm, Record{Names: []string{zh + ind.zh + "股份有限公司"}, Region: reg.zh})
		default:
			add(firm, Record{Names: []string{reg.zh + zh + ind.zh}, LegalRep: rep})
		}
		// English, for two firms in three.
		if rng.Intn(3) > 0 {
			en := reg.en + " " + strings.ToUpper(py[:1]) + py[1:] + " " + ind.en + " Co., Ltd."
			if rng.Intn(2) == 0 {
				en = strings.ToUpper(reg.en + " " + py + " " + map[string]string{"Technology": "TECH", "Communication": "COMM",
					"Electronics": "ELEC"}[ind.en] + " CO LTD")
				en = strings.ReplaceAll(en, "  ", " "+strings.ToUpper(ind.en)+" ")
			}
			add(firm, Record{Names: []string{en}})
		}
	}
	return recs, truth
}

func clustersOf(res *Result) map[string]string {
	out := map[string]string{}
	for _, m := range res.Members {
		out[m.EntityID] = m.ClusterID
	}
	return out
}

func TestResolveRecoversTheFirms(t *testing.T) {
	recs, truth := testWorld(600, 1)
	res, err := Resolve(recs, Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	sc := Evaluate(clustersOf(res), truth)
	t.Logf("%d records, %d firms: %+v\nstats %+v\nmodel λ=%.4g sessions %+v\nw=%.2f", len(recs), sc.TrueClusters, sc, res.Stats, res.Model.Lambda, res.Model.Sessions, res.Model.W)
	if sc.Precision < 0.95 || sc.Recall < 0.9 {
		t.Errorf("pairwise precision %.3f recall %.3f", sc.Precision, sc.Recall)
	}
	if len(res.Model.Sessions) != 2 || !res.Model.Sessions[0].Converged || !res.Model.Sessions[1].Converged {
		t.Errorf("EM sessions %+v", res.Model.Sessions)
	}
	// Every record has a row with its method; linked rows explain themselves.
	if len(res.Members) != len(recs) {
		t.Fatalf("%d members for %d records", len(res.Members), len(recs))
	}
	for _, m := range res.Members {
		if m.Method == "score" && (!strings.Contains(m.Explanation, "name: ") || m.LinkedTo == "" || m.Probability < 0.9) {
			t.Errorf("member %+v", m)
		}
	}
}

// The pairs of the issue: cross-script names resolve; SMIC's English name is a
// translation, not a transliteration, so it is matched only through an identifier.
func TestResolveCrossScriptAndIdentifiers(t *testing.T) {
	recs, _ := testWorld(300, 2)
	extra := []Record{
		{ID: "hw-zh", Names: []string{"华为技术有限公司"}, City: "深圳", Founded: "1987-09-15"},
		{ID: "hw-en", Names: []string{"Huawei Technologies Co., Ltd."}, Region: "Shenzhen"},
		{ID: "hw-abbr", Names: []string{"HUAWEI TECH CO LTD"}},
		{ID: "smic-zh", Names: []string{"中芯国际集成电路制造有限公司"}, City: "上海"},
		{ID: "smic-en", Names: []string{"Semiconductor Manufacturing International Corporation"}},
		{ID: "smic-en-code", Names: []string{"Semiconductor Manufacturing International Corporation"}, USCC: "91310000607206953D"},
		{ID: "smic-zh-code", Names: []string{"中芯国际集成电路制造（上海）有限公司"}, USCC: "91310000607206953D"},
	}
	// By name alone, SMIC's two names stay apart.
	res, err := Resolve(append(append([]Record(nil), recs...), extra[:5]...), Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if c := clustersOf(res); c["smic-en"] == c["smic-zh"] {
		t.Errorf("SMIC's English name matched the Chinese one by name alone")
	}
	recs = append(recs, extra...)
	res, err = Resolve(recs, Options{Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	c := clustersOf(res)
	if c["hw-zh"] != c["hw-en"] || c["hw-en"] != c["hw-abbr"] {
		t.Errorf("Huawei split: %s %s %s", c["hw-zh"], c["hw-en"], c["hw-abbr"])
	}
	// With a credit code on one record of each name, all four are one firm.
	if c["smic-en-code"] != c["smic-en"] || c["smic-zh-code"] != c["smic-zh"] {
		t.Errorf("SMIC through the identifier: %v", []string{c["smic-en"], c["smic-en-code"], c["smic-zh-code"], c["smic-zh"]})
	}
	if c["smic-en-code"] != c["smic-zh-code"] {
		t.Errorf("SMIC with the same credit code not linked")
	}
	for _, m := range res.Members {
		if m.EntityID == "smic-en-code" || m.EntityID == "smic-zh-code" {
			if m.Method != "identifier" || !strings.Contains(m.Explanation, "91310000607206953D") {
				t.Errorf("SMIC member %+v", m)
			}
		}
	}
}

// Judgements win: "different" splits a pair the model links, through a re-run;
// "same" joins a pair it does not; cluster ids survive a re-run.
func TestResolveHonoursJudgementsAndKeepsIDs(t *testing.T) {
	recs, _ := testWorld(200, 3)
	res, err := Resolve(recs, Options{Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	c := clustersOf(res)
	// A linked pair by score, and two records in different clusters.
	var linked cipmap.ClusterMember
	for _, m := range res.Members {
		if m.Method == "score" {
			linked = m
			break
		}
	}
	if linked.EntityID == "" {
		t.Fatal("no scored link")
	}
	apart := [2]string{recs[0].ID, ""}
	for _, r := range recs {
		if c[r.ID] != c[apart[0]] {
			apart[1] = r.ID
			break
		}
	}
	js := []cipmap.Judgement{
		{Left: linked.EntityID, Right: linked.LinkedTo, Decision: "different", Reviewer: "test"},
		{Left: apart[0], Right: apart[1], Decision: "same", Reviewer: "test"},
	}
	res2, err := Resolve(recs, Options{Seed: 3, Judgements: js, Previous: c})
	if err != nil {
		t.Fatal(err)
	}
	c2 := clustersOf(res2)
	if c2[linked.EntityID] == c2[linked.LinkedTo] {
		t.Errorf("judged different, still together: %s", linked.EntityID)
	}
	if c2[apart[0]] != c2[apart[1]] {
		t.Errorf("judged same, still apart")
	}
	if res2.Stats.RefusedMerges == 0 || res2.Stats.JudgedDifferent != 1 || res2.Stats.JudgedSame != 1 {
		t.Errorf("stats %+v", res2.Stats)
	}
	// Ids: most clusters keep theirs.
	if res2.Stats.KeptIDs < res2.Stats.Clusters-4 {
		t.Errorf("kept %d of %d cluster ids", res2.Stats.KeptIDs, res2.Stats.Clusters)
	}
	// A third run with the same judgements changes nothing.
	res3, _ := Resolve(recs, Options{Seed: 3, Judgements: js, Previous: c2})
	if c3 := clustersOf(res3); fmt.Sprint(c3) != fmt.Sprint(c2) {
		t.Errorf("a re-run changed the clusters")
	}
}

func TestEvaluate(t *testing.T) {
	truth := map[string]string{"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
	pred := map[string]string{"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"}
	s := Evaluate(pred, truth)
	// Predicted pairs: ab, cd = 2; true: ab ac bc de = 4; correct: ab = 1.
	if s.PredictedPairs != 2 || s.TruePairs != 4 || s.CorrectPairs != 1 || s.Precision != 0.5 || s.Recall != 0.25 {
		t.Errorf("%+v", s)
	}
	// B-cubed precision: a,b 2/2; c 1/2; d 1/2; e 1 → (1+1+.5+.5+1)/5 = 0.8.
	// Recall: a,b 2/3; c 1/3; d,e 1/2 → (2/3+2/3+1/3+1/2+1/2)/5 = 8/15.
	if abs(s.BCubedP-0.8) > 1e-12 || abs(s.BCubedR-8.0/15) > 1e-12 {
		t.Errorf("b-cubed %v %v", s.BCubedP, s.BCubedR)
	}
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestJaroWinkler(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want float64
	}{
		{"martha", "marhta", 0.9611},
		{"dixon", "dicksonx", 0.8133},
		{"", "", 1},
		{"abc", "", 0},
		{"华为技术", "华为技术", 1},
	} {
		got, _ := jaroWinkler([]rune(c.a), []rune(c.b), nil)
		if abs(got-c.want) > 1e-4 {
			t.Errorf("jw(%q, %q) = %.4f, want %.4f", c.a, c.b, got, c.want)
		}
	}
}

// TestResolveScale times Resolve on a larger world: CIPMAP_RESOLVE_SCALE=N firms.
func TestResolveScale(t *testing.T) {
	n, _ := strconv.Atoi(os.Getenv("CIPMAP_RESOLVE_SCALE"))
	if n == 0 {
		t.Skip("CIPMAP_RESOLVE_SCALE is not set")
	}
	start := time.Now()
	recs, truth := testWorld(n, 9)
	t.Logf("generated %d records of %d firms in %v", len(recs), n, time.Since(start))
	start = time.Now()
	res, err := Resolve(recs, Options{Seed: 9})
	if err != nil {
		t.Fatal(err)
	}
	el := time.Since(start)
	sc := Evaluate(clustersOf(res), truth)
	t.Logf("resolved in %v: F1 %.4f (P %.4f R %.4f); stats %+v\nλ %.3g sessions %+v\nw %.2f", el, sc.F1, sc.Precision, sc.Recall, res.Stats, res.Model.Lambda, res.Model.Sessions, res.Model.W)
}

// testUSCC makes a valid unified social credit code (GB 32100-2015 check
// character) for an administrative division.
func testUSCC(division string, r *rand.Rand) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	b := []byte("91" + division)
	for len(b) < 17 {
		b = append(b, chars[r.Intn(31)])
	}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(chars, b[i]) * weights[i]
	}
	return string(append(b, chars[(31-sum%31)%31]))
}
