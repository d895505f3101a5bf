// Package firmname takes Chinese and English firm names apart, so that the
// names one firm is written under in different datasets can be compared: its
// registered name (深圳市腾讯计算机系统有限公司), a traditional or full-width copy of
// it, and its English names (Shenzhen Tencent Computer Systems Co., Ltd.; TENCENT
// COMP SYS CO LTD).
//
//	n := firmname.Parse("中芯国际集成电路制造（上海）有限公司")
//	// n.Region "上海", n.TradeName "中芯国际", n.Industry "集成电路制造",
//	// n.LegalForm "有限公司", n.Pinyin "zhong xin guo ji", n.Key "中芯国际集成电路制造"
//	e := firmname.Parse("GUANGZHOU HAIGE COMM GRP")
//	// e.Region "广州", e.TradeName "haige", e.Tokens [haige communication group],
//	// e.LegalForm "group", e.Group true, e.Key "haige communication"
//
// A Chinese firm name is, by the registration rules (企业名称登记管理规定), a region
// (行政区划), a trade name (字号), an industry (行业) and a legal form (组织形式):
// 深圳市 腾讯 计算机系统 有限公司; since 2021 the region may also stand in brackets
// after the trade name or the industry (航天华明科技（北京）有限公司). Parse finds the
// four parts; Name.Key, the trade name and industry without region and legal form,
// is the part that identifies the firm. Parse is called once per record when
// millions of records are matched, so it is fast (see Speed), never panics, and is
// safe for concurrent use. Input without a letter, or a placeholder such as "-" or
// 无, gives an empty Name.
//
// # Steps
//
// Each step is a function of its own, documented and tested, that can be called
// alone; Parse runs them in this order.
//
//  1. FoldWidthAndBrackets: Unicode NFKC (full-width ＨＵＡＷＥＩ and （ ） become
//     ASCII), 【】 and [] made (), spaces next to Chinese characters dropped;
//     then lower case.
//  2. Simplify: traditional → simplified at phrase level (華為技術 → 华为技术), by
//     the converter of package tagger (OpenCC's tables).
//  3. Notes in trailing brackets are dropped ((已注销), (原…)), and SplitBranch
//     splits a branch's name from its head firm's (招商银行股份有限公司深圳分行).
//  4. SplitLegalForm: legal forms (有限公司, 有限责任公司, 股份有限公司, (有限合伙),
//     Co., Ltd., Inc., Corp., Limited, ...) and group markers (集团, 控股, Group,
//     Holdings), from data/legal-forms.tsv, canonical forms in Name.LegalForm.
//  5. SplitRegion: a province, prefecture or listed county-level unit at the start,
//     with or without its suffix (深圳市, 深圳, 广东省深圳市, 北京市海淀区), or in brackets
//     anywhere ((北京), (中国)); in English, a Latin form at the start or in
//     brackets (Guangzhou, Hong Kong, (Shenzhen)).
//  6. SplitIndustry: industry words (技术, 科技, 计算机系统, 集成电路制造) from the end
//     of what is left, longest first, leaving at least two characters of trade
//     name. English names: Tokenize, ExpandAbbreviations (TECH → technology, COMM →
//     communication, GRP → group, SRVCES → service, INTL → international, ELEC →
//     electronic; plurals made singular), and the trade name is the run of words
//     before the first industry word.
//  7. Pinyin of the Chinese trade name, with a reviewed table of polyphonic words
//     (重庆 chong qing, 银行 yin hang, 长江 chang jiang, 长安 chang an, 厦门 xia men,
//     六安 lu an), since character-by-character pinyin reads 重庆 zhong qing.
//
// A name made only of a region and industry words (中国银行, 海南航空, 重庆银行) has
// no trade name apart from its region, and the region, as written, is taken as
// the trade name, so that Key stays 中国银行 rather than 银行. 中国 and 国家 at the
// start of a name count as the region 中国.
//
// # Comparing across scripts
//
// CompareCrossScript scores, from 0 to 1, how well two names' trade names agree
// when written in Latin letters (Name.LatinTradeName): 华为技术有限公司 against HUAWEI
// TECH CO LTD scores 1, 重庆长安汽车 against Chongqing Changan Automobile 1. It
// detects transliteration only: an English name that translates the Chinese one
// (Semiconductor Manufacturing International for 中芯国际, Bank of China for 中国银行),
// an initialism (SMIC, ZTE) or a brand spelling (Tencent for 腾讯) scores low, so a
// low score is no evidence that two names differ.
//
// # Regions and division codes
//
// data/regions.tsv lists China as a whole, the 34 province-level units, all 333
// prefecture-level units (地级市, 地区, 自治州, 盟) with their 4-digit GB/T 2260 codes,
// the province-administered county-level units and a few county-level cities that
// many firm names carry (昆山, 义乌, 晋江) with 6-digit codes, and Taiwan's main
// cities (no code). Each has its short form, its province and city, and the Latin
// form English names use (shenzhen, xian, shaanxi, inner mongolia, hong kong), with
// older romanisations as aliases (peking, tsingtao, amoy, kweichow). The codes and
// names were written from GB/T 2260 as the Ministry of Civil Affairs publishes it
// (2023) and checked line by line against a published copy of that list; a test
// checks the counts, that every code lies inside its province's, and that the
// pinyin of every name agrees with its Latin form.
//
// LookupRegion reads a province or city column in any of its forms (广东省, 广东,
// Guangdong, 廣東, "44", "4403"). RegionOfDivision decodes an administrative division
// code, such as characters 3-8 of a unified social credit code, to the most specific
// region known (440305 → 深圳市, 110108 → 北京市, 4499xx → 广东省); former codes that
// older credit codes carry are read as today's unit (3712 莱芜 → 济南).
// ProvinceOfDivision and ProvinceCode decode the first two digits to the province.
//
// # Data files
//
// The tables are data, embedded from data/ and read on first use (about 10 ms):
//
//	regions.tsv            regions, codes, Latin forms (see above)
//	legal-forms.tsv        legal forms and group markers, Chinese and English
//	industry-zh.txt        industry words that end a Chinese name
//	industry-en.txt        industry words of English names
//	abbreviations.tsv      English abbreviations and the one form each becomes
//	pinyin-overrides.tsv   readings of polyphonic words and characters
//	not-regions.txt        words that begin with a region's name but are none (大理石)
//
// Each file says in its header how it is read and which choices it makes; all were
// written for cipmap and are part of it, under its licence. testdata/names.txt
// holds real firm names and testdata/names.golden Parse's output on them
// (refresh with go test -run TestGolden -update, and review the diff).
//
// # Dependencies
//
// Package parse gives Fold, the folding of every cipmap value, and package tagger
// the traditional → simplified converter (Builtin, with OpenCC's dictionaries,
// Apache License 2.0, see tagger/NOTICE.md) and FoldPlural; firmname uses them
// rather than a second copy. github.com/mozillazg/go-pinyin (MIT licence; its
// dictionary comes from the pinyin-data project, MIT) gives the reading of every
// character; its functions, which strip tones with regular expressions for each
// character, are not used: its dictionary is read once into a table, and phrases
// are read with pinyin-overrides.tsv, since go-pinyin reads character by character.
//
// # Speed
//
// BenchmarkParse parses real names: a mix of Chinese registered names (some with
// full-width brackets), a traditional one and English ones, and each kind alone;
// it also reports the time against parse.Fold alone on the same names (x-fold).
// On the 2-core machine this was written on, whose speed varies by up to half
// from run to run, one core took apart 280,000-390,000 names a second from the
// mix (2.6-3.6 µs a name, 5 allocations, about 3 times parse.Fold), 360,000-
// 420,000 Chinese names, 240,000-300,000 English names and 100,000-125,000
// traditional ones (the converter dominates), so 1,000,000 records take 3 to 4
// seconds. A name that is already folded and simplified, the common case, is
// checked in one pass and not copied; one written with full-width brackets or
// letters takes a second pass without Unicode tables; only other text goes
// through NFKC, and only text with a traditional character through the converter
// (FuzzFold checks that the fast paths agree with the full folding).
//
// # Known weaknesses
//
//   - The industry split is a best effort: the rules do not mark where a trade
//     name ends. A trade name that ends in an industry word loses it (交通银行
//     keeps 交通 only because two characters must remain), and a compound
//     industry not in the list stays in the trade name (长江存储 for 长江存储科技).
//   - Regions: counties and districts are known only when listed or when written
//     with their suffix after a known region (北京市海淀区); a trade name that is a
//     region's name (朝阳科技) is read as that region (Key is unaffected, as the
//     region then becomes the trade name). Latin names shared by two prefectures
//     are not read as a region (Taizhou, Yichun, Yulin); Suzhou and Fuzhou are
//     read as 苏州 and 福州. Abbreviations such as SZ (Shenzhen) are not read.
//   - Simplify uses tagger's converter, which also replaces Taiwanese terms in a
//     traditional text with mainland ones: 台灣積體電路製造 becomes 台湾集成电路制造,
//     while mainland sources write TSMC's registered name 台湾积体电路制造.
//   - Pinyin: polyphonic characters outside the table take the dictionary's first
//     reading; surnames in trade names (曾, 单, 区 read zeng, shan, ou) are not
//     handled.
//   - Cross-script comparison sees transliteration in Hanyu Pinyin only:
//     Cantonese and Wade-Giles spellings (Cheung Kong for 长江), brand spellings
//     and initialisms score low.
//   - English: a final co, company or sa is always taken as a legal form; ELEC is
//     read as electronic (it also abbreviates electric); "and", "of" and "the" are
//     dropped. A name that mixes scripts is parsed with the Chinese rules, so an
//     English name followed by its Chinese name in brackets is not split.
package firmname
