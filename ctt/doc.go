// Package ctt holds CTT, cipmap's technology tag standard, and loads it.
//
// CTT is a tree of cipmap.Tag: ten domains (the nine domains of the Strategic
// Emerging Industries classification, SEI 2018, and traditional-industry), their
// fields (one for each of the 40 SEI categories, and others such as semiconductors,
// artificial intelligence, quantum information or steel), technologies and
// sub-technologies, four levels at most. Each tag has names and a definition in
// Chinese and English, the keywords and synonyms that find it in text, exclusions,
// and links to SEI 2018, the Made in China 2025 sectors and the 14th Five-Year Plan
// frontier areas. The tags are data: one YAML file per domain in v1/, embedded, with
// their conventions in v1/README.md.
//
//	std, err := ctt.Load()
//	for _, t := range std.Path("servo-motors") {
//		fmt.Println(t.Level, t.ID, t.Name.ZH)
//	}
//	// 1 high-end-equipment 高端装备制造
//	// 2 smart-manufacturing-equipment 智能制造装备
//	// 3 industrial-robots 工业机器人
//	// 4 servo-motors 伺服电机
//
// The tagger (package tagger) takes std.Tags as they are.
//
// # Validation
//
// Load parses the files strictly and rejects the standard with an error of code
// cipmap.EINVALID that lists every problem, each with its file, line and tag id:
// unknown or duplicate keys, ids that are not ASCII slugs or appear twice, parents
// that do not come earlier, levels deeper than MaxLevel, missing names or
// definitions, tags without a Chinese and an English keyword, words repeated within
// a tag, Chinese words without a Chinese character, English words with capitals,
// and links to unknown systems or codes. Parse applies the checks that need one file
// only, so a contributor can check a file on its own.
//
// The codes that links may name are reference data too: sei2018-codes.csv, copied
// from the project's shared data (source and licence in NOTICE.md), and
// systems.yaml for the MIC 2025 and 14th Five-Year Plan lists; Systems and Codes
// return them.
package ctt
