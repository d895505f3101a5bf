// Package taxonomy is cipmap's registry of code systems and its crosswalk engine:
// every classification researchers use for industries, products and technologies,
// and conversions between them that lose nothing. A coarse or ambiguous code comes
// out as a weighted distribution over target codes, with the systems passed
// through, what was done where a code had no direct link, and the mass that reached
// no target at all.
//
//	reg, err := taxonomy.Default()
//	res, err := reg.Convert("hs2022", "8542.31", "gbt4754-2017")
//	// res.Path: [hs2022 hs2017 hscombined isic3 gbt4754-2002 gbt4754-2011 gbt4754-2017]
//	// res.Best, res.Distribution (weights sum to 1 - res.Unmapped), res.Steps
//
// # Code systems
//
// Default loads these from package refdata (sources and licences in
// refdata/NOTICE.md; CodeSystem.Source names the files):
//
//	hs2022        HS 2022: 21 sections (I-XXI), 97 chapters, 1,229 headings, 5,613 subheadings
//	hs2017        HS 2017 (UN Comtrade list), sections as in HS 2022
//	hscombined    the WITS "HS combined" subheadings (HS 1988/92 to HS 2007), headings implied
//	gbt4754-2017  GB/T 4754-2017: 20 sections, 97 divisions, 473 groups, 1,382 classes,
//	              Chinese names and the official notes (本门类包括…, ◇ 包括…, ◆ 不包括…)
//	gbt4754-2011  GB/T 4754-2011 (codes from the edition tables; class names from the
//	              standard's PDF, some truncated; no sections)
//	gbt4754-2002  GB/T 4754-2002 (codes only)
//	isic4, isic3  ISIC Rev.4 and Rev.3 with English names
//	isic31        ISIC Rev.3.1 (classes from the correspondences; no names)
//	sei2018       Strategic Emerging Industries 2018: 9 domains, 40 categories and the
//	              305 sub-categories named by the GB/T 4754-2017 links (below)
//	ipc           IPC 2016.01 groups (no titles) with implied sections, classes, subclasses
//	wipo35        WIPO's 35 technology fields in 5 sectors (I-V)
//	mic2025       the ten Made in China 2025 sectors (refdata/mic2025.yaml)
//	fyp14         the seven 14th Five-Year Plan frontier areas (package ctt)
//	ctt           CTT v1, cipmap's technology tags (package ctt): 10 domains,
//	              60 fields, 247 technologies, 71 sub-technologies
//
// CTT converts to SEI 2018, Made in China 2025 and the Five-Year Plan areas through
// its tags' links, and SEI 2018 converts to CTT (see registerCTT), so every system
// reaches CTT through SEI 2018: GB/T 4754-2017 through the official links, HS through
// GB/T 4754, IPC through CNIPA's concordance. That concordance lacks the H01L
// subclass (semiconductor devices); refdata/ipc-sei2018-supplement.csv, cipmap's
// own reading, fills it and names itself as the edges' source.
//
// IPC and the WIPO fields (72,000 codes and 35,000 links) are read on first use, so
// that Default takes about 150 ms (2 CPUs; CTT and its tagger are a third of it)
// and the first IPC conversion about 100 ms more. Registry.Notes lists rows of the built-in tables that name codes their
// systems lack; they are left out (the GB 2002 → ISIC Rev.3 table names 3922, 8513
// and a few others that ISIC Rev.3 does not have).
//
// # Codes as people write them
//
// Lookup, Normalize, Convert and ImportFile accept codes as they appear in data:
// HS "8504.40", "8504 40", "850440", a national line "85044000" (cut to its
// subheading), "10121" (a chapter 01-09 code whose leading zero a spreadsheet
// dropped) and full-width digits; GB/T 4754 and ISIC "3973" or "C3973" (the section
// letter must be the code's own); IPC "B25J 9/16", "B25J9/16", PATSTAT's
// "B25J   9/16" and "B25J0009160000", "B25J9" (main group 9/00), "b25j"; SEI "1.2.3".
// An IPC group that IPC 2016.01 lacks is accepted under its known subclass and
// converts through its nearest known ancestor. Any other unknown code is a
// cipmap.EINVALID error naming the system and at most five nearest valid codes:
// the codes under its nearest known ancestor, or else the codes of the same length,
// by edit distance and then numeric closeness (UnknownCodeError).
//
// # Crosswalks and weights
//
// A crosswalk edge gives the share of a source code's mass that goes to a target
// code (cipmap.CrosswalkEdge). Every table is stored in both directions, so that a
// conversion works backwards across splits and merges as well as forwards:
//
//   - Unweighted tables (HS 2022 ↔ 2017, GB editions, ISIC revisions, WITS,
//     GB 2002 → ISIC Rev.3) get structural weights in both directions
//     (WeightStructural): a pure split gives its parts equal shares, the reverse of
//     a split is a merge with weight 1, and in a many-to-many table a source sends
//     little of its mass to a target that many other codes also feed.
//   - Tables that share a code's mass equally over its links (GB/T 4754-2017 → SEI,
//     IPC → SEI) get cipmap.WeightEqual; their reverse splits a target's mass over
//     its sources in proportion to the forward shares.
//   - Edges from AddEdges and ImportFile keep their weights; the reverse is derived
//     as above unless edges of the reverse direction are added too.
//   - Partial flags (SEI's *, ISIC's partial columns) are kept on the edges and on
//     every target a partial edge reaches (Target.Partial).
//   - "No counterpart" is a target of its own (ISIC Rev.3.1 9600 → n/a, WITS
//     9999 "goods not elsewhere classified"): its mass is reported as unmapped.
//   - HS 2017 ↔ HS combined link the same code where both have it; HS 2017
//     subheadings created after 2007 convert through their heading.
//   - IPC → WIPO fields compiles the table's SQL LIKE patterns ("F21H%", "H04N   3%")
//     into subclass and main-group matches, the main group first.
//
// # SEI 2018 sub-categories
//
// The third level of sei2018 comes from the paths of gbt4754-2017-to-sei2018.csv,
// "新一代信息技术产业 > 电子核心产业 > 集成电路制造": the node's name is the path
// (spaces normalised) and its code is parent.n, n numbering the distinct last
// elements under that parent in code-point order of their names, which makes codes
// stable for the same data. The 251 rows with two-element paths (all 新材料产业,
// such as "新材料产业 > 油墨制造") skip the second level: the first element gives the
// domain, and the first rule of refdata/sei2018-placement.csv whose keyword the
// last element contains gives the category (油墨 → 3.3 先进石化化工新材料); the
// node's note names the rule. A path no rule matches goes directly under its domain
// as d.0.n (two today: 粉末、泡沫及多孔材料制造 and 高性能金属密封材料制造). The
// category name 新能源汽车相关服, cut short in sei2018-codes.csv, is completed from
// the paths.
//
// # Conversion
//
// Convert finds the shortest chain of systems linked by crosswalks (breadth-first,
// so a direct crosswalk wins; among chains of equal length, the one through systems
// registered earlier: HS, then GB/T 4754, then ISIC, so ISIC Rev.3 reaches
// GB/T 4754-2017 through China's own GB 2002 ↔ ISIC Rev.3 and edition tables even
// after the ISIC Rev.4 appendix is imported). ConvertPath takes a chain from the
// caller. At each step each code's mass is split over its edges (weights
// renormalised to sum to 1) and the masses reaching a target are summed. A code
// without edges of its own at a step is converted
//
//   - through its descendants (ViaDescendants) when it has children: the code is
//     an aggregate, its mass is spread over its leaves in equal shares and each leaf
//     goes through its nearest ancestor-or-self below the code that has edges (an HS
//     heading through its subheadings); leaves with none are unmapped;
//   - otherwise through its nearest ancestor with edges (ViaAncestor): the code
//     takes the coarser code's distribution (an IPC subgroup that the CNIPA table
//     does not list, an ISIC Rev.3 class the GB 2002 table leaves out);
//   - or not at all (Unmapped).
//
// Result.Steps records these routes and the mass lost at each step. ConvertMany
// converts each distinct code once: a million HS 2022 codes to GB/T 4754-2017 take
// about 0.25 s. Over all 5,613 HS 2022 subheadings the mean unmapped mass of that
// conversion is 1.4%, almost all of it WITS's "goods not elsewhere classified".
//
// # Adding systems and crosswalks
//
// AddSystem and AddEdges register further systems and edges (that is how CTT is
// registered); AddCrosswalk takes edges as ReadCrosswalkFile returns them or a
// store keeps them (cipmap crosswalk import and learn); ImportFile reads a crosswalk CSV at run time, such as the
// GB/T 4754-2017 → ISIC Rev.4 appendix that cipmap may not ship. Default's
// registry is shared by all its callers; Load returns a private one.
package taxonomy
