package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/resolve"
)

// MatchCommand matches one firm record against the database.
type MatchCommand struct{ m *Main }

const matchHelp = `Usage: cipmap match NAME [--uscc CODE] [--region R] [--founded DATE] [--legal-rep NAME] [--limit 10]

Finds the firms in the database most likely to be the one you describe: records with
the same valid identifier first, then the records that share a blocking key with
the name (trade name, pinyin or Latin name), scored with the model of the last
'cipmap resolve' run (or, before any, with u estimated from the data). One row per
firm (cluster), most probable first, with the comparisons that decided it.
Chinese and English names both work: 华为技术有限公司, "HUAWEI TECH CO LTD".
在数据库中查找与给定名称（及信用代码、地区等）最可能为同一企业的记录，附匹配解释。

Examples:
  cipmap match 华为技术有限公司
  cipmap match "Huawei Technologies Co., Ltd." --region 深圳
  cipmap match --uscc 914403001922038216 华为`

func (c *MatchCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("match", matchHelp)
	var f readFlags
	var q resolve.Record
	uscc := fs.String("uscc", "", "unified social credit code")
	fs.StringVar(&q.LEI, "lei", "", "LEI")
	fs.StringVar(&q.Region, "region", "", "province, city or GB/T 2260 code")
	fs.StringVar(&q.Founded, "founded", "", "founding date, YYYY-MM-DD or YYYY")
	fs.StringVar(&q.LegalRep, "legal-rep", "", "legal representative")
	fs.StringVar(&q.Address, "address", "", "registered address")
	limit := fs.Int("limit", 10, "at most this many firms")
	pos, err := f.parse(c.m, fs, args, nil)
	if err != nil {
		return err
	}
	if len(pos) == 0 && *uscc == "" && q.LEI == "" {
		fs.Usage()
		return errUsage
	}
	if len(pos) > 0 {
		q.Names = []string{strings.Join(pos, " ")}
	}
	if *uscc != "" {
		q.Add(&cipmap.Statement{Property: "uscc", Value: *uscc})
		if q.USCC == "" {
			fmt.Fprintf(c.m.Stderr, "--uscc %s is not a valid unified social credit code: not used\n", *uscc)
		}
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	start := time.Now()
	ix, err := loadIndex(ctx, st)
	if err != nil {
		return err
	}
	built := time.Since(start)
	t := time.Now()
	cands := ix.Match(q, *limit)
	took := time.Since(t)
	fmt.Fprintf(c.m.Stderr, "%d records indexed in %v; match took %v\n", ix.Len(), built.Round(time.Millisecond), took.Round(time.Microsecond))
	if f.format == "json" {
		return writeJSON(c.m.Stdout, cands)
	}
	var rows [][]string
	for i, cd := range cands {
		rows = append(rows, []string{fmt.Sprint(i + 1), cd.ClusterID, cd.ID, strings.Join(cd.Names, " | "), cd.Dataset,
			fmt.Sprintf("%.4f", cd.Probability), cd.Method, cd.Explanation})
	}
	if len(rows) == 0 {
		fmt.Fprintln(c.m.Stderr, "no candidate: no record shares an identifier or a blocking key with the query")
	}
	return writeRows(c.m.Stdout, f.format, []string{"rank", "firm", "record", "names", "dataset", "probability", "method", "explanation"}, rows)
}

// loadIndex builds a match index over the database's firm records, with the model
// and clusters of the last resolve run if there was one.
func loadIndex(ctx context.Context, st cipmap.Store) (*resolve.Index, error) {
	recs, err := loadFirmRecords(ctx, st)
	if err != nil {
		return nil, err
	}
	return loadIndexFrom(ctx, st, recs)
}

// loadIndexFrom builds the match index over records already read.
func loadIndexFrom(ctx context.Context, st cipmap.Store, recs []resolve.Record) (*resolve.Index, error) {
	if len(recs) == 0 {
		return nil, cipmap.Errorf(cipmap.ENOTFOUND, "no Firm records in the database: ingest some first")
	}
	clusters, err := loadClusters(ctx, st)
	if err != nil {
		return nil, err
	}
	var model *resolve.Model
	if ds, err := st.Dataset(ctx, resolveDataset); err == nil && ds.Params != "" {
		model = new(resolve.Model)
		if err := json.Unmarshal([]byte(ds.Params), model); err != nil {
			return nil, cipmap.WrapError(cipmap.EINTERNAL, err, "the stored match model")
		}
	}
	return resolve.NewIndex(recs, model, clusters, 1), nil
}
