package policy_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/policy"
)

func TestParseDocNumber(t *testing.T) {
	const (
		all   = policy.PartIssuer | policy.PartBody | policy.PartYear | policy.PartSerial
		noYr  = policy.PartIssuer | policy.PartBody | policy.PartSerial
		onlyS = policy.PartSerial
	)
	tests := []struct {
		in   string
		want policy.DocNumber // Raw is filled in from in
	}{
		{"国发〔2015〕28号", policy.DocNumber{Form: policy.FormBracketed, Code: "国发", Agency: "国发", Issuers: []string{"国务院"},
			Level: policy.LevelCentral, Region: policy.China, Category: "发", Year: 2015, Serial: 28, Known: all}},
		{"国办发〔2020〕8号", policy.DocNumber{Form: policy.FormBracketed, Code: "国办发", Agency: "国办发", Issuers: []string{"国务院办公厅"},
			Level: policy.LevelCentral, Region: policy.China, Category: "发", Year: 2020, Serial: 8, Known: all}},
		{"国办发明电〔2025〕7号", policy.DocNumber{Form: policy.FormBracketed, Code: "国办发明电", Agency: "国办发", Issuers: []string{"国务院办公厅"},
			Level: policy.LevelCentral, Region: policy.China, Category: "明电", Year: 2025, Serial: 7, Known: all}},
		{"工信部联规〔2026〕186号", policy.DocNumber{Form: policy.FormBracketed, Code: "工信部联规", Agency: "工信部", Issuers: []string{"工业和信息化部"},
			Level: policy.LevelCentral, Region: policy.China, Joint: true, Category: "规", Year: 2026, Serial: 186, Known: all}},
		// Small brackets, and the department code 节 (节能与综合利用司) as Office.
		{"工信部联节﹝2026﹞59号", policy.DocNumber{Form: policy.FormBracketed, Code: "工信部联节", Agency: "工信部", Issuers: []string{"工业和信息化部"},
			Level: policy.LevelCentral, Region: policy.China, Joint: true, Office: "节", Year: 2026, Serial: 59, Known: all}},
		{"发改能源规〔2025〕1656号", policy.DocNumber{Form: policy.FormBracketed, Code: "发改能源规", Agency: "发改", Issuers: []string{"国家发展改革委"},
			Level: policy.LevelCentral, Region: policy.China, Office: "能源", Category: "规", Year: 2025, Serial: 1656, Known: all}},
		{"财建〔2022〕12号", policy.DocNumber{Form: policy.FormBracketed, Code: "财建", Agency: "财", Issuers: []string{"财政部"},
			Level: policy.LevelCentral, Region: policy.China, Office: "建", Year: 2022, Serial: 12, Known: all}},
		// A stray space before 号.
		{"国市监网监发〔2025〕114 号", policy.DocNumber{Form: policy.FormBracketed, Code: "国市监网监发", Agency: "国市监", Issuers: []string{"市场监管总局"},
			Level: policy.LevelCentral, Region: policy.China, Office: "网监", Category: "发", Year: 2025, Serial: 114, Known: all}},
		// Square, round, lenticular and full-width brackets, full-width digits.
		{"京政发[2019]3号", policy.DocNumber{Form: policy.FormBracketed, Code: "京政发", Agency: "京政发", Issuers: []string{"北京市人民政府"},
			Level: policy.LevelProvincial, Region: policy.Region{Code: "11", Name: "北京市"}, Category: "发", Year: 2019, Serial: 3, Known: all}},
		{"粤府(2020) 1号", policy.DocNumber{Form: policy.FormBracketed, Code: "粤府", Agency: "粤府", Issuers: []string{"广东省人民政府"},
			Level: policy.LevelProvincial, Region: policy.Region{Code: "44", Name: "广东省"}, Year: 2020, Serial: 1, Known: all}},
		{"沪府发【2021】１２号", policy.DocNumber{Form: policy.FormBracketed, Code: "沪府发", Agency: "沪府发", Issuers: []string{"上海市人民政府"},
			Level: policy.LevelProvincial, Region: policy.Region{Code: "31", Name: "上海市"}, Category: "发", Year: 2021, Serial: 12, Known: all}},
		{"浙政办发（２０２３）４５号", policy.DocNumber{Form: policy.FormBracketed, Code: "浙政办发", Agency: "浙政办发", Issuers: []string{"浙江省人民政府办公厅"},
			Level: policy.LevelProvincial, Region: policy.Region{Code: "33", Name: "浙江省"}, Category: "发", Year: 2023, Serial: 45, Known: all}},
		{"深府〔2020〕1号", policy.DocNumber{Form: policy.FormBracketed, Code: "深府", Agency: "深府", Issuers: []string{"深圳市人民政府"},
			Level: policy.LevelMunicipal, Region: policy.Region{Code: "4403", Name: "深圳市"}, Year: 2020, Serial: 1, Known: all}},
		// Decrees and announcements.
		{"国令第843号", policy.DocNumber{Form: policy.FormSerial, Code: "国令", Agency: "国令", Issuers: []string{"国务院"},
			Level: policy.LevelCentral, Region: policy.China, Category: "令", Serial: 843, Known: noYr}},
		{"中华人民共和国国务院令第843号", policy.DocNumber{Form: policy.FormSerial, Issuers: []string{"国务院"},
			Level: policy.LevelCentral, Region: policy.China, Category: "令", Serial: 843, Known: noYr}},
		{"财政部 税务总局 工业和信息化部公告2026年第19号", policy.DocNumber{Form: policy.FormYear, Issuers: []string{"财政部", "国家税务总局", "工业和信息化部"},
			Level: policy.LevelCentral, Region: policy.China, Joint: true, Announcement: true, Year: 2026, Serial: 19, Known: all}},
		{"中华人民共和国农业农村部公告第940号", policy.DocNumber{Form: policy.FormSerial, Issuers: []string{"农业农村部"},
			Level: policy.LevelCentral, Region: policy.China, Announcement: true, Serial: 940, Known: noYr}},
		{"中国证券监督管理委员会公告〔2026〕7号", policy.DocNumber{Form: policy.FormBracketed, Issuers: []string{"中国证监会"},
			Level: policy.LevelCentral, Region: policy.China, Announcement: true, Year: 2026, Serial: 7, Known: all}},
		{"商办流通函2025年第422号", policy.DocNumber{Form: policy.FormYear, Code: "商办流通函", Agency: "商办", Issuers: []string{"商务部办公厅"},
			Level: policy.LevelCentral, Region: policy.China, Office: "流通", Category: "函", Year: 2025, Serial: 422, Known: all}},
		// Issuer or year absent.
		{"2026年第47号", policy.DocNumber{Form: policy.FormYear, Year: 2026, Serial: 47, Known: policy.PartYear | policy.PartSerial}},
		{"〔2025〕第26号", policy.DocNumber{Form: policy.FormBracketed, Year: 2025, Serial: 26, Known: policy.PartYear | policy.PartSerial}},
		{"公告〔2026〕27号", policy.DocNumber{Form: policy.FormBracketed, Announcement: true, Year: 2026, Serial: 27, Known: policy.PartYear | policy.PartSerial}},
		{"第37号", policy.DocNumber{Form: policy.FormSerial, Serial: 37, Known: onlyS}},
		// An unlisted code parses; Note says the issuer is unknown, 联 still reads.
		{"甲乙联发〔2024〕5号", policy.DocNumber{Form: policy.FormBracketed, Code: "甲乙联发", Joint: true, Office: "甲乙联发", Year: 2024, Serial: 5,
			Known: policy.PartIssuer | policy.PartYear | policy.PartSerial, Note: "issuer code 甲乙联发 is not in the abbreviation table"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := policy.ParseDocNumber(tt.in)
			if err != nil {
				t.Fatalf("ParseDocNumber(%q): %v", tt.in, err)
			}
			want := tt.want
			want.Raw = tt.in
			got.Note = strings.TrimSpace(got.Note)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ParseDocNumber(%q)\n got %+v\nwant %+v", tt.in, got, want)
			}
		})
	}
}

func TestParseDocNumberErrors(t *testing.T) {
	tests := []struct {
		in, want string // want: a part of the message
	}{
		{"", "it is empty"},
		{"   ", "it is empty"},
		{"国发", "no serial number"},
		{"国发〔2015〕", "no serial number"},
		{"国发〔98〕12号", `year "98" is not a four-digit year`},
		{"国发〔1900〕12号", `year "1900"`},
		{"国发〔2015〕0号", `serial "0"`},
		{"ABC〔2015〕12号", "expected Chinese characters only"},
		{"2026年47", "no serial number"},
	}
	for _, tt := range tests {
		_, err := policy.ParseDocNumber(tt.in)
		if err == nil {
			t.Errorf("ParseDocNumber(%q): no error, want one containing %q", tt.in, tt.want)
			continue
		}
		if got := cipmap.ErrorCode(err); got != cipmap.EINVALID {
			t.Errorf("ParseDocNumber(%q): code %s, want %s", tt.in, got, cipmap.EINVALID)
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) || !strings.Contains(msg, "expected a form such as") || !strings.Contains(msg, tt.in) {
			t.Errorf("ParseDocNumber(%q) error %q, want the value, %q and what was expected", tt.in, msg, tt.want)
		}
	}
}

func TestDocNumberCanonical(t *testing.T) {
	// Variants of one number share a canonical key; String writes the standard form.
	tests := []struct {
		in, canonical, str string
	}{
		{"工信部联节﹝2026﹞59号", "工信部联节〔2026〕59号", "工信部联节〔2026〕59号"},
		{"工信部联节〔2026〕第59号", "工信部联节〔2026〕59号", "工信部联节〔2026〕59号"},
		{"工信部联节 [ ２０２６ ] ５９ 号", "工信部联节〔2026〕59号", "工信部联节〔2026〕59号"},
		{"财政部 税务总局公告2026年第4号", "财政部、国家税务总局公告〔2026〕4号", "财政部 国家税务总局公告2026年第4号"},
		{"国令第843号", "国令第843号", "国令第843号"},
		{"中华人民共和国国务院令第843号", "国务院令第843号", "国务院令第843号"},
	}
	for _, tt := range tests {
		d, err := policy.ParseDocNumber(tt.in)
		if err != nil {
			t.Errorf("ParseDocNumber(%q): %v", tt.in, err)
			continue
		}
		if got := d.Canonical(); got != tt.canonical {
			t.Errorf("ParseDocNumber(%q).Canonical() = %q, want %q", tt.in, got, tt.canonical)
		}
		if got := d.String(); got != tt.str {
			t.Errorf("ParseDocNumber(%q).String() = %q, want %q", tt.in, got, tt.str)
		}
	}
}

// TestProvincialAbbreviations checks that the table covers the 31 provincial
// governments, each reading back to its region.
func TestProvincialAbbreviations(t *testing.T) {
	codes := map[string]bool{}
	for _, ab := range []string{"京政发", "津政发", "冀政发", "晋政发", "内政发", "辽政发", "吉政发", "黑政发", "沪府发", "苏政发",
		"浙政发", "皖政", "闽政", "赣府发", "鲁政发", "豫政", "鄂政发", "湘政发", "粤府", "桂政发", "琼府", "渝府发", "川府发",
		"黔府发", "云政发", "藏政发", "陕政发", "甘政发", "青政", "宁政发", "新政发"} {
		d, err := policy.ParseDocNumber(ab + "〔2024〕1号")
		if err != nil {
			t.Errorf("%s: %v", ab, err)
			continue
		}
		if d.Level != policy.LevelProvincial || len(d.Region.Code) != 2 || !strings.HasSuffix(d.Issuers[0], "人民政府") {
			t.Errorf("%s: level %s, region %+v, issuers %v; want a provincial people's government", ab, d.Level, d.Region, d.Issuers)
		}
		codes[d.Region.Code] = true
	}
	if got, want := len(codes), 31; got != want {
		t.Errorf("%d distinct provinces, want %d", got, want)
	}
}
