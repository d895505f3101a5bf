// Package tageval measures how well the CTT tagger finds the codes a text should
// get: precision, recall and F1 at each level of a code system, the share of texts
// whose top domain is right, and which domains it confuses. It is what
// `cipmap tag eval` runs, and it ships an evaluation set built from real data: the
// official notes of the GB/T 4754-2017 classes, scored against their official SEI
// 2018 links.
//
//	cases, err := tageval.Open("gbt4754-notes", reg) // or a file: tageval.ReadFile
//	rep, err := tageval.Evaluate(cases, tg, reg, tageval.Options{}) // SEI 2018
//	fmt.Println(rep.DomainAccuracy, rep.Levels[0].F1)
//
// # Evaluation files
//
// An evaluation file is UTF-8 text, tab-separated (TSV) when its first line holds
// a tab and comma-separated (CSV) otherwise, with a header line naming its columns
// in any order:
//
//	id        a name for the case, unique in the file
//	text      the text to tag
//	expected  the codes the text should get, system:code separated by ";", such as
//	          sei2018:1.2.3;sei2018:2.1, ctt:industrial-robots, gbt4754-2017:3491;
//	          empty when the text should get no code (a negative example)
//	group     optional: a label by which the report also scores subsets of cases
//
// Other columns are ignored. A field holding the separator, a line break or a double
// quote is quoted as in RFC 4180 ("a ""quoted"" word"); a case's text may so span
// lines. Codes are written as the registry accepts them (taxonomy.Registry.Lookup:
// "C3491" or "3491", "B25J 9/16") and every one is checked: an unknown system or
// code, a missing column, an empty or repeated id, an empty text, a line with too
// many or too few fields is an error of code cipmap.EINVALID that names the file,
// line, column, value and what was expected.
//
// # Scoring
//
// Each text is tagged with CTT tags (weights summing to 1). The tags are converted
// to the system scored (Options.System, SEI 2018 by default) with the registry,
// each tag's weight spread over its conversion (taxonomy.Registry.Convert); weight
// that reaches no code (a traditional-industry tag without SEI link) is unmapped.
// When the system scored is CTT, the tags are the prediction. An expected code of
// another system stands for every code its conversion reaches (gbt4754-2017:3491
// expects the SEI codes that class links to; a class without links expects none).
//
// At each level of the system (SEI 2018: domain "2", category "2.1",
// sub-category "2.1.1"; CTT: domain, field, technology, sub-technology), expected
// and predicted codes are cut to that level, the predicted weights summed. The
// predicted codes at a level are the one with the largest weight and every other
// whose weight is at least Options.MinWeight (DefaultMinWeight, 0.2): a text that
// is mostly about one thing predicts that thing, and a text about two things
// predicts both. A code coarser than the level (a tag linked to an SEI domain only;
// every CTT tag links to SEI categories at most, so nothing is predicted at SEI's
// third level) is no prediction there, and a case whose expected codes are all
// coarser than the level is not scored there. Precision, recall and F1 are
// micro-averaged over the cases: true positives are predicted codes that are
// expected, false positives predicted codes that are not (every code predicted for
// a negative case is one), false negatives expected codes not predicted.
//
// Besides these:
//
//   - domain accuracy: the share of the cases that expect a code whose top domain
//     (the level-1 code with the largest predicted weight) is one of their expected
//     domains;
//   - negative accuracy: the share of the negative cases that got no code;
//   - coverage: the share of cases that got any CTT tag;
//   - the confusion table by domain: each case once, in the row of its expected
//     domain (none for a negative case; for a case with several expected domains,
//     the top domain when it is one of them, else the one that most of its expected
//     codes are in) and the column of its top domain (none when it got no code); and
//     the worst-confused pairs of domains, the largest cells off the diagonal.
//
// Report.Results holds every case with its expected and predicted codes at each level
// and its tags with their evidence, to see each miss.
//
// # The GB/T 4754-2017 notes sets
//
// sets/gbt4754-2017-notes.tsv (built-in name "gbt4754-notes") has one case for each
// of the 1,382 GB/T 4754-2017 classes: the text is the class's name and its
// official note ("◇ 包括下列…活动：— …"), as the registry holds them (source:
// industry_tree_advanced.json, see refdata/NOTICE.md), without the "◆ 不包括" part,
// which lists other classes by name; the expected codes are the class's official
// SEI 2018 links, group "full" or "partial" (at least one link is partial, SEI's *),
// and none for the 913 classes without a link (group "none"), so that precision
// counts tags given where SEI sees no strategic emerging industry. The text never
// holds SEI's names.
//
// In that source, nearly a quarter of the lines of the notes' inclusion parts
// (3,634 of 15,083, in 299 classes) repeat word for word the key products that SEI
// 2018 lists for the class's links ("— 新能源汽车轮毂电机" under 3812 电动机制造),
// which tells a tagger part of the answer.
// sets/gbt4754-2017-notes-own.tsv ("gbt4754-notes-own") is the same set without
// those lines: what the GB/T 4754 text alone says.
//
// GBNotesCases generates both from the registry, and a test checks that the
// committed files are what it generates now (go test -run TestSetsAreGenerated
// -update rewrites them). The score is `cipmap tag eval gbt4754-notes`; the figures
// measured are in sets/README.md.
package tageval
