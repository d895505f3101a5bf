// Package tagger turns free text (policy titles, business scopes 经营范围,
// investment sector labels, patent titles, product names), in Chinese or English,
// into weighted technology tags with evidence: which words of the text counted for
// which tag, at which byte offsets.
//
// It depends on the root package only: New takes the tag tree as []*cipmap.Tag (the
// CTT tags of package ctt, or any tree of the same shape) and builds the matcher
// once; Tag, TagMany and Aggregate are safe for concurrent use.
//
//	tg, err := tagger.New(std.Tags, tagger.Options{})
//	r := tg.Tag("工業機器人用精密減速器")
//	// r.Tags: [{robots.industrial.reducers 1 [工业机器人 0:15, 精密减速器 18:33]}]
//
// # Folding
//
// The tag words and the text are folded alike before matching (Tagger.Fold shows
// the result), and every folded rune remembers the span of the original it came
// from, so evidence points into the text as given:
//
//  1. Unicode NFKC (full-width ＡＩ → AI, （ → (), lower case, invisible characters
//     dropped, whitespace runs made one space (none between two Han characters, a
//     line break where the run held one); see foldBasic;
//  2. traditional → simplified Chinese at phrase level (臺灣 → 台湾, 積體電路 →
//     集成电路), by the built-in converter or Options.Simplifier; see Builtin;
//  3. ASCII hyphens between words made spaces and English words made singular one
//     by one (batteries → battery, processes → process, but gas, bus, analysis);
//     see FoldPlural.
//
// # Matching
//
// All words (keywords, synonyms and names, every language) are in one trie over
// folded runes, scanned leftmost-longest without overlaps: in 工业机器人用精密减速器
// the matches are 工业机器人 and 精密减速器, not 机器人 or 减速器. Chinese needs no
// segmentation. A word that begins or ends with a Latin letter or digit matches
// only at a word boundary there ("ai" is not in "said", "ev" not in "every", "5g"
// is in "5G基站"). See dict.longest for why this is a plain trie walk rather than
// Aho–Corasick.
//
// Negation: after 不包括, 不包含, 不含, 不涉及, 不从事, 不得从事, "excluding",
// "except", "not including" and "other than", up to the end of the clause, and
// before a clause-final 除外 back to the start of the clause, words are not
// evidence (negationScopes). Exclusions: when an exclusion term of a tag occurs
// outside a negation scope, the tag's matches are dropped.
//
// # Weights, inner nodes and confidence
//
// A tag's weight is proportional to the length of its matched words (a Han
// character counts 1, a Latin letter or digit 1/3), normalised to sum to 1. A
// matched tag that is an ancestor of another matched tag is dropped and its length
// and evidence go to the more specific tag. A matched tag with children (a coarse
// label such as 新能源 or "hard tech") stays as it is and gets an InnerNode, its
// distribution over its children: equal shares, or those of SetChildWeights.
// Result.Confidence is (0.5 + 0.5·coverage)·min(1, 2·top weight), where coverage is
// the share of the folded text the matched words cover (see confidence).
//
// Aggregate counts results by tag: Count is the sum of weights (each text counts
// once in all), Lower the texts that are only that tag, Upper the texts where it
// appears at all; with a roll-up function ancestors are credited too.
//
// # Traditional Chinese
//
// The built-in converter reads OpenCC's dictionaries (TSCharacters, TSPhrases and
// the Taiwanese terms of TWPhrasesRev), embedded with their licence (NOTICE.md),
// and cipmap's own phrase list (data/phrases.txt), and converts longest match
// first as OpenCC does. It is used rather than the Go port of OpenCC
// (github.com/longbridgeapp/opencc) because the tagger needs the position in the
// original of every converted character, which OpenCC's Convert does not give,
// and because a text with no traditional character (nearly all) costs one bitmap
// test a character here, where OpenCC's Convert took about 14 µs for an
// 18-character title on this machine.
//
// # Speed
//
// Folding and matching work on runes with a fast path for CJK ideographs and
// bitmaps that let most characters through with one test; TagMany tags on all
// processors and takes the results' slices from shared blocks. On the 2-core
// machine this was written on, a label of 10–30 characters takes about 1.5 µs on
// one core, and scripts/bench-tag.sh, on 1,000,000 generated labels, puts the
// tagger at 2.4–2.9 times the time of `grep -F -c -f keywords.txt labels.txt` on
// both cores (4–5 times on one), while grep only counts lines.
package tagger
