// Package resolve decides which firm records are the same firm: the same
// registered entity written as 华为技术有限公司, 華為技術有限公司, HUAWEI TECH CO LTD or
// Huawei Technologies Co., Ltd., in datasets that share no key.
//
// Resolve works in five steps, each reported in Stats:
//
//  1. Prepare: every name is parsed by package firmname into its region, trade name
//     (字号), industry word and legal form, with the pinyin of a Chinese trade name;
//     identifiers are validated (an invalid one is never a key); the region comes
//     from the record's province, city or region, else from the administrative
//     division in its credit code, else from its names.
//  2. Identifiers: records that share a valid unified social credit code (or the
//     organisation code inside it), LEI or stock code are linked outright.
//  3. Blocking: records are compared only with those that share a key: a Chinese
//     trade name, the Latin form of a name (the pinyin of 华为 meets HUAWEI), a Latin
//     name's token key, or the province with the first two characters of a trade
//     name. A block larger than Options.MaxBlock (a trade name many firms share) is
//     compared by sorted neighbourhood, so the cost grows near-linearly.
//  4. Scoring (Fellegi-Sunter, as Splink does it): each candidate pair gets a level
//     on five comparisons (name, region, founding date, legal representative and
//     address; missing data gives a null level that counts for
//     nothing). u, the chance of each level among non-matches, is estimated from
//     random pairs; m, among matches, and the prior by expectation-maximisation on
//     the candidate pairs. A pair's match weight is the sum of log2(m/u) over its
//     levels and the prior; its probability follows.
//  5. Clustering: links are taken strongest first (judgements "same", identifiers,
//     then pairs at or above Options.Threshold) into a union-find that refuses a
//     merge joining two different valid credit codes or two records a reviewer
//     judged different. A cluster keeps the id an earlier run gave most of its
//     records (Options.Previous), so ids are stable as data is re-run or grows.
//
// Every record's ClusterMember row names the link that put it in its cluster, its
// probability and its explanation: each comparison with its level and weight in
// bits. Pairs in the uncertain band go to Result.Review for cipmap review.
//
// Index answers one-record queries (cipmap match) with the same comparisons and a
// stored model. Evaluate scores a clustering against the truth: pairwise and
// B-cubed precision, recall and F1.
package resolve
