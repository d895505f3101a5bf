// Package policy reads the identifying parts of Chinese policy documents and the
// instruments they use: the first step from a policy to the firms it reaches.
//
// It does three things, each driven by versioned data files embedded from data/
// (reference data is data, not Go literals):
//
//   - ParseDocNumber reads a document number (文号) such as 国发〔2015〕28号,
//     工信部联规〔2026〕186号, 国令第843号 or 财政部 税务总局公告2026年第19号 into
//     its issuer code, the abbreviation it begins with and the body that stands
//     for (data/issuer-abbreviations.tsv: central ministries and bureaus, the 31
//     provincial governments and their offices, a few large cities), the joint
//     flag (联), office and document-type marker (规, 函, 明电), year and serial.
//     Bracket variants, full-width digits and stray spaces are folded; parts that
//     are absent (2026年第47号 has no issuer, 第37号 no year) are reported in
//     DocNumber.Known rather than guessed. A number that cannot be read returns a
//     cipmap.EINVALID error naming the value and the forms expected; callers keep
//     the raw text with a warning rather than dropping the record.
//
//   - IssuerLevel infers the tier of government (central, provincial, municipal,
//     county) and the GB/T 2260 region of an issuer name such as 国务院办公厅,
//     广东省人民政府, 深圳市科技创新委员会 or 浦东新区人民政府, splitting joint
//     issuers, and says which rule decided (data/central-bodies.tsv,
//     data/regions.tsv).
//
//   - TagInstruments finds the policy instruments a text uses, on cipmap's
//     instrument taxonomy (data/instruments.tsv): guidance-fund equity, subsidies,
//     tax relief, credit, procurement and set-asides, the listing channel, asset
//     securitisation, land, talent, standards, local content, export controls and
//     a few more, each placed in a chapter of UNCTAD's MAST classification as
//     Global Trade Alert uses it. Matching is dictionary longest-match over folded
//     text, with exclusions and sentence-scoped negation (data/negation.tsv); each
//     tag carries its evidence (keyword, byte offset, matched text) and a simple
//     confidence score.
//
// The package depends on the root package and the standard library only. Its
// tables are read once, on first use, and every function is safe for concurrent
// use. Text is folded with a small built-in width fold (no NFKC and no
// traditional-to-simplified conversion, which live elsewhere in cipmap); callers
// with traditional text should simplify it first.
package policy
