package tageval_test

import (
	"encoding/json"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/tageval"
)

// handMade is a small set whose scores are worked out by hand below, from what the
// tagger gives each text:
//
//	r1 工业机器人用精密减速器  2.1 (industrial robots)
//	r2 集成电路设计            1.2
//	r3 光伏组件                6.3
//	r4 猪的饲养                no tag
//	r5 风力发电机组            6.2
//	r6 基因测序仪与光伏电池    6.3 0.44, 4.1 0.28, 4.5 0.28 (domains 4: 0.56, 6: 0.44)
//	r7 软件开发                1.3
const handMade = "id\ttext\texpected\tgroup\n" +
	"r1\t工业机器人用精密减速器\tsei2018:2.1\tright\n" +
	"r2\t集成电路设计\tsei2018:1.2.3\tright\n" +
	"r3\t光伏组件\tsei2018:6.2\twrong category\n" +
	"r4\t猪的饲养\t\tnegative\n" +
	"r5\t风力发电机组\t\tnegative\n" +
	"r6\t基因测序仪与光伏电池\tsei2018:4.1\tright\n" +
	"r7\t软件开发\tgbt4754-2017:C3491\twrong domain\n"

func TestEvaluateHandMadeSet(t *testing.T) {
	reg := registry(t)
	cases, err := tageval.Parse("hand.tsv", strings.NewReader(handMade), reg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tageval.Evaluate(cases, ctTagger(t), reg, tageval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	type score struct {
		cases, tp, fp, fn int
		p, r, f1          float64
	}
	want := []score{
		// r1, r2, r3, r6 right (r6 also predicts 6, at 0.44); r5 predicts 6 for
		// nothing; r7 predicts 1 for 2.
		{7, 4, 3, 1, 4.0 / 7, 4.0 / 5, 8.0 / 12},
		// r3 predicts 6.3 for 6.2; r6 predicts 4.1, 4.5 and 6.3 for 4.1; r5 6.2 for
		// nothing; r7 1.3 for 2.1.
		{7, 3, 5, 2, 3.0 / 8, 3.0 / 5, 6.0 / 13},
		// Only r2 and r7 expect sub-categories (1.2.3; 2.1.5 through 3491), and
		// the negatives r4 and r5 count; no tag reaches SEI's third level.
		{4, 0, 0, 2, math.NaN(), 0, 0},
	}
	for i, w := range want {
		g := rep.Levels[i]
		got := score{g.Cases, g.TP, g.FP, g.FN, float64(g.Precision), float64(g.Recall), float64(g.F1)}
		if got.cases != w.cases || got.tp != w.tp || got.fp != w.fp || got.fn != w.fn ||
			!near(got.p, w.p) || !near(got.r, w.r) || !near(got.f1, w.f1) {
			t.Errorf("level %d (%s): got %+v, want %+v", g.Level, g.Name, got, w)
		}
	}
	if !near(float64(rep.DomainAccuracy), 4.0/5) || !near(float64(rep.NegativeAccuracy), 0.5) || !near(float64(rep.Coverage), 6.0/7) {
		t.Errorf("domain accuracy %v, negative accuracy %v, coverage %v; want 0.8, 0.5, 6/7", rep.DomainAccuracy, rep.NegativeAccuracy, rep.Coverage)
	}
	var cells []string
	for _, c := range rep.Confusion {
		cells = append(cells, c.Expected+">"+c.Predicted+"="+itoa(c.Cases))
	}
	if got, want := strings.Join(cells, " "), "1>1=1 2>1=1 2>2=1 4>4=1 6>6=1 none>6=1 none>none=1"; got != want {
		t.Errorf("confusion %s, want %s", got, want)
	}
	if len(rep.Worst) != 1 || rep.Worst[0] != (tageval.ConfusionCell{Expected: "2", Predicted: "1", Cases: 1}) {
		t.Errorf("worst = %+v; want 2 → 1 once", rep.Worst)
	}
	r7 := rep.Results[6]
	if !slices.Equal(r7.Want, []string{"2.1.5"}) || r7.TopDomain != "1" || r7.WantDomain != "2" || r7.Correct ||
		len(r7.Tags) != 1 || r7.Tags[0].Evidence[0].Keyword != "软件开发" {
		t.Errorf("r7 = %+v", r7)
	}
	var groups []string
	for _, g := range rep.Groups {
		groups = append(groups, g.Group+"="+itoa(g.Cases))
	}
	if got := strings.Join(groups, " "); got != "right=3 wrong category=1 negative=2 wrong domain=1" {
		t.Errorf("groups %s", got)
	}
	if g := rep.Groups[0]; !near(float64(g.DomainAccuracy), 1) || g.Levels[1].FP != 2 {
		t.Errorf("group right: %+v", g)
	}
	// NaN precision is null in JSON, not an error.
	if b, err := json.Marshal(rep); err != nil || !strings.Contains(string(b), `"precision":null`) {
		t.Errorf("JSON: %v", err)
	}
}

// Scored in CTT, the tags are the prediction and expected codes of other systems
// convert to tags.
func TestEvaluateInCTT(t *testing.T) {
	reg := registry(t)
	const set = "id,text,expected\n" +
		"a,工业机器人用精密减速器,ctt:industrial-robots\n" +
		"b,光伏组件,ctt:wind-power\n"
	cases, err := tageval.Parse("ctt.csv", strings.NewReader(set), reg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tageval.Evaluate(cases, ctTagger(t), reg, tageval.Options{System: "ctt"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Levels) != 4 || rep.Levels[0].Name != "domain" || rep.Levels[2].Name != "technology" {
		t.Fatalf("levels %+v", rep.Levels)
	}
	// Both get their domain, a the robot tag and its field; b gets solar for wind.
	if d, f := rep.Levels[0], rep.Levels[1]; d.TP != 2 || d.FP != 0 || f.TP != 1 || f.FP != 1 || f.FN != 1 {
		t.Errorf("domain %+v, field %+v", d, f)
	}
	if rep.Results[0].Levels[2].Predicted[0] != "industrial-robots" || !near(float64(rep.DomainAccuracy), 1) {
		t.Errorf("a: %+v; accuracy %v", rep.Results[0].Levels, rep.DomainAccuracy)
	}
	if _, err := tageval.Evaluate(cases, ctTagger(t), reg, tageval.Options{System: "nosuch"}); err == nil || !strings.Contains(err.Error(), "nosuch") {
		t.Errorf("unknown system: %v", err)
	}
}

// The built-in GB/T 4754-2017 notes set: its figures hang together, and the
// tagger does better than chance on it.
func TestGBNotesScore(t *testing.T) {
	reg := registry(t)
	for _, name := range tageval.SetNames() {
		cases, err := tageval.Set(name, reg)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := tageval.Evaluate(cases, ctTagger(t), reg, tageval.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep.Cases != 1382 || rep.Positive != 469 || rep.Negative != 913 || len(rep.Levels) != 3 {
			t.Fatalf("%s: %d cases, %d positive, %d negative, %d levels", name, rep.Cases, rep.Positive, rep.Negative, len(rep.Levels))
		}
		correct, total, tagged := 0, 0, 0
		for _, r := range rep.Results {
			if r.Correct != (len(r.Want) > 0 && r.TopDomain == r.WantDomain) {
				t.Errorf("%s %s: correct %v, top %s, row %s", name, r.ID, r.Correct, r.TopDomain, r.WantDomain)
			}
			if r.Correct {
				correct++
			}
			if len(r.Tags) > 0 {
				tagged++
			}
		}
		for _, c := range rep.Confusion {
			total += c.Cases
		}
		if total != 1382 || !near(float64(rep.DomainAccuracy), float64(correct)/469) || !near(float64(rep.Coverage), float64(tagged)/1382) {
			t.Errorf("%s: confusion holds %d cases, %d correct for accuracy %v", name, total, correct, rep.DomainAccuracy)
		}
		// A floor, not the score: nine domains and "none" to choose from.
		if rep.DomainAccuracy < 0.4 || rep.NegativeAccuracy < 0.7 || rep.Levels[0].F1 < 0.4 {
			t.Errorf("%s: domain accuracy %v, negative accuracy %v, domain F1 %v", name, rep.DomainAccuracy, rep.NegativeAccuracy, rep.Levels[0].F1)
		}
		t.Logf("%s: domain accuracy %v, domain P/R/F1 %v/%v/%v, coverage %v", name, rep.DomainAccuracy,
			rep.Levels[0].Precision, rep.Levels[0].Recall, rep.Levels[0].F1, rep.Coverage)
	}
}

func near(a, b float64) bool {
	if math.IsNaN(a) || math.IsNaN(b) {
		return math.IsNaN(a) && math.IsNaN(b)
	}
	return math.Abs(a-b) < 1e-9
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// Texts of the kind the tagger meets (business scopes) for the CTT tags that reach
// SEI 2018 in part: chemical fibres (3.5), fine chemicals (3.3), observation and
// survey services (9.1) and aviation services (9.2); a textile firm that uses
// chemical fibres gets no SEI code, since the bare 化纤 stays with textiles.
func TestPartialTagsReachSEI(t *testing.T) {
	reg := registry(t)
	const set = "id,text,expected\n" +
		"fibre,涤纶短纤维及锦纶长丝的生产与销售,sei2018:3.5\n" +
		"coating,水性涂料、防腐涂料和胶粘剂的研发、生产,sei2018:3.3\n" +
		"weather,气象观测、天气预报和人工影响天气技术服务,sei2018:9.1\n" +
		"survey,矿产勘查、地球物理勘探,sei2018:9.1\n" +
		"aviation,飞机维修、飞行培训,sei2018:9.2\n" +
		"textile,棉纺织品、化纤面料的销售,\n"
	cases, err := tageval.Parse("partial.csv", strings.NewReader(set), reg)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := tageval.Evaluate(cases, ctTagger(t), reg, tageval.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		got := r.Levels[1].Predicted
		want := r.Levels[1].Expected
		if !slices.Equal(got, want) {
			t.Errorf("%s: predicted %v, want %v (tags %+v)", r.ID, got, want, r.Tags)
		}
	}
}
