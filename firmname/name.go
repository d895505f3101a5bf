package firmname

import (
	"strings"

	"github.com/cipmap/cipmap/parse"
)

// Script is the writing system of a name.
type Script string

// Scripts.
const (
	None  Script = ""      // no letter at all: an empty or garbage name
	Han   Script = "zh"    // Chinese characters only (with digits and punctuation)
	Latin Script = "en"    // Latin letters (or other alphabets), no Chinese character
	Mixed Script = "mixed" // both: TCL科技集团, ABB(中国)有限公司; parsed as Chinese
)

// Name is a firm name taken apart. Parse fills it; the zero Name is the name of
// an empty or garbage input.
type Name struct {
	// Raw is the name as given.
	Raw string
	// Folded is Raw folded: full-width characters and brackets made ASCII, square
	// brackets round, spaces next to Chinese characters dropped, lower case,
	// traditional characters simplified. Parse(n.Folded) gives n again, but for
	// Raw.
	Folded string
	Script Script
	// Region is the administrative region the name carries at its start or in
	// brackets, as Region.Short (深圳, 北京, 中国 for 中国 and 国家 prefixes), or
	// written in Latin at the start of an English name; "" if none. LookupRegion
	// gives its province and code.
	Region string
	// TradeName is the 字号: 华为 in 华为技术有限公司, 百度网讯 in 北京百度网讯科技有限公司,
	// huawei in Huawei Technologies Co., Ltd., lower case. Where the name holds
	// nothing but a region and industry words (中国银行, 海南航空, Hainan Airlines),
	// the region is the trade name.
	TradeName string
	// Industry is the industry words after the trade name (技术, 计算机系统,
	// 集成电路制造; technology), a best effort: see SplitIndustry.
	Industry string
	// LegalForm is the canonical legal form: 有限公司, 股份有限公司, 公司, 有限合伙,
	// 普通合伙, ...; co-ltd, ltd, inc, corp, co, llc, plc, ...; or the group marker
	// when there is no legal form (集团, 控股, group, holdings). See SplitLegalForm.
	LegalForm string
	// Group is set when the name marks a group: 集团, (集团), 控股, Group, Holdings.
	Group bool
	// Branch is the branch part of a branch's name (北京分行 in 招商银行股份有限公司北京分行;
	// "beijing branch"); the other fields describe the head firm.
	Branch string
	// Tokens are the words of an English name without its region and legal form,
	// after ExpandAbbreviations and without "and", "of" and "the": [huawei
	// technology] for both HUAWEI TECH CO LTD and Huawei Technologies Co., Ltd.;
	// group markers stay ([haige communication group]). Nil for a Chinese name.
	Tokens []string
	// Pinyin is the pinyin of a Chinese trade name (see Pinyin): "hua wei", "chang
	// an"; "" for an English name.
	Pinyin string
	// Key is the name without region, legal form and group marker, for comparing:
	// TradeName + Industry for a Chinese name (华为技术), the Tokens without group
	// markers joined by spaces for an English one ("huawei technology").
	Key string
}

// Parse takes a firm name apart: it folds it (FoldWidthAndBrackets, lower case,
// Simplify), then, for a Chinese or mixed name, drops trailing notes ((已注销),
// (原...)), splits off a branch (SplitBranch), the legal form and group markers
// (SplitLegalForm), the region (SplitRegion) and the industry words
// (SplitIndustry), and reads the trade name's pinyin (Pinyin); for an English
// name it does the same on its words (Tokenize, ExpandAbbreviations). Parse never
// panics; input that is empty, a placeholder (parse.IsEmpty: "-", "N/A", "无") or
// without a letter gives a Name with only Raw set. It is safe for concurrent use.
func Parse(raw string) Name {
	n := Name{Raw: raw}
	t, err := load()
	if err != nil {
		return n
	}
	f := t.fold(raw)
	script := scriptOf(f)
	if script == None || len(f) <= 8 && parse.IsEmpty(f) {
		return n
	}
	n.Folded, n.Script = f, script
	if script == Latin {
		t.parseLatin(&n)
	} else {
		t.parseHan(&n)
	}
	return n
}

// SplitBranch splits the name of a branch (分支机构) into the head firm's name and
// the branch: 中国银行股份有限公司北京市分行 → 中国银行股份有限公司, 北京市分行; 中国工商银行
// 北京分行 → 中国工商银行, 北京分行; "Bank of China Limited Beijing Branch" → "bank of
// china limited", "beijing branch". A name that is no branch's comes back whole
// with branch "". s is folded first.
func SplitBranch(s string) (head, branch string) {
	t := mustLoad()
	f := t.fold(s)
	if scriptOf(f) == Latin {
		h, b := t.splitBranchEn(words(tokenize(f)))
		if b == nil {
			return f, ""
		}
		return strings.Join(h, " "), strings.Join(b, " ")
	}
	return splitBranchZh(f)
}

// LatinTradeName returns the trade name in Latin letters without spaces, the
// form in which names of either script are compared: the pinyin of a Chinese
// trade name ("huawei" for 华为, "changan" for 长安, "tcl" for TCL), or the
// trade name of an English one ("huawei", "baidunetcom").
func (n Name) LatinTradeName() string {
	if n.Script == Latin {
		return strings.ReplaceAll(n.TradeName, " ", "")
	}
	return strings.ReplaceAll(n.Pinyin, " ", "")
}
