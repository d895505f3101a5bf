package policy_test

import (
	"testing"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/policy"
)

func FuzzParseDocNumber(f *testing.F) {
	for _, s := range []string{
		"国发〔2015〕28号", "工信部联节﹝2026﹞59号", "国市监网监发〔2025〕114 号", "国令第843号",
		"财政部 税务总局 工业和信息化部公告2026年第19号", "2026年第47号", "第37号", "〔2025〕第26号",
		"京政发[2019]3号", "沪府发【２０２１】１２号", "国发〔98〕", "", "\xff〔2015〕1号", "号", "第号",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := policy.ParseDocNumber(s)
		if err != nil {
			if cipmap.ErrorCode(err) != cipmap.EINVALID {
				t.Fatalf("ParseDocNumber(%q): code %s, want %s", s, cipmap.ErrorCode(err), cipmap.EINVALID)
			}
			return
		}
		if d.Raw != s || d.Serial < 1 || !d.Known.Has(policy.PartSerial) {
			t.Fatalf("ParseDocNumber(%q) = %+v: want Raw kept and a serial", s, d)
		}
		if d.Known.Has(policy.PartYear) != (d.Year != 0) {
			t.Fatalf("ParseDocNumber(%q): Known %s but Year %d", s, d.Known, d.Year)
		}
		// The standard form parses back to the same number.
		d2, err := policy.ParseDocNumber(d.String())
		if err != nil {
			t.Fatalf("ParseDocNumber(%q).String() = %q does not parse: %v", s, d.String(), err)
		}
		if d2.Year != d.Year || d2.Serial != d.Serial {
			t.Fatalf("round trip of %q via %q: year %d serial %d, want %d %d", s, d.String(), d2.Year, d2.Serial, d.Year, d.Serial)
		}
	})
}

func FuzzTagInstruments(f *testing.F) {
	for _, s := range []string{
		"设立政府引导基金，给予贷款贴息，不包括土地。", "ＲＥＩＴｓ", "药品上市许可", "loans except grants",
		"补贴除外", "\xff\xfe补贴", "", "禁止出口", "不包括", "No. 5 subsidy.",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tag := range policy.TagInstruments(s) {
			if tag.Confidence <= 0 || tag.Confidence > 1 || len(tag.Evidence) == 0 {
				t.Fatalf("TagInstruments(%q): tag %+v", s, tag)
			}
			for _, ev := range append(tag.Evidence, tag.Negated...) {
				if ev.Offset < 0 || ev.Offset+len(ev.Text) > len(s) || s[ev.Offset:ev.Offset+len(ev.Text)] != ev.Text {
					t.Fatalf("TagInstruments(%q): evidence %+v does not point into the text", s, ev)
				}
				if ev.Text == "" || (utf8.ValidString(s) && !utf8.ValidString(ev.Text)) {
					t.Fatalf("TagInstruments(%q): evidence %+v splits a character", s, ev)
				}
			}
		}
	})
}
