package main

import (
	"context"
	"fmt"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/gen"
)

// GenCommand writes synthetic data files with their mapping files.
type GenCommand struct{ m *Main }

const genHelp = `Usage: cipmap gen KIND [--rows N] [--seed S] --out DIR

Writes a synthetic dataset and a mapping file that 'cipmap ingest' reads, for tests,
benchmarks and a demo without real data. The same seed gives the same files.
生成合成数据及其映射文件，用于测试和基准。

Kinds:
  financials  firm-year financials (a typed fact table): firm id, year, revenue and
              export revenue in 万元, loans, subsidies, employees
  firms       firm registry rows: name, credit code (valid check character), founding
              date, registered capital, region: five properties a row

Examples:
  cipmap gen firms --rows 1000000 --out /tmp/firms
  cipmap ingest /tmp/firms/mapping.yaml`

func (c *GenCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("gen", genHelp)
	rows := fs.Int("rows", 1000, "how many rows")
	seed := fs.Int64("seed", 1, "random seed")
	out := fs.String("out", "", "folder to write into (created)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *out == "" {
		fs.Usage()
		return errUsage
	}
	var mapping string
	switch pos[0] {
	case "financials":
		mapping, err = gen.Financials(*out, *rows, *seed)
	case "firms":
		mapping, err = gen.Firms(*out, *rows, *seed)
	default:
		return cipmap.Errorf(cipmap.EINVALID, "unknown kind %q: expected financials or firms", pos[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "wrote %d rows; ingest with: cipmap ingest %s\n", *rows, mapping)
	return nil
}
