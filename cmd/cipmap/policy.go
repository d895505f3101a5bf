package main

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/policy"
	"github.com/cipmap/cipmap/tagger"
	"github.com/cipmap/cipmap/taxonomy"
)

// PolicyCommand reads policy documents: it parses document numbers (文号), lists and
// finds policy instruments, and analyses the policies of a stored dataset.
type PolicyCommand struct{ m *Main }

const policyHelp = `Usage: cipmap policy number [--format table|json|csv] NUMBER...
       cipmap policy instruments [--format table|json|csv] [TEXT...]
       cipmap policy analyse --dataset NAME [--format table|json|csv]     (alias analyze)
       cipmap policy list --dataset NAME [--instrument ID] [--tag CTT] [--level LEVEL]
                          [--from DATE] [--to DATE] [--format table|json|csv]

Reads Chinese policy documents, the first step from a policy to the firms it reaches.

  number       parses document numbers (文号) such as 国发〔2015〕28号, 工信部联规〔2026〕186号,
               国令第843号 or 财政部 税务总局公告2026年第19号: issuer code, the bodies it stands
               for, joint issuance (联), office, document type, year, serial, and the
               issuer's level and region with the rule that decided. Exit code 3 when a
               number cannot be read (the others are still printed).
  instruments  with no text, lists the instrument taxonomy (id, names, MAST chapter);
               with text, the instruments the text uses, with the words that show it.
  analyse      reads the Policy entities of a stored dataset, parses each document
               number, infers level and region from the issuers, tags instruments and
               CTT technologies in title, summary and text, and writes dataset
               policy.NAME (see 'cipmap policy analyse --help').
  list         lists the analysed policies of a dataset, filtered.

解析政策文号、识别政策工具、分析已导入的政策数据集（层级、地区、政策工具、技术标签）并查询。

Examples:
  cipmap policy number 国发〔2015〕28号 工信部联节﹝2026﹞59号
  cipmap policy instruments
  cipmap policy instruments 对符合条件的企业给予研发费用加计扣除和贷款贴息
  cipmap policy analyse --dataset govcn-policies
  cipmap policy list --dataset govcn-policies --instrument subsidy --from 2026-01-01`

// Run runs a policy subcommand.
func (c *PolicyCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "number", "numbers":
			return c.number(args[1:])
		case "instruments", "instrument":
			return c.instruments(args[1:])
		case "analyse", "analyze":
			return c.analyse(ctx, args[1:])
		case "list":
			return c.list(ctx, args[1:])
		}
	}
	fs := c.m.newFlagSet("policy", policyHelp)
	if _, err := parseFlags(fs, args); err != nil {
		return err
	}
	fs.Usage()
	return errUsage
}

// parseFormat parses a command that opens no database: --format only.
func (c *PolicyCommand) parseFormat(name, help string, args []string) ([]string, formatFlag, error) {
	fs := c.m.newFlagSet(name, help)
	var f formatFlag
	addFormatFlag(fs, &f)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, f, err
	}
	return pos, f, f.check()
}

const policyNumberHelp = `Usage: cipmap policy number [--format table|json|csv] NUMBER...

Parses document numbers (文号): 国发〔2015〕28号, 国办发明电〔2025〕7号, 工信部联规〔2026〕186号,
财建[2022]5号, 发改能源规(2021)1号, 【2020】 and ﹝﹞ brackets, full-width digits and stray
spaces (国市监网监发〔2025〕114 号), decrees (国令第843号), announcements (财政部 税务总局
公告2026年第19号, 2026年第47号) and bare serials (第37号). For each: the issuer code
(发文机关代字), the abbreviation it begins with and the bodies it stands for, the joint
flag (联, or several named bodies), office, document type (规, 函, 明电, 令, 公告), year,
serial, the parts present, the issuer's level (central, provincial, municipal, county)
and region, and the rule that decided.

A number that cannot be read is reported with the reason and the forms expected;
the others are still printed, and the exit code is then 3 (invalid input).
解析政策文号；无法解析的文号会给出原因，退出码为 3。

Examples:
  cipmap policy number 国发〔2015〕28号 "工信部联节﹝2026﹞59号" 第37号
  cipmap policy number --format json 财政部 税务总局公告2026年第19号`

// docNumberRow is a parsed document number as the number command prints it.
type docNumberRow struct {
	Input      string   `json:"input"`
	OK         bool     `json:"ok"`
	Error      string   `json:"error,omitempty"`
	Canonical  string   `json:"canonical,omitempty"`
	Form       string   `json:"form,omitempty"`
	Code       string   `json:"code,omitempty"`
	Agency     string   `json:"agency,omitempty"`
	Issuers    []string `json:"issuers,omitempty"`
	Joint      bool     `json:"joint"`
	Office     string   `json:"office,omitempty"`
	Category   string   `json:"category,omitempty"`
	Announce   bool     `json:"announcement,omitempty"`
	Year       int      `json:"year,omitempty"`
	Serial     int      `json:"serial,omitempty"`
	Known      string   `json:"known"`
	Level      string   `json:"level"`
	Region     string   `json:"region,omitempty"`
	RegionCode string   `json:"region_code,omitempty"`
	Rule       string   `json:"rule,omitempty"`
	Note       string   `json:"note,omitempty"`
}

// docNumberRule says how a parsed number's level and region were decided.
func docNumberRule(d policy.DocNumber) string {
	switch {
	case d.Agency != "":
		return "abbreviation: " + d.Agency + " → " + strings.Join(d.Issuers, "、")
	case len(d.Issuers) > 0:
		_, _, rule := policy.IssuerLevel(strings.Join(d.Issuers, " "))
		return "named issuers: " + rule
	case d.Known.Has(policy.PartIssuer):
		return "unknown: issuer code not in the abbreviation table"
	}
	return "unknown: the number names no issuer"
}

func (c *PolicyCommand) number(args []string) error {
	pos, f, err := c.parseFormat("policy number", policyNumberHelp, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		c.m.newFlagSet("policy number", policyNumberHelp).Usage()
		return errUsage
	}
	// Arguments split at a space that belongs to the number (财政部 税务总局公告2026年第19号)
	// are joined again: a part that is not a number on its own and is followed by
	// one that is becomes its prefix.
	inputs := joinNumberArgs(pos)
	var rows []docNumberRow
	bad := 0
	for _, in := range inputs {
		d, err := policy.ParseDocNumber(in)
		r := docNumberRow{Input: in, OK: err == nil}
		if err != nil {
			bad++
			r.Error = cipmap.ErrorMessage(err)
			r.Level = policy.LevelUnknown.String()
			fmt.Fprintf(c.m.Stderr, "warning: %s\n", r.Error)
			rows = append(rows, r)
			continue
		}
		r.Canonical, r.Form, r.Code, r.Agency, r.Issuers = d.Canonical(), d.Form.String(), d.Code, d.Agency, d.Issuers
		r.Joint, r.Office, r.Category, r.Announce, r.Year, r.Serial = d.Joint, d.Office, d.Category, d.Announcement, d.Year, d.Serial
		r.Known, r.Level, r.Region, r.RegionCode = d.Known.String(), d.Level.String(), d.Region.Name, d.Region.FullCode()
		r.Rule, r.Note = docNumberRule(d), d.Note
		rows = append(rows, r)
	}
	if f.format == "json" {
		err = writeJSON(c.m.Stdout, rows)
	} else {
		cols := []string{"input", "code", "issuers", "joint", "year", "serial", "level", "region", "rule"}
		if f.format == "csv" {
			cols = append(cols, "canonical", "form", "agency", "office", "category", "known", "region_code", "note", "error")
		}
		var out [][]string
		for _, r := range rows {
			if !r.OK && f.format == "table" {
				out = append(out, []string{r.Input, "(not a document number)", "", "", "", "", "", "", r.Error})
				continue
			}
			joint := ""
			if strings.Contains(r.Known, "issuer") {
				joint = yesNo(r.Joint)
			}
			row := []string{r.Input, r.Code, strings.Join(r.Issuers, "、"), joint, intOrEmpty(r.Year), intOrEmpty(r.Serial),
				r.Level, r.Region, r.Rule}
			if f.format == "csv" {
				row = append(row, r.Canonical, r.Form, r.Agency, r.Office, r.Category, r.Known, r.RegionCode, r.Note, r.Error)
			}
			out = append(out, row)
		}
		err = writeRows(c.m.Stdout, f.format, cols, out)
	}
	if err != nil {
		return err
	}
	if bad > 0 {
		return cipmap.Errorf(cipmap.EINVALID, "%d of %d document numbers could not be read", bad, len(inputs))
	}
	return nil
}

// joinNumberArgs rejoins a number that the shell split at its spaces (财政部 税务总局
// 公告2026年第19号 given unquoted): a run of arguments that are each the name of a
// recognised body, and not numbers themselves, is prefixed to the argument after it
// when the whole parses.
func joinNumberArgs(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		j := i
		for j < len(args)-1 && isBodyArg(args[j]) {
			j++
		}
		if j > i {
			joined := strings.Join(args[i:j+1], " ")
			if _, err := policy.ParseDocNumber(joined); err == nil {
				out = append(out, joined)
				i = j
				continue
			}
		}
		out = append(out, args[i])
	}
	return out
}

// isBodyArg reports whether an argument names a body rather than being a number.
func isBodyArg(a string) bool {
	if _, err := policy.ParseDocNumber(a); err == nil {
		return false
	}
	lv, _, _ := policy.IssuerLevel(a)
	return lv != policy.LevelUnknown
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func intOrEmpty(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

const policyInstrumentsHelp = `Usage: cipmap policy instruments [--format table|json|csv] [TEXT...]

With no text, lists cipmap's instrument taxonomy: the channels through which industrial
policy reaches firms (guidance-fund equity, subsidies, tax relief, credit, procurement
and set-asides, the STAR Market listing channel, asset securitisation, land, talent,
standards, local content, export controls, ...), each with its names in Chinese and
English and its chapter of UNCTAD's MAST classification as Global Trade Alert uses it
(L subsidies, M procurement, I investment measures, P export measures, B technical
barriers; "-" outside MAST).

With text, finds the instruments the text uses: each with its MAST chapter, a
confidence, and the evidence (the words as found → the taxonomy's keyword, at their
byte offset). Matches that a negation covers (不包括贷款, 贷款除外) are shown as negated
and do not count.
不带文本时列出政策工具分类（含 MAST 章节）；带文本时识别文本中的政策工具及依据。

Examples:
  cipmap policy instruments
  cipmap policy instruments 设立政府引导基金，支持企业在科创板上市，并给予贷款贴息
  cipmap policy instruments --format json "guidance fund and loan guarantees for SMEs"`

func (c *PolicyCommand) instruments(args []string) error {
	pos, f, err := c.parseFormat("policy instruments", policyInstrumentsHelp, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		ins := policy.Instruments()
		if f.format == "json" {
			return writeJSON(c.m.Stdout, map[string]any{"version": policy.TaxonomyVersion(), "instruments": ins})
		}
		cols := []string{"id", "name_zh", "name_en", "mast", "fit", "gta"}
		if f.format == "csv" {
			cols = append(cols, "definition", "keywords_zh", "keywords_en")
		}
		var rows [][]string
		for _, in := range ins {
			mast := in.MAST
			if mast == "" {
				mast = "-"
			}
			row := []string{in.ID, in.NameZH, in.NameEN, mast, in.Fit, strings.Join(in.GTA, "; ")}
			if f.format == "csv" {
				row = append(row, in.Definition, strings.Join(in.KeywordsZH, "|"), strings.Join(in.KeywordsEN, "|"))
			}
			rows = append(rows, row)
		}
		return writeRows(c.m.Stdout, f.format, cols, rows)
	}
	text := strings.Join(pos, " ")
	tags := policy.TagInstruments(text)
	if f.format == "json" {
		if tags == nil {
			tags = []policy.InstrumentTag{}
		}
		return writeJSON(c.m.Stdout, map[string]any{"text": text, "version": policy.TaxonomyVersion(), "instruments": tags})
	}
	cols := []string{"instrument", "name", "mast", "confidence", "evidence", "negated"}
	var rows [][]string
	for _, t := range tags {
		rows = append(rows, []string{t.Instrument, instrumentName(t.Instrument), t.MAST,
			strconv.FormatFloat(t.Confidence, 'f', 2, 64), instrumentEvidence(t.Evidence, true), instrumentEvidence(t.Negated, true)})
	}
	if len(rows) == 0 {
		rows = append(rows, []string{"", "(no instrument)", "", "0", "", ""})
	}
	return writeRows(c.m.Stdout, f.format, cols, rows)
}

// instrumentName returns an instrument's Chinese and English names.
func instrumentName(id string) string {
	if in, ok := policy.LookupInstrument(id); ok {
		return in.NameZH + " · " + in.NameEN
	}
	return id
}

// instrumentEvidence prints matches as "text as found→keyword@offset", each once.
func instrumentEvidence(ev []policy.Evidence, offsets bool) string {
	var parts []string
	seen := map[string]bool{}
	for _, e := range ev {
		p := e.Text + "→" + e.Keyword
		if offsets {
			p += "@" + strconv.Itoa(e.Offset)
		}
		if e.Cue != "" {
			p += " (" + e.Cue + ")"
		}
		if !seen[p] {
			seen[p] = true
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, "; ")
}

const policyAnalyseHelp = `Usage: cipmap policy analyse --dataset NAME [--format table|json|csv]
       cipmap policy analyze ...

Analyses the Policy entities of a stored dataset (ingested through a mapping such as
examples/policy-gov-cn/mapping.yaml) and writes the results as dataset policy.NAME,
every fact with its provenance: the source dataset and record of the statement it was
read from, and for tags the statement tagged.

For each policy:
  - document_number is parsed (see 'cipmap policy number'): the issuer code, year and
    serial become properties document_code, document_year, document_serial and joint
    (yes/no). A number that cannot be read is kept as text: it stays in the source
    dataset, a notes statement says why, and a warning names the entity, its record
    and the value; the policy is never dropped.
  - level (central, provincial, municipal, county) and region are inferred from
    issuer_name (joint issuers: the highest level), else from the document number.
  - instruments are found in title, summary and text (table tags, system instrument,
    method rule, with the evidence and the statement tagged), and technologies are
    tagged with CTT as 'cipmap tag --dataset' does (table tags, system ctt).
  - a Targeting relation links the policy to each instrument (confidence, evidence)
    and each CTT tag (weight: the mean of the tag's weights over the policy's tagged
    texts).
GovBody entities of the dataset get their level and region too.

Prints a summary: policies, document numbers present / parsed / malformed, policies by
level, the top instruments (policies using each) and the top technology tags
(fractional policy counts). The version of policy.NAME is a hash of what it holds:
running again on unchanged data writes nothing and says unchanged.
分析已导入数据集中的政策：解析文号（无法解析的保留原文并警告）、推断层级与地区、识别政策工具和技术标签，
写入派生数据集 policy.NAME 并保留来源。

Examples:
  cipmap ingest examples/policy-gov-cn/mapping.yaml
  cipmap policy analyse --dataset govcn-policies
  cipmap policy analyse --dataset govcn-policies --format json`

// policyDataset names the dataset of the analysis of a dataset of policies.
func policyDataset(dataset string) string { return "policy." + dataset }

// Properties that analyse reads, and the texts it tags.
var policyTextProps = []string{"title", "summary", "text"}

// policyRecord is one Policy entity of the source dataset, as analyse reads it.
type policyRecord struct {
	id      string
	stmts   map[string][]cipmap.Statement // by property
	level   policy.Level
	region  policy.Region
	instr   map[string]*policyInstrument
	tagSum  map[string]float64
	tagEv   map[string][]string
	tagConf map[string]float64
	tagged  int // texts with at least one CTT tag
	numbers int // parsed document numbers
	bad     int // malformed document numbers
}

// policyInstrument is an instrument found in one policy's texts.
type policyInstrument struct {
	notUsed  float64 // ∏(1 − confidence) over the texts
	evidence []string
	from     *cipmap.Statement // the first statement it was found in
}

// policyWarning is a document number analyse could not read.
type policyWarning struct {
	EntityID string `json:"entity_id"`
	Value    string `json:"value"`
	Source   string `json:"source"`
	Reason   string `json:"reason"`
}

// policySummary is what analyse reports.
type policySummary struct {
	Dataset     string          `json:"dataset"`
	Source      string          `json:"source"`
	State       string          `json:"state"`
	Policies    int             `json:"policies"`
	WithNumber  int             `json:"with_number"`
	Numbers     int             `json:"numbers"`
	Parsed      int             `json:"parsed"`
	Malformed   int             `json:"malformed"`
	ByLevel     map[string]int  `json:"by_level"`
	GovBodies   int             `json:"gov_bodies"`
	Statements  int             `json:"statements"`
	TagRows     int             `json:"tag_rows"`
	Instruments []policyCount   `json:"instruments"`
	Tags        []tagger.Count  `json:"tags"`
	Warnings    []policyWarning `json:"warnings"`
}

// policyCount is how many policies use an instrument.
type policyCount struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	MAST     string `json:"mast"`
	Policies int    `json:"policies"`
}

func (c *PolicyCommand) analyse(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("policy analyse", policyAnalyseHelp)
	var f readFlags
	dataset := fs.String("dataset", "", "the stored dataset whose Policy entities to analyse")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	if *dataset == "" {
		fs.Usage()
		return errUsage
	}
	st, err := c.m.openStore(ctx, f.db, false)
	if err != nil {
		return err
	}
	src, err := st.Dataset(ctx, *dataset)
	if err != nil {
		return err
	}
	reg, err := c.m.registry(ctx, f.db)
	if err != nil {
		return err
	}
	tl, err := newTagLabeler(reg, "", "")
	if err != nil {
		return err
	}
	var pols []*policyRecord
	bodies := map[string]cipmap.Statement{} // GovBody id → its first name statement
	var bodyIDs []string
	err = st.Statements(ctx, cipmap.StatementFilter{Dataset: *dataset, Schemas: []string{"Policy", "GovBody"}}, func(s *cipmap.Statement) error {
		switch s.Schema {
		case "GovBody":
			if _, ok := bodies[s.EntityID]; !ok && s.Property == "name" {
				bodies[s.EntityID] = *s
				bodyIDs = append(bodyIDs, s.EntityID)
			}
		case "Policy":
			if len(pols) == 0 || pols[len(pols)-1].id != s.EntityID {
				pols = append(pols, &policyRecord{id: s.EntityID, stmts: map[string][]cipmap.Statement{}})
			}
			p := pols[len(pols)-1]
			p.stmts[s.Property] = append(p.stmts[s.Property], *s)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(pols) == 0 {
		return cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has no Policy entities", *dataset)
	}
	name := policyDataset(*dataset)
	sum := &policySummary{Dataset: name, Source: *dataset, Policies: len(pols), ByLevel: map[string]int{}, Warnings: []policyWarning{}}
	var out []cipmap.Statement
	add := func(from *cipmap.Statement, schema, id, prop, value, original string) {
		if value == "" {
			return
		}
		if original == value {
			original = ""
		}
		out = append(out, cipmap.Statement{EntityID: id, Schema: schema, Property: prop, Value: value, Original: original,
			Lang: "", Source: from.Dataset + " " + from.Source})
	}
	// Texts to tag, each distinct value once.
	type textRef struct {
		pol  *policyRecord
		stmt *cipmap.Statement
	}
	var refs []textRef
	index := map[string]int{}
	var values []string
	for _, p := range pols {
		// Document numbers.
		var numLevel policy.Level
		var numRegion policy.Region
		var numFrom *cipmap.Statement
		for i := range p.stmts["document_number"] {
			s := &p.stmts["document_number"][i]
			raw := s.Value
			if s.Original != "" {
				raw = s.Original
			}
			d, err := policy.ParseDocNumber(raw)
			if err != nil {
				p.bad++
				w := policyWarning{EntityID: p.id, Value: raw, Source: s.Dataset + " " + s.Source, Reason: cipmap.ErrorMessage(err)}
				sum.Warnings = append(sum.Warnings, w)
				add(s, "Policy", p.id, "notes", "kept as text: "+w.Reason, raw)
				continue
			}
			p.numbers++
			add(s, "Policy", p.id, "document_code", d.Code, raw)
			if d.Year != 0 {
				add(s, "Policy", p.id, "document_year", strconv.Itoa(d.Year), raw)
			}
			add(s, "Policy", p.id, "document_serial", strconv.Itoa(d.Serial), raw)
			if d.Known.Has(policy.PartIssuer) {
				add(s, "Policy", p.id, "joint", yesNo(d.Joint), raw)
			}
			if numFrom == nil && d.Level != policy.LevelUnknown {
				numLevel, numRegion, numFrom = d.Level, d.Region, s
			}
		}
		if len(p.stmts["document_number"]) > 0 {
			sum.WithNumber++
		}
		sum.Numbers += p.numbers + p.bad
		sum.Parsed += p.numbers
		sum.Malformed += p.bad
		// Level and region: from the issuers, else from the document number.
		for i := range p.stmts["issuer_name"] {
			s := &p.stmts["issuer_name"][i]
			lv, rg, _ := policy.IssuerLevel(s.Value)
			if lv == policy.LevelUnknown {
				continue
			}
			p.level, p.region = lv, rg
			add(s, "Policy", p.id, "level", lv.String(), s.Value)
			add(s, "Policy", p.id, "region", regionValue(rg), s.Value)
			break
		}
		if p.level == policy.LevelUnknown && numFrom != nil {
			p.level, p.region = numLevel, numRegion
			raw := numFrom.Value
			add(numFrom, "Policy", p.id, "level", numLevel.String(), raw)
			add(numFrom, "Policy", p.id, "region", regionValue(numRegion), raw)
		}
		sum.ByLevel[p.level.String()]++
		for _, prop := range policyTextProps {
			for i := range p.stmts[prop] {
				s := &p.stmts[prop][i]
				refs = append(refs, textRef{p, s})
				if _, ok := index[s.Value]; !ok {
					index[s.Value] = len(values)
					values = append(values, s.Value)
				}
			}
		}
	}
	// Tag the texts: instruments and CTT technologies.
	cttResults, err := tl.tagAll(values)
	if err != nil {
		return err
	}
	instrResults := make([][]policy.InstrumentTag, len(values))
	for i, v := range values {
		instrResults[i] = policy.TagInstruments(v)
	}
	var facts []cipmap.TagFact
	for _, ref := range refs {
		p, s := ref.pol, ref.stmt
		k := index[s.Value]
		sid := cipmap.StatementID(s.Dataset, s.EntityID, s.Property, s.Value)
		source := s.Dataset + " " + s.Source
		for _, t := range instrResults[k] {
			ev := instrumentEvidence(t.Evidence, true)
			facts = append(facts, cipmap.TagFact{EntityID: p.id, Property: s.Property, Value: s.Value, System: "instrument",
				Tag: t.Instrument, Weight: 1, Method: tagger.MethodRule, Evidence: ev, Confidence: t.Confidence,
				StatementID: sid, Source: source})
			if p.instr == nil {
				p.instr = map[string]*policyInstrument{}
			}
			pi := p.instr[t.Instrument]
			if pi == nil {
				pi = &policyInstrument{notUsed: 1, from: s}
				p.instr[t.Instrument] = pi
			}
			pi.notUsed *= 1 - t.Confidence
			pi.evidence = append(pi.evidence, s.Property+": "+instrumentEvidence(t.Evidence, false))
		}
		r := cttResults[k]
		if len(r.Tags) > 0 {
			p.tagged++
			if p.tagSum == nil {
				p.tagSum, p.tagEv, p.tagConf = map[string]float64{}, map[string][]string{}, map[string]float64{}
			}
		}
		for _, t := range r.Tags {
			ev := evidence(s.Value, t.Evidence)
			facts = append(facts, cipmap.TagFact{EntityID: p.id, Property: s.Property, Value: s.Value, System: taxonomy.CTT,
				Tag: t.Tag, Weight: t.Weight, Method: r.Method, Evidence: ev, Confidence: r.Confidence,
				StatementID: sid, Source: source})
			p.tagSum[t.Tag] += t.Weight
			p.tagEv[t.Tag] = append(p.tagEv[t.Tag], s.Property+": "+ev)
			p.tagConf[t.Tag] = math.Max(p.tagConf[t.Tag], r.Confidence)
		}
	}
	// Targeting relations, one per policy and instrument or tag.
	instrPolicies := map[string]int{}
	var perPolicy []tagger.Result
	for _, p := range pols {
		from := p.first()
		ids := mapKeys(p.instr)
		for _, in := range ids {
			pi := p.instr[in]
			instrPolicies[in]++
			tid := targetingID(p.id, "instrument", in)
			add(pi.from, "Targeting", tid, "policy", p.id, "")
			add(pi.from, "Targeting", tid, "instrument", in, "")
			add(pi.from, "Targeting", tid, "confidence", fmtFloat(1-pi.notUsed), "")
			add(pi.from, "Targeting", tid, "evidence", strings.Join(pi.evidence, " | "), "")
			add(pi.from, "Targeting", tid, "method", tagger.MethodRule, "")
		}
		res := tagger.Result{Tags: []tagger.Weighted{}}
		for _, tag := range mapKeys(p.tagSum) {
			w := p.tagSum[tag] / float64(p.tagged)
			res.Tags = append(res.Tags, tagger.Weighted{Tag: tag, Weight: w})
			tid := targetingID(p.id, "tag", tag)
			add(from, "Targeting", tid, "policy", p.id, "")
			add(from, "Targeting", tid, "target_tag", tag, "")
			add(from, "Targeting", tid, "weight", fmtFloat(w), "")
			add(from, "Targeting", tid, "confidence", fmtFloat(p.tagConf[tag]), "")
			add(from, "Targeting", tid, "evidence", strings.Join(p.tagEv[tag], " | "), "")
			add(from, "Targeting", tid, "method", tagger.MethodRule, "")
		}
		perPolicy = append(perPolicy, res)
	}
	// Government bodies: level and region.
	for _, id := range bodyIDs {
		s := bodies[id]
		lv, rg, _ := policy.IssuerLevel(s.Value)
		if lv == policy.LevelUnknown {
			continue
		}
		sum.GovBodies++
		add(&s, "GovBody", id, "level", lv.String(), s.Value)
		add(&s, "GovBody", id, "region", regionValue(rg), s.Value)
	}
	// The version is a hash of what the dataset holds.
	h := sha256.New()
	fmt.Fprintf(h, "policy v1\x00%s\x00%s\x00%s", src.Name, src.Version, src.Licence)
	for _, s := range out {
		fmt.Fprintf(h, "\x00%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", s.EntityID, s.Schema, s.Property, s.Value, s.Original, s.Source)
	}
	for _, t := range facts {
		fmt.Fprintf(h, "\x00%s\x1f%s\x1f%s\x1f%s\x1f%g\x1f%s\x1f%s\x1f%g\x1f%s", t.EntityID, t.Property, t.System, t.Tag, t.Weight,
			t.Method, t.Evidence, t.Confidence, t.StatementID)
	}
	ds := &cipmap.Dataset{
		Name:    name,
		Title:   "Policy analysis of " + *dataset + ": document numbers, level, region, instruments, CTT tags",
		Version: hex.EncodeToString(h.Sum(nil))[:16],
		Source:  "cipmap policy analyse --dataset " + *dataset,
		Licence: src.Licence,
	}
	res, err := st.Load(ctx, ds, func(w cipmap.Writer) error {
		ds.Rows = int64(len(pols))
		for i := range out {
			if err := w.Statement(&out[i]); err != nil {
				return err
			}
		}
		for i := range facts {
			if err := w.Tag(&facts[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	sum.State = loadState(res)
	sum.Statements, sum.TagRows = len(out), len(facts)
	for _, in := range policy.Instruments() {
		if n := instrPolicies[in.ID]; n > 0 {
			sum.Instruments = append(sum.Instruments, policyCount{ID: in.ID, Name: in.NameZH + " · " + in.NameEN, MAST: in.MAST, Policies: n})
		}
	}
	sort.SliceStable(sum.Instruments, func(i, j int) bool { return sum.Instruments[i].Policies > sum.Instruments[j].Policies })
	sum.Tags = tagger.Aggregate(perPolicy, func(tag string) []string {
		var out []string
		for _, t := range tl.std.Path(tag) {
			out = append(out, t.ID)
		}
		return out
	})
	for _, w := range sum.Warnings {
		fmt.Fprintf(c.m.Stderr, "warning: %s (%s): kept as text: %s\n", w.EntityID, w.Source, w.Reason)
	}
	fmt.Fprintf(c.m.Stderr, "%s: %s; %d policies, %d with a document number (%d parsed, %d malformed), %d statements, %d tag rows\n",
		name, sum.State, sum.Policies, sum.WithNumber, sum.Parsed, sum.Malformed, sum.Statements, sum.TagRows)
	if f.format == "json" {
		return writeJSON(c.m.Stdout, sum)
	}
	return writeRows(c.m.Stdout, f.format, []string{"section", "key", "name", "count"}, sum.rows(tl, f.format == "table"))
}

// rows lays the summary out as one table: section, key, name, count.
func (s *policySummary) rows(tl *tagLabeler, short bool) [][]string {
	n := strconv.Itoa
	rows := [][]string{
		{"dataset", s.Dataset, s.State, ""},
		{"policies", "", "", n(s.Policies)},
		{"numbers", "with_number", "policies with a document number", n(s.WithNumber)},
		{"numbers", "parsed", "document numbers parsed", n(s.Parsed)},
		{"numbers", "malformed", "kept as text, with a warning", n(s.Malformed)},
	}
	for _, lv := range []policy.Level{policy.LevelCentral, policy.LevelProvincial, policy.LevelMunicipal, policy.LevelCounty, policy.LevelUnknown} {
		if k := s.ByLevel[lv.String()]; k > 0 || lv != policy.LevelUnknown {
			rows = append(rows, []string{"level", lv.String(), levelZH[lv], n(k)})
		}
	}
	rows = append(rows, []string{"gov_bodies", "", "bodies with a level", n(s.GovBodies)})
	for i, in := range s.Instruments {
		if short && i == 15 {
			break
		}
		rows = append(rows, []string{"instrument", in.ID, in.Name, n(in.Policies)})
	}
	for i, t := range s.Tags {
		if short && i == 15 {
			break
		}
		rows = append(rows, []string{"tag", t.Tag, tl.name(taxonomy.CTT, t.Tag), strconv.FormatFloat(t.Count, 'f', 2, 64)})
	}
	return rows
}

var levelZH = map[policy.Level]string{policy.LevelCentral: "中央", policy.LevelProvincial: "省级", policy.LevelMunicipal: "市级",
	policy.LevelCounty: "县级", policy.LevelUnknown: "未知"}

// first returns the policy's first statement, for the provenance of facts about it as
// a whole.
func (p *policyRecord) first() *cipmap.Statement {
	for _, prop := range []string{"title", "document_number", "url", "summary", "text"} {
		if ss := p.stmts[prop]; len(ss) > 0 {
			return &ss[0]
		}
	}
	for _, prop := range mapKeys(p.stmts) {
		return &p.stmts[prop][0]
	}
	return &cipmap.Statement{}
}

// regionValue is the region property's value: the region's name (中华人民共和国 for
// a central issuer), else its GB/T 2260 code.
func regionValue(r policy.Region) string {
	if r.Name != "" {
		return r.Name
	}
	return r.FullCode()
}

// targetingID is the id of the Targeting relation from a policy to an instrument or
// tag: stable across runs.
func targetingID(policyID, kind, code string) string {
	h := sha1.New()
	io.WriteString(h, policyID+"\x1f"+kind+"\x1f"+code)
	return "policy-targeting-" + hex.EncodeToString(h.Sum(nil))[:16]
}

func fmtFloat(f float64) string { return strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64) }

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

const policyListHelp = `Usage: cipmap policy list --dataset NAME [--instrument ID] [--tag CTT] [--level LEVEL]
                          [--from DATE] [--to DATE] [--limit N] [--format table|json|csv]

Lists the policies of a dataset that 'cipmap policy analyse --dataset NAME' analysed:
date, document number, level, region, title, instruments and technology tags.
--instrument keeps policies using an instrument ('cipmap policy instruments' lists the
ids); --tag those tagged with a CTT tag or any tag under it; --level central,
provincial, municipal, county or unknown; --from and --to bound the date (issued, else
published), inclusive, as YYYY, YYYY-MM or YYYY-MM-DD. Newest first.
查询已分析的政策：按政策工具、技术标签、层级和日期筛选。

Examples:
  cipmap policy list --dataset govcn-policies --instrument subsidy
  cipmap policy list --dataset govcn-policies --tag integrated-circuits --from 2026-01 --format csv`

// listedPolicy is one row of policy list.
type listedPolicy struct {
	ID          string   `json:"id"`
	Date        string   `json:"date"`
	Number      string   `json:"document_number"`
	Level       string   `json:"level"`
	Region      string   `json:"region"`
	Title       string   `json:"title"`
	Issuer      string   `json:"issuer"`
	Instruments []string `json:"instruments"`
	Tags        []string `json:"tags"`
	Warning     string   `json:"warning,omitempty"`
}

func (c *PolicyCommand) list(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("policy list", policyListHelp)
	var f readFlags
	dataset := fs.String("dataset", "", "the dataset of policies (analysed with 'cipmap policy analyse')")
	instrument := fs.String("instrument", "", "only policies using this instrument")
	tag := fs.String("tag", "", "only policies tagged with this CTT tag or a tag under it")
	level := fs.String("level", "", "only policies of this level: central, provincial, municipal, county, unknown")
	from := fs.String("from", "", "only policies dated on or after this date")
	to := fs.String("to", "", "only policies dated on or before this date")
	limit := fs.Int("limit", 0, "at most this many policies (0: all)")
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	if *dataset == "" {
		fs.Usage()
		return errUsage
	}
	if *instrument != "" {
		if _, ok := policy.LookupInstrument(*instrument); !ok {
			return cipmap.Errorf(cipmap.EINVALID, "--instrument %q: no such instrument; see 'cipmap policy instruments'", *instrument)
		}
	}
	switch *level {
	case "", "central", "provincial", "municipal", "county", "unknown":
	default:
		return cipmap.Errorf(cipmap.EINVALID, "--level %q: expected central, provincial, municipal, county or unknown", *level)
	}
	for _, d := range []*string{from, to} {
		if *d != "" && !isDatePrefix(*d) {
			return cipmap.Errorf(cipmap.EINVALID, "date %q: expected YYYY, YYYY-MM or YYYY-MM-DD", *d)
		}
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	name := policyDataset(*dataset)
	if _, err := st.Dataset(ctx, name); err != nil {
		if cipmap.ErrorCode(err) == cipmap.ENOTFOUND {
			return cipmap.Errorf(cipmap.ENOTFOUND, "dataset %s has not been analysed: run 'cipmap policy analyse --dataset %s' first", *dataset, *dataset)
		}
		return err
	}
	var tl *tagLabeler
	if *tag != "" {
		reg, err := c.m.registry(ctx, f.db)
		if err != nil {
			return err
		}
		if tl, err = newTagLabeler(reg, "", ""); err != nil {
			return err
		}
		if tl.std.Tag(*tag) == nil {
			return cipmap.Errorf(cipmap.EINVALID, "--tag %q: not a CTT tag; see 'cipmap crosswalk codes ctt'", *tag)
		}
	}
	pols := map[string]*listedPolicy{}
	var order []string
	get := func(id string) *listedPolicy {
		p := pols[id]
		if p == nil {
			p = &listedPolicy{ID: id}
			pols[id] = p
			order = append(order, id)
		}
		return p
	}
	published := map[string]string{}
	err = st.Statements(ctx, cipmap.StatementFilter{Dataset: *dataset, Schemas: []string{"Policy"},
		Properties: []string{"title", "document_number", "issuer_name", "date", "published_date"}}, func(s *cipmap.Statement) error {
		p := get(s.EntityID)
		v := s.Value
		switch s.Property {
		case "title":
			setFirst(&p.Title, v)
		case "document_number":
			setFirst(&p.Number, v)
		case "issuer_name":
			setFirst(&p.Issuer, v)
		case "date":
			setFirst(&p.Date, v)
		case "published_date":
			if published[s.EntityID] == "" {
				published[s.EntityID] = v
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	targets := map[string]map[string]string{} // Targeting id → property → value
	err = st.Statements(ctx, cipmap.StatementFilter{Dataset: name}, func(s *cipmap.Statement) error {
		switch s.Schema {
		case "Policy":
			p := get(s.EntityID)
			switch s.Property {
			case "level":
				setFirst(&p.Level, s.Value)
			case "region":
				setFirst(&p.Region, s.Value)
			case "notes":
				setFirst(&p.Warning, s.Value)
			}
		case "Targeting":
			if targets[s.EntityID] == nil {
				targets[s.EntityID] = map[string]string{}
			}
			targets[s.EntityID][s.Property] = s.Value
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, t := range mapKeys(targets) {
		props := targets[t]
		p := pols[props["policy"]]
		if p == nil {
			continue
		}
		if in := props["instrument"]; in != "" {
			p.Instruments = append(p.Instruments, in)
		}
		if tg := props["target_tag"]; tg != "" {
			p.Tags = append(p.Tags, tg+":"+props["weight"])
		}
	}
	var rows []*listedPolicy
	for _, id := range order {
		p := pols[id]
		if p.Date == "" {
			p.Date = published[id]
		}
		if p.Level == "" {
			p.Level = "unknown"
		}
		sort.Strings(p.Instruments)
		sort.Strings(p.Tags)
		if *instrument != "" && !containsString(p.Instruments, *instrument) {
			continue
		}
		if *tag != "" && !p.hasTag(tl, *tag) {
			continue
		}
		if *level != "" && p.Level != *level {
			continue
		}
		if *from != "" && (p.Date == "" || p.Date < *from) {
			continue
		}
		if *to != "" && (p.Date == "" || p.Date[:min(len(p.Date), len(*to))] > *to) {
			continue
		}
		if p.Instruments == nil {
			p.Instruments = []string{}
		}
		if p.Tags == nil {
			p.Tags = []string{}
		}
		rows = append(rows, p)
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if rows[i].Date != rows[j].Date {
			return rows[i].Date > rows[j].Date
		}
		return rows[i].ID < rows[j].ID
	})
	if *limit > 0 && len(rows) > *limit {
		rows = rows[:*limit]
	}
	fmt.Fprintf(c.m.Stderr, "%d policies\n", len(rows))
	if f.format == "json" {
		if rows == nil {
			rows = []*listedPolicy{}
		}
		return writeJSON(c.m.Stdout, rows)
	}
	cols := []string{"date", "document_number", "level", "region", "title", "instruments", "tags"}
	if f.format == "csv" {
		cols = append([]string{"id"}, append(cols, "issuer", "warning")...)
	}
	var out [][]string
	for _, p := range rows {
		row := []string{p.Date, p.Number, p.Level, p.Region, p.Title, strings.Join(p.Instruments, " "), strings.Join(p.Tags, " ")}
		if f.format == "csv" {
			row = append([]string{p.ID}, append(row, p.Issuer, p.Warning)...)
		}
		out = append(out, row)
	}
	return writeRows(c.m.Stdout, f.format, cols, out)
}

// hasTag reports whether the policy has the tag or a tag under it.
func (p *listedPolicy) hasTag(tl *tagLabeler, want string) bool {
	for _, t := range p.Tags {
		id, _, _ := strings.Cut(t, ":")
		for _, a := range tl.std.Path(id) {
			if a.ID == want {
				return true
			}
		}
	}
	return false
}

func setFirst(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// isDatePrefix reports whether s is YYYY, YYYY-MM or YYYY-MM-DD.
func isDatePrefix(s string) bool {
	switch len(s) {
	case 4, 7, 10:
	default:
		return false
	}
	for i, r := range s {
		if i == 4 || i == 7 {
			if r != '-' {
				return false
			}
		} else if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
