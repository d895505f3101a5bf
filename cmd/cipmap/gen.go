package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/gen"
)

// GenCommand writes synthetic data files with their mapping files.
type GenCommand struct{ m *Main }

const genHelp = `Usage: cipmap gen KIND [--rows N] [--seed S] --out DIR
       cipmap gen world [--firms N] [--records M] [--edges-per-firm K] [--policy [--patents P] [--flows F]] [--seed S] --out DIR

Writes a synthetic dataset and a mapping file that 'cipmap ingest' reads, for tests,
benchmarks and a demo without real data. The same seed gives the same files.
生成合成数据及其映射文件，用于测试和基准。

Kinds:
  financials  firm-year financials (a typed fact table): firm id, year, revenue and
              export revenue in 万元, loans, subsidies, employees
  firms       firm registry rows: name, credit code (valid check character), founding
              date, registered capital, region: five properties a row
  world       a registry of firms, persons, SOE groups and ownership, noisy source
              extracts of the same firms, and the truth: see 'cipmap gen world -h'

Examples:
  cipmap gen firms --rows 1000000 --out /tmp/firms
  cipmap ingest /tmp/firms/mapping.yaml
  cipmap gen world --firms 300000 --records 1000000 --out /tmp/world`

func (c *GenCommand) Run(ctx context.Context, args []string) error {
	if len(args) > 0 && args[0] == "world" {
		return c.world(ctx, args[1:])
	}
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
		return cipmap.Errorf(cipmap.EINVALID, "unknown kind %q: expected financials, firms or world", pos[0])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(c.m.Stdout, "wrote %d rows; ingest with: cipmap ingest %s\n", *rows, mapping)
	return nil
}

const genWorldHelp = `Usage: cipmap gen world [--firms N] [--records M] [--edges-per-firm K] [--policy [--patents P] [--flows F]]
                        [--seed S] --out DIR [--format table|json|csv]

Writes a synthetic world of Chinese firms for tests and benchmarks of resolution and
ownership look-through, with the truth kept apart:

  registry/       the clean registry: firms (Chinese names built as region + trade
                  name + industry word + legal form, English and short names for a
                  share, previous names of renamed firms, valid credit codes with the
                  province of the firm's region, GB/T 4754-2017 industry), foreign
                  shareholders, persons, government bodies (国务院国资委, provincial and
                  municipal 国资委, 财政部, 中央汇金), directorships with interlocks,
                  and ownership: SOE groups several levels deep under their SASAC,
                  cross-holdings, private firms held by persons, funds and foreign firms
  sources/        noisy extracts of the same firms (procurement, patents, investments,
                  listings): typos, traditional characters, missing or other legal
                  forms, dropped or wrong regions, English-only and pinyin-only names,
                  old and short names, mistyped credit codes
  truth/records.csv   each record's entity id, source line, true firm and noise
  mapping-*.yaml  one mapping per dataset, for 'cipmap ingest'

With --policy, the policy layer on the same firms (the files above do not change):

  state/          government bodies (ministries, provincial and municipal governments
                  and departments), policy banks, policies (titles, document numbers
                  such as 国发〔2015〕28号 and 工信部联规〔2021〕12号, issuers, level,
                  region, text naming technologies and instruments) with their issuers
                  and CTT tag and instrument targets, programs (Made in China 2025, Big
                  Fund phases, 专精特新 little giants, single champions), designations
                  by year, guidance funds in three levels (national, provincial,
                  municipal) with their partners and commitments
  flows/          guidance-fund investments, subsidies, policy-bank loans (some in
                  USD), procurement contracts and listings: giver, receiver, date,
                  amount, currency
  outcomes/       patents (applicant, IPC codes from the firm's industry, dates,
                  office) and firm-year financials (revenue, exports, loans, subsidies,
                  employees, R&D)
  truth/effects.md, effects.json   the planted effects (little giants' patenting
                  ×1.4 from the year after designation, funded firms' growth, ...)
  truth/treatments.csv   each firm's treatment years and base patenting rate
  truth/fund_attribution.csv   each investment's government capital by body and
                  chain of funds; truth/gov_reach.csv what each body gave each firm
  mapping-policy.yaml, mapping-flows.yaml, mapping-outcome-patents.yaml, mapping-outcome-financials.yaml

--patents (default 5 a firm) and --flows (default 2 a firm) set the sizes, about.

The same options and seed write the same bytes. 300,000 firms and 1,000,000 records
take seconds; --records -1 writes the registry only (1,000,000 firms with
--edges-per-firm 3 make the 3,000,000-edge look-through benchmark).
生成合成的企业世界（登记信息、国资委控股的国企集团、股权与任职关系、带噪声的多源记录及真值），用于企业识别与穿透持股的测试和基准。

Examples:
  cipmap gen world --firms 300000 --records 1000000 --out /tmp/world
  cipmap ingest /tmp/world/mapping-*.yaml
  cipmap resolve
  cipmap resolve eval --truth /tmp/world/truth/records.csv
  cipmap gen world --firms 1000000 --policy --out /tmp/policyworld`

// world writes a synthetic world (gen.World).
func (c *GenCommand) world(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("gen world", genWorldHelp)
	var format formatFlag
	addFormatFlag(fs, &format)
	firms := fs.Int("firms", 10000, "true firms in the registry")
	records := fs.Int("records", 0, "records of the noisy extracts (0: 10/3 per firm; -1: none)")
	edges := fs.Float64("edges-per-firm", 2, "average ownership edges (shareholders) per firm")
	policy := fs.Bool("policy", false, "add the policy layer: policies, programs, funds, flows, patents, financials")
	patents := fs.Int("patents", 0, "patents of the policy layer, about (0: 5 per firm)")
	flows := fs.Int("flows", 0, "resource flows of the policy layer, about (0: 2 per firm)")
	seed := fs.Int64("seed", 1, "random seed")
	out := fs.String("out", "", "folder to write into (created)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *out == "" {
		fs.Usage()
		return errUsage
	}
	if err := format.check(); err != nil {
		return err
	}
	if *firms <= 0 {
		return cipmap.Errorf(cipmap.EINVALID, "--firms %d: expected a positive number", *firms)
	}
	if *records < -1 {
		return cipmap.Errorf(cipmap.EINVALID, "--records %d: expected a number of records, 0 for 10/3 per firm, or -1 for none", *records)
	}
	if *patents < 0 || *flows < 0 {
		return cipmap.Errorf(cipmap.EINVALID, "--patents %d, --flows %d: expected positive numbers, or 0 for the defaults", *patents, *flows)
	}
	if (*patents != 0 || *flows != 0) && !*policy {
		return cipmap.Errorf(cipmap.EINVALID, "--patents and --flows size the policy layer: add --policy")
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	res, err := gen.World(*out, gen.WorldOptions{Firms: *firms, Records: *records, EdgesPerFirm: *edges, Seed: *seed,
		Policy: *policy, Patents: *patents, Flows: *flows})
	if err != nil {
		return err
	}
	next := "cipmap ingest " + strings.Join(res.Mappings, " ")
	if format.format == "json" {
		if err := writeJSON(c.m.Stdout, res); err != nil {
			return err
		}
		fmt.Fprintf(c.m.Stderr, "next: %s\n", next)
		return nil
	}
	n := strconv.Itoa
	rows := [][]string{
		{"firms", n(res.Firms), "registry/firms.csv"},
		{"soe groups", n(res.SOEGroups), fmt.Sprintf("%d SOE firms", res.SOEFirms)},
		{"listed firms", n(res.ListedFirms), ""},
		{"renamed firms", n(res.RenamedFirms), ""},
		{"foreign firms", n(res.ForeignFirms), "registry/foreign_firms.csv"},
		{"persons", n(res.Persons), "registry/persons.csv"},
		{"gov bodies", n(res.GovBodies), "registry/gov_bodies.csv"},
		{"directorships", n(res.Directorships), "registry/directorships.csv"},
		{"ownership edges", n(res.Ownerships), fmt.Sprintf("registry/ownership.csv: %d ranges, %d cycles", res.RangeShares, res.Cycles)},
	}
	for _, s := range res.Sources {
		rows = append(rows, []string{"records: " + s.Name, n(s.Records), fmt.Sprintf("%s: %d firms", s.File, s.Firms)})
	}
	if p := res.Policy; p != nil {
		rows = append(rows,
			[]string{"policy: gov bodies", n(p.GovBodies), fmt.Sprintf("state/gov_bodies.csv; %d policy banks", p.Banks)},
			[]string{"policy: policies", n(p.Policies), fmt.Sprintf("state/policies.csv: %d issuances, %d targetings", p.Issuances, p.Targetings)},
			[]string{"policy: designations", n(p.Designations), fmt.Sprintf("%d programs, %d little giants, %d champions", p.Programs, p.LittleGiants, p.Champions)},
			[]string{"policy: funds", n(p.Funds), fmt.Sprintf("state/funds.csv: %d partners", p.FundPartners)},
			[]string{"flows: investments", n(p.Investments), fmt.Sprintf("%d funded firms", p.FundedFirms)},
			[]string{"flows: grants", n(p.Grants), "flows/grants.csv"},
			[]string{"flows: loans", n(p.Loans), "flows/loans.csv"},
			[]string{"flows: contracts", n(p.Contracts), "flows/contracts.csv"},
			[]string{"flows: listings", n(p.Listings), "flows/listings.csv"},
			[]string{"flows", n(p.Flows), fmt.Sprintf("%d in USD", p.USDFlows)},
			[]string{"patents", n(p.Patents), "outcomes/patents.csv"},
			[]string{"financial rows", n(p.Financials), "outcomes/financials.csv"},
			[]string{"truth: attributions", n(p.Attributions), fmt.Sprintf("truth/fund_attribution.csv; truth/gov_reach.csv %d rows", p.GovReach)},
			[]string{"policy seconds", strconv.FormatFloat(p.Seconds, 'f', 1, 64), "truth/effects.md"})
	}
	rows = append(rows,
		[]string{"records", n(res.Records), fmt.Sprintf("%d firms in no extract, %d in one", res.FirmsWithoutRecords, res.FirmsInOneSource)},
		[]string{"truth rows", n(res.TruthRows), "truth/records.csv"},
		[]string{"bytes", strconv.FormatInt(res.Bytes, 10), res.Dir},
		[]string{"seconds", strconv.FormatFloat(res.Seconds, 'f', 1, 64), ""})
	if err := writeRows(c.m.Stdout, format.format, []string{"what", "count", "where"}, rows); err != nil {
		return err
	}
	if format.format == "csv" {
		fmt.Fprintf(c.m.Stderr, "next: %s\n", next)
		return nil
	}
	fmt.Fprintf(c.m.Stdout, "\nnext: %s\n", next)
	return nil
}
