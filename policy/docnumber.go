package policy

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/cipmap/cipmap"
)

// DocNumber is a parsed Chinese policy document number (文号), such as
// 国发〔2015〕28号 (State Council, 2015, no. 28) or 财政部 税务总局公告2026年第19号.
// Parts may be absent (第37号 has no issuer and no year); Known says which are
// present.
type DocNumber struct {
	// Raw is the input, unchanged.
	Raw string
	// Form is the layout the number was written in.
	Form Form
	// Code is the issuer code (发文机关代字) as written, folded: 工信部联规,
	// 国办发明电, 国令. It is "" when the number names its issuers in full
	// (财政部 税务总局公告…) or has none (〔2026〕13号).
	Code string
	// Agency is the issuer abbreviation from data/issuer-abbreviations.tsv that
	// begins Code: 工信部 in 工信部联规, 国办发 in 国办发明电. It is "" when no
	// listed abbreviation begins Code.
	Agency string
	// Issuers are the issuing bodies: the one Agency stands for (工业和信息化部),
	// or those the number names (财政部, 税务总局, 工业和信息化部), canonicalised
	// with the central-bodies table.
	Issuers []string
	// Level and Region are the issuer's, from the abbreviation table or, for
	// named issuers, from IssuerLevel; LevelUnknown and the zero Region when
	// unknown.
	Level  Level
	Region Region
	// Joint is true when the number marks joint issuance: 联 after the
	// abbreviation (工信部联规), or several named issuers.
	Joint bool
	// Office is what stands between the abbreviation (and 联) and Category: the
	// department or office code, such as 能源 in 发改能源规 or 节 (节能与综合利用司)
	// in 工信部联节.
	Office string
	// Category is the document-type marker that ends Code, if any: 规 (normative
	// document), 发, 函, 明电, 电, 字, 令 (decree). Announcement is true for
	// 公告 numbers.
	Category     string
	Announcement bool
	// Year is the four-digit year, 0 when absent; Serial the number, 0 when absent.
	Year, Serial int
	// Known says which parts the number carries.
	Known Part
	// Note explains anything read loosely: an abbreviation the table marks as
	// ambiguous, an unknown issuer code.
	Note string
}

// Form is the layout of a document number.
type Form int

// The forms ParseDocNumber reads.
const (
	FormBracketed Form = iota + 1 // 国发〔2015〕28号, 公告〔2025〕第29号
	FormYear                      // 财政部 税务总局公告2026年第19号, 商办流通函2025年第422号, 2026年第47号
	FormSerial                    // 国令第843号, 农业农村部公告第940号, 第37号
)

var formNames = map[Form]string{FormBracketed: "bracketed", FormYear: "year", FormSerial: "serial"}

// String returns the form's name: bracketed, year or serial.
func (f Form) String() string {
	if n, ok := formNames[f]; ok {
		return n
	}
	return fmt.Sprintf("Form(%d)", int(f))
}

// Part is a set of the parts of a document number that are present.
type Part uint8

// The parts a document number may carry.
const (
	PartIssuer Part = 1 << iota // an issuer code or named issuers
	PartBody                    // the issuing body is identified (Issuers is not empty)
	PartYear
	PartSerial
)

// Has reports whether all of the parts q are in p.
func (p Part) Has(q Part) bool { return p&q == q }

// String lists the parts present, as issuer+body+year+serial.
func (p Part) String() string {
	var s []string
	for _, x := range []struct {
		p Part
		n string
	}{{PartIssuer, "issuer"}, {PartBody, "body"}, {PartYear, "year"}, {PartSerial, "serial"}} {
		if p.Has(x.p) {
			s = append(s, x.n)
		}
	}
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, "+")
}

// String returns the number in the standard form of GB/T 9704-2012: the code,
// the year in 〔〕 and the serial with 号; announcements and decrees keep their
// 年第N号 and 第N号 forms.
func (d DocNumber) String() string {
	var b strings.Builder
	if d.Code != "" {
		b.WriteString(d.Code)
	} else {
		b.WriteString(strings.Join(d.Issuers, " "))
	}
	if d.Announcement {
		b.WriteString("公告")
	}
	if d.Code == "" && d.Category == "令" {
		b.WriteString("令")
	}
	switch d.Form {
	case FormBracketed:
		fmt.Fprintf(&b, "〔%d〕%d号", d.Year, d.Serial)
	case FormYear:
		fmt.Fprintf(&b, "%d年第%d号", d.Year, d.Serial)
	case FormSerial:
		fmt.Fprintf(&b, "第%d号", d.Serial)
	}
	return b.String()
}

// The three forms, on a string whose brackets are 〔〕 and digits ASCII.
var (
	reBracketed = regexp.MustCompile(`^(.*?)\s*〔\s*(\d+)\s*年?\s*〕\s*(第)?\s*(\d+)\s*(号)?$`)
	reYear      = regexp.MustCompile(`^(.*?)\s*(\d+)\s*年\s*(第)?\s*(\d+)\s*(号)?$`)
	reSerial    = regexp.MustCompile(`^(.*?)\s*(第)\s*(\d+)\s*(号)$`)
)

// markers are the document-type markers that may end an issuer code, longest
// first.
var markers = []string{"明电", "规", "函", "发", "字", "电", "令"}

// foldDocNumber folds full-width forms and Chinese digits in numbers, and makes
// every kind of bracket 〔〕: 〔〕 [] () 【】 ﹝﹞ （） 〖〗 ［］ ⦅⦆ 〘〙.
func foldDocNumber(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = foldRune(r)
		switch r {
		case '[', '(', '【', '﹝', '〖', '⦅', '〘', '﹙', '{':
			r = '〔'
		case ']', ')', '】', '﹞', '〗', '⦆', '〙', '﹚', '}':
			r = '〕'
		}
		if isSpace(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// ParseDocNumber parses a Chinese policy document number (文号). It reads
//
//   - 代字〔year〕serial号, with any of 〔〕 [] () 【】 ﹝﹞ （） around the year and
//     an optional 第: 国发〔2015〕28号, 工信部联节﹝2026﹞59号, 国市监网监发〔2025〕114 号;
//   - 代字 or named issuers, then year年第serial号: 商办流通函2025年第422号,
//     财政部 税务总局 工业和信息化部公告2026年第19号, 2026年第47号;
//   - 代字 or named issuers, then 第serial号: 国令第843号,
//     中华人民共和国农业农村部公告第940号, 第37号;
//
// with full-width digits and stray spaces anywhere. The issuer code is split into
// the listed abbreviation (data/issuer-abbreviations.tsv), 联, office and
// document-type marker. An unknown code is not an error: Agency and Issuers stay
// empty and Note says so. An error, with code cipmap.EINVALID, names the value and
// what was expected: no serial, a year that is not four digits between 1949 and
// 2100, a prefix that is not an issuer.
func ParseDocNumber(s string) (DocNumber, error) {
	d := DocNumber{Raw: s}
	f := foldDocNumber(s)
	if f == "" {
		return d, invalidDocNumber(s, "it is empty")
	}
	var pre, year, serial string
	if m := reBracketed.FindStringSubmatch(f); m != nil {
		d.Form, pre, year, serial = FormBracketed, m[1], m[2], m[4]
	} else if m := reYear.FindStringSubmatch(f); m != nil && (m[3] != "" || m[5] != "") {
		// 2026年第47号 or 2026年47号; a bare 2026年47 is too loose to read.
		d.Form, pre, year, serial = FormYear, m[1], m[2], m[4]
	} else if m := reSerial.FindStringSubmatch(f); m != nil {
		d.Form, pre, serial = FormSerial, m[1], m[3]
	} else {
		return d, invalidDocNumber(s, "no serial number (…〔year〕N号, …year年第N号 or …第N号) found")
	}
	if year != "" {
		y, ok := atoiDigits(year)
		if !ok || len(year) != 4 || y < 1949 || y > 2100 {
			return d, invalidDocNumber(s, fmt.Sprintf("year %q is not a four-digit year between 1949 and 2100", year))
		}
		d.Year = y
		d.Known |= PartYear
	}
	n, ok := atoiDigits(serial)
	if !ok || n == 0 {
		return d, invalidDocNumber(s, fmt.Sprintf("serial %q is not a number from 1", serial))
	}
	d.Serial = n
	d.Known |= PartSerial
	if err := d.parsePrefix(strings.TrimSpace(pre)); err != nil {
		return d, invalidDocNumber(s, err.Error())
	}
	return d, nil
}

func invalidDocNumber(s, why string) error {
	return cipmap.Errorf(cipmap.EINVALID,
		"document number %q: %s; expected a form such as 国发〔2015〕28号, 国令第843号 or 财政部公告2026年第19号", s, why)
}

// parsePrefix reads what precedes the year and serial: nothing, an issuer code,
// or named issuers, each optionally followed by 公告 or 令.
func (d *DocNumber) parsePrefix(pre string) error {
	pre = strings.TrimPrefix(pre, "中华人民共和国")
	pre = strings.TrimSpace(pre)
	if strings.HasSuffix(pre, "公告") {
		d.Announcement = true
		pre = strings.TrimSpace(strings.TrimSuffix(pre, "公告"))
	}
	if pre == "" {
		return nil
	}
	for _, r := range pre {
		if !isHan(r) && !isSpace(r) && r != '、' && r != '，' && r != ',' {
			return fmt.Errorf("issuer %q holds %q; expected Chinese characters only", pre, r)
		}
	}
	d.Known |= PartIssuer
	parts := SplitIssuers(pre)
	named := len(parts) > 1
	if !named && len(parts) == 1 {
		named = isBodyName(strings.TrimSuffix(parts[0], "令"))
	}
	if named {
		if last := parts[len(parts)-1]; strings.HasSuffix(last, "令") && !d.Announcement && isBodyName(strings.TrimSuffix(last, "令")) {
			parts[len(parts)-1] = strings.TrimSuffix(last, "令")
			d.Category = "令"
		}
		for _, p := range parts {
			d.Issuers = append(d.Issuers, inferIssuer(p).Canonical)
		}
		d.Joint = len(d.Issuers) > 1
		d.Level, d.Region, _ = IssuerLevel(strings.Join(parts, " "))
		d.Known |= PartBody
		return nil
	}
	d.parseCode(strings.Join(parts, ""))
	return nil
}

// isBodyName reports whether s names a body rather than being an issuer code: a
// central body or alias, or a name that ends like a body (政府, 委员会, 部, 局,
// 办公厅, ...) and that IssuerLevel recognises (广东省人民政府, 财政部办公厅).
// 工信部联规 and 京政发 are codes: they end in a document-type marker.
func isBodyName(s string) bool {
	t := mustLoad()
	if _, ok := t.abbrevs[s]; ok {
		return false // 工信部 alone is the code, though it also names the ministry
	}
	if _, ok := t.central[s]; ok {
		return true
	}
	if utf8.RuneCountInString(s) <= 3 {
		return false
	}
	for _, end := range []string{"政府", "委员会", "办公厅", "办公室", "部", "局", "厅", "委", "署", "院", "行", "会", "司"} {
		if strings.HasSuffix(s, end) {
			return inferIssuer(s).Level != LevelUnknown
		}
	}
	return false
}

// parseCode splits an issuer code into abbreviation, 联, office and marker.
func (d *DocNumber) parseCode(code string) {
	t := mustLoad()
	d.Code = code
	agency, n := longestPrefix(code, t.abbrevMax, func(k string) bool { _, ok := t.abbrevs[k]; return ok })
	rest := code[n:]
	if n > 0 {
		a := t.abbrevs[agency]
		d.Agency = agency
		d.Issuers = []string{a.body}
		d.Level = a.level
		if a.level == LevelCentral {
			d.Region = China
		} else if r, ok := t.regionByCode[a.region]; ok {
			d.Region = Region{Code: r.code, Name: r.name}
		}
		d.Known |= PartBody
		if a.note != "" {
			d.Note = agency + ": " + a.note
		}
	} else {
		d.Note = "issuer code " + code + " is not in the abbreviation table"
	}
	if strings.HasPrefix(rest, "联") {
		d.Joint = true
		rest = strings.TrimPrefix(rest, "联")
	} else if n == 0 {
		// Unknown abbreviation: 联 after the first character still marks
		// joint issuance.
		if i := strings.Index(code, "联"); i > 0 {
			d.Joint = true
		}
	}
	for _, m := range markers {
		if n == 0 {
			break
		}
		if rest != "" && strings.HasSuffix(rest, m) {
			d.Category = m
			rest = strings.TrimSuffix(rest, m)
			break
		}
		if rest == "" && strings.HasSuffix(agency, m) && len(agency) > len(m) {
			d.Category = m
			break
		}
	}
	d.Office = rest
}

// Canonical returns the number's key for joining datasets: the folded code or
// issuers, year and serial, with brackets, spaces and 第 normalised, so that
// 工信部联节﹝2026﹞59号 and 工信部联节〔2026〕第59号 have the same key.
func (d DocNumber) Canonical() string {
	var b strings.Builder
	if d.Code != "" {
		b.WriteString(d.Code)
	} else {
		b.WriteString(strings.Join(d.Issuers, "、"))
	}
	if d.Announcement {
		b.WriteString("公告")
	}
	if d.Category == "令" && d.Code == "" {
		b.WriteString("令")
	}
	if d.Year != 0 {
		b.WriteString("〔" + strconv.Itoa(d.Year) + "〕")
	} else {
		b.WriteString("第")
	}
	b.WriteString(strconv.Itoa(d.Serial) + "号")
	return b.String()
}
