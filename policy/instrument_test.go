package policy_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cipmap/cipmap/policy"
)

// ids returns the instrument ids of tags, in order.
func ids(tags []policy.InstrumentTag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Instrument)
	}
	return out
}

func TestTagInstruments(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string // instrument ids, by decreasing confidence then id
	}{
		{"guidance fund", "设立国家集成电路产业投资基金三期，发挥政府引导基金作用", []string{"guidance-fund"}},
		{"subsidy and tax", "对首次认定的企业给予一次性奖励，并落实研发费用加计扣除政策", []string{"subsidy", "tax-relief"}},
		{"credit", "设立科技创新再贷款，对符合条件的贷款给予贴息", []string{"credit"}},
		{"procurement", "将首台(套)重大技术装备纳入政府采购支持范围", []string{"procurement"}},
		{"listing", "支持符合条件的企业在科创板上市融资", []string{"listing"}},
		{"securitisation", "推动基础设施REITs常态化发行，盘活存量资产", []string{"securitisation"}},
		{"land", "优先保障项目建设用地，实行先租后让", []string{"land"}},
		{"talent", "实施高层次人才计划，提供人才公寓", []string{"talent"}},
		{"standards", "加快制定团体标准和国家标准，完善标准体系", []string{"standards"}},
		{"local content", "提高关键设备国产化率，推进国产替代", []string{"local-content"}},
		{"export controls", "对两用物项实施出口管制，实行出口许可", []string{"export-control"}},
		{"export rebate is not tax relief", "提高部分产品出口退税率", []string{"export-incentive"}},
		{"tariff", "对部分商品实施进口暂定税率，调整关税", []string{"tariff"}},
		{"english", "The Big Fund provides equity investment; banks extend loans to chip makers.", []string{"guidance-fund", "credit"}},
		{"full width", "支持企业在ＳＴＡＲ　Ｍａｒｋｅｔ上市", []string{"listing"}},
		// Exclusions: a drug's marketing approval is not a listing; a subsidy rate is
		// a subsidy, not a standard.
		{"exclusion listing", "加快创新药品上市许可审批", nil},
		{"exclusion standard", "提高补贴标准", []string{"subsidy"}},
		{"household subsidy excluded", "发放育儿补贴和生活补贴", nil},
		// Negation within a sentence.
		{"negation 不包括", "本办法所称支持方式包括财政补助，不包括贷款贴息。", []string{"subsidy"}},
		{"negation 除外", "对符合条件的企业给予补助，但已享受贷款贴息的除外。", []string{"subsidy"}},
		{"negation ends with sentence", "不包括贷款。另行安排贷款贴息。", []string{"credit"}},
		{"cue inside keyword", "禁止出口相关技术", []string{"export-control"}},
		{"nothing", "今天天气很好", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ids(policy.TagInstruments(tt.text))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("TagInstruments(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestTagInstrumentsEvidence(t *testing.T) {
	text := "一、总则。对企业给予ＲＥＩＴｓ支持，不包括贷款。"
	tags := policy.TagInstruments(text)
	if len(tags) != 1 || tags[0].Instrument != "securitisation" {
		t.Fatalf("TagInstruments(%q) = %+v, want one securitisation tag", text, tags)
	}
	ev := tags[0].Evidence[0]
	if ev.Keyword != "REITs" || ev.Text != "ＲＥＩＴｓ" || text[ev.Offset:ev.Offset+len(ev.Text)] != ev.Text {
		t.Errorf("evidence = %+v; want keyword REITs matched on the full-width text at its byte offset", ev)
	}
	if tags[0].MAST != "L" {
		t.Errorf("MAST = %q, want L", tags[0].MAST)
	}
	// The negated loan is not a tag, and is not reported on another instrument.
	for _, tag := range tags {
		if tag.Instrument == "credit" {
			t.Errorf("credit tagged despite 不包括: %+v", tag)
		}
	}
}

func TestTagInstrumentsNegatedReported(t *testing.T) {
	text := "给予财政补助，但贷款除外"
	tags := policy.TagInstruments(text)
	if got := ids(tags); !reflect.DeepEqual(got, []string{"subsidy"}) {
		t.Fatalf("tags = %q, want [subsidy]", got)
	}
	// A tag carries negated matches only for its own instrument; a fully negated
	// instrument is dropped, so check a text with both.
	tags = policy.TagInstruments("提供贷款支持。不包括贷款贴息。")
	if len(tags) != 1 || tags[0].Instrument != "credit" || len(tags[0].Negated) != 1 || tags[0].Negated[0].Cue != "不包括" {
		t.Errorf("tags = %+v, want credit with one match negated by 不包括", tags)
	}
}

func TestConfidence(t *testing.T) {
	// More and more specific evidence ranks higher.
	weak := policy.TagInstruments("完善标准")
	strong := policy.TagInstruments("制定国家标准、行业标准和团体标准")
	if len(weak) != 1 || len(strong) != 1 {
		t.Fatalf("weak %+v, strong %+v: want one standards tag each", weak, strong)
	}
	if !(weak[0].Confidence < strong[0].Confidence) || weak[0].Confidence <= 0 || strong[0].Confidence > 1 {
		t.Errorf("confidence weak %v, strong %v; want 0 < weak < strong <= 1", weak[0].Confidence, strong[0].Confidence)
	}
}

func TestInstrumentTaxonomy(t *testing.T) {
	want := map[string]string{
		"guidance-fund": "L", "subsidy": "L", "tax-relief": "L", "credit": "L", "procurement": "M",
		"listing": "L", "securitisation": "L", "land": "L", "talent": "L", "standards": "B",
		"local-content": "I", "export-control": "P", "export-incentive": "P", "tariff": "", "fdi": "",
	}
	for id, mast := range want {
		in, ok := policy.LookupInstrument(id)
		if !ok {
			t.Errorf("instrument %s missing", id)
			continue
		}
		if in.MAST != mast {
			t.Errorf("%s: MAST %q, want %q", id, in.MAST, mast)
		}
		if in.NameZH == "" || in.NameEN == "" || in.Definition == "" || len(in.KeywordsZH) == 0 || len(in.KeywordsEN) == 0 {
			t.Errorf("%s: incomplete: %+v", id, in)
		}
	}
	if v := policy.TaxonomyVersion(); !strings.HasPrefix(v, "20") {
		t.Errorf("TaxonomyVersion() = %q, want a dated version", v)
	}
	// Every keyword tags its own instrument when it stands alone.
	for _, in := range policy.Instruments() {
		for _, kw := range append(append([]string(nil), in.KeywordsZH...), in.KeywordsEN...) {
			got := ids(policy.TagInstruments(kw))
			if len(got) == 0 || got[0] != in.ID {
				t.Errorf("keyword %q of %s tags %q", kw, in.ID, got)
			}
		}
	}
}
