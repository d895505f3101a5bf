// Package refdata holds cipmap's built-in reference tables: code lists and
// crosswalks of public classifications (HS, GB/T 4754, ISIC, IPC, WIPO's technology
// fields, SEI 2018) and two small files written for cipmap (Made in China 2025
// sectors, SEI 2018 placement rules), embedded in the binary.
//
// Third-party tables are copies of the files in the project's shared data folder
// whose data README marks them "product: yes", unchanged in content and gzipped to
// keep the repository and the binary small; Open decompresses them. The one file
// that is not a plain copy, hs2022-hs2017-correlations.csv, holds the cells of the
// correlation sheet of the UN's HS 2022 ↔ HS 2017 XLSX as CSV, so that loading it
// takes milliseconds instead of a quarter of a second in an XLSX reader; a test
// checks it cell by cell against the XLSX.
//
// manifest.csv names, for every file, its source repository, commit, path and
// licence (NOTICE.md says the same for people). Files returns it. Tables marked
// "product: no" in the data README, such as the GB/T 4754-2017 → ISIC Rev.4
// appendix, are not here: users load them at run time (taxonomy.Registry.ImportFile).
//
// To refresh the copies from ../shared/data/classifications after a data update:
//
//	go test ./refdata -run TestCopies -update
package refdata
