package firmname

import (
	"strings"
	"unicode/utf8"
)

// SplitLegalForm takes the legal form and group markers off the end of a firm
// name and returns what is left, the canonical legal form and whether the name
// marks a group. Chinese: 有限公司 and 有限责任公司 (both 有限公司), 股份有限公司,
// 公司, (有限合伙), 合伙企业(有限合伙) and 有限合伙 (all 有限合伙), the other forms
// of data/legal-forms.tsv, and the group markers 集团, (集团), 控股, which are
// removed too (招商局集团有限公司 → 招商局, 有限公司, true). English: Co., Ltd. and
// its spellings (co-ltd), Limited (ltd), Inc., Corp., LLC, PLC and others, and
// the group markers Group and Holdings, which stay in rest (GUANGZHOU HAIGE COMM
// GRP → "guangzhou haige comm grp", "group", true); rest is then the lower-case
// words joined by spaces. Where the name has only a group marker, legalForm is
// that marker's canonical form (集团, group, holdings). s is folded first.
func SplitLegalForm(s string) (rest, legalForm string, group bool) {
	t := mustLoad()
	f := t.fold(s)
	if scriptOf(f) == Latin {
		ws, legal, group, _ := t.splitLegalEn(words(tokenize(f)))
		return strings.Join(ws, " "), legal, group
	}
	rest, legal, group := t.splitLegalZh(f)
	return rest, legal, group
}

// splitLegalZh is SplitLegalForm on a folded Chinese name.
func (t *tables) splitLegalZh(s string) (rest, legal string, group bool) {
	groupForm := ""
outer:
	for {
		s = strings.TrimRight(s, " ")
		if t.zhLegalForm[s] {
			break // a name that is nothing but a legal form (有限公司) keeps it
		}
		last, _ := utf8.DecodeLastRuneInString(s)
		for _, lf := range t.zhLegal[last] {
			if len(s) <= len(lf.form) || !strings.HasSuffix(s, lf.form) {
				continue
			}
			if lf.group {
				group = true
				if groupForm == "" {
					groupForm = lf.canonical
				}
			} else {
				if legal != "" {
					break outer
				}
				legal = lf.canonical
			}
			s = s[:len(s)-len(lf.form)]
			continue outer
		}
		break
	}
	if legal == "" {
		legal = groupForm
	}
	return s, legal, group
}

// branchMarkers end the name of a branch (分支机构): 中国银行股份有限公司北京市分行.
var branchMarkers = []string{"分公司", "分行", "支行", "分理处", "营业部", "营业所", "储蓄所",
	"办事处", "代表处", "分厂", "分店", "分部", "分所", "分社", "分院", "分中心"}

// branchLast holds the last characters of branchMarkers.
var branchLast = func() map[rune]bool {
	m := map[rune]bool{}
	for _, w := range branchMarkers {
		r, _ := utf8.DecodeLastRuneInString(w)
		m[r] = true
	}
	return m
}()

// branchHeads end the name of the firm a branch belongs to, where the branch's
// own words begin.
var branchHeads = []string{"公司", "银行", "保险", "集团", "合伙)", "事务所"}

// splitBranchZh splits a branch's name after the head firm's name: 招商银行股份有限公司
// 深圳分行 → 招商银行股份有限公司, 深圳分行; 中国工商银行北京分行 → 中国工商银行,
// 北京分行. A name that ends in a branch marker but names no head keeps its
// text, and the marker alone is the branch.
func splitBranchZh(s string) (head, branch string) {
	if last, _ := utf8.DecodeLastRuneInString(s); !branchLast[last] {
		return s, ""
	}
	marker := ""
	for _, m := range branchMarkers {
		if strings.HasSuffix(s, m) && len(s) > len(m) {
			marker = m
			break
		}
	}
	if marker == "" {
		return s, ""
	}
	body := s[:len(s)-len(marker)]
	p := -1
	for _, h := range branchHeads {
		if i := strings.LastIndex(body, h); i >= 0 && i+len(h) > p {
			p = i + len(h)
		}
	}
	if p <= 0 || utf8.RuneCountInString(s[p:]) > 20 {
		return body, marker
	}
	return s[:p], s[p:]
}

// noteWords are the contents of a trailing bracket that is a note on the record,
// not part of the name: 华为技术有限公司(已注销).
var noteWords = map[string]bool{"注销": true, "已注销": true, "吊销": true, "已吊销": true,
	"撤销": true, "已撤销": true, "存续": true, "在业": true, "开业": true, "迁出": true}

// splitNotes drops trailing bracketed notes: a status (已注销) or a former name
// ((原深圳市华为技术有限公司)).
func splitNotes(s string) string {
	for strings.HasSuffix(s, ")") {
		open := strings.LastIndexByte(s, '(')
		if open <= 0 {
			break
		}
		c := s[open+1 : len(s)-1]
		if !noteWords[c] && !strings.HasPrefix(c, "原") && !strings.HasPrefix(c, "曾用名") {
			break
		}
		s = strings.TrimRight(s[:open], " ")
	}
	return s
}

// SplitIndustry splits what is left of a Chinese name after its region and legal
// form into the trade name (字号) and the industry words that follow it (行业):
// 华为技术 → 华为, 技术; 腾讯计算机系统 → 腾讯, 计算机系统; 中芯国际集成电路制造 → 中芯国际,
// 集成电路制造; 大疆创新科技 → 大疆, 创新科技. Industry words (data/industry-zh.txt)
// are taken off the end, longest first, while at least two characters remain for
// the trade name; the split is a best effort, since the registration rules do not
// mark where the trade name ends. s is folded first.
func SplitIndustry(s string) (trade, industry string) {
	t := mustLoad()
	return t.splitIndustryZh(cleanZh(t.fold(s)))
}

// splitIndustryZh is SplitIndustry on cleaned text (see cleanZh).
func (t *tables) splitIndustryZh(s string) (trade, industry string) {
	end := t.stripIndustry(s, 2)
	return s[:end], s[end:]
}

// generic reports whether s is made of industry words only (银行, 航空, 集成电路),
// so that it is no trade name.
func (t *tables) generic(s string) bool {
	return s != "" && t.stripIndustry(s, 0) == 0
}

// stripIndustry takes industry words off the end of s, longest first, while at
// least keep runes remain, and returns where the remainder ends.
func (t *tables) stripIndustry(s string, keep int) int {
	n := utf8.RuneCountInString(s)
	end := len(s)
	for {
		// starts[k-1] is the byte offset k runes before end.
		var starts [16]int
		m := 0
		for i := end; i > 0 && m < min(len(starts), t.zhIndustryMax); m++ {
			_, size := utf8.DecodeLastRuneInString(s[:i])
			i -= size
			starts[m] = i
		}
		found := false
		for k := m; k >= 2; k-- {
			if n-k < keep || !t.zhIndustry[s[starts[k-1]:end]] {
				continue
			}
			end, n = starts[k-1], n-k
			found = true
			break
		}
		if !found {
			return end
		}
	}
}

// cleanZh keeps the letters, digits and Han characters of s: brackets,
// punctuation and spaces go (华润(集团) → 华润集团, A&B → ab).
func cleanZh(s string) string {
	clean := true
	for _, r := range s {
		if !isHan(r) && !isWordRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isHan(r) || isWordRune(r) {
			return r
		}
		return -1
	}, s)
}

// parseHan fills n from its folded Chinese (or mixed) name.
func (t *tables) parseHan(n *Name) {
	s := splitNotes(n.Folded)
	s, n.Branch = splitBranchZh(s)
	s, n.LegalForm, n.Group = t.splitLegalZh(s)
	region, regionText, s := t.splitRegionZh(s)
	rest := cleanZh(s)
	trade, industry := t.splitIndustryZh(rest)
	if region != nil && (trade == "" || t.generic(trade)) {
		// Nothing but industry words after the region (海南航空, 中国银行, 北京银行):
		// the region is the trade name.
		name := regionText
		if name == "" {
			name = region.Short
		}
		trade, industry = cleanZh(name), rest
	}
	n.TradeName = trade
	n.Industry = industry
	n.Key = trade + industry
	n.Pinyin = t.pinyin(trade)
	if region != nil {
		n.Region = region.Short
	}
}
