package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/trace"
)

// FlowsCommand lists resource flows over every channel.
type FlowsCommand struct{ m *Main }

const flowsHelp = `Usage: cipmap flows [--channel C] [--giver X] [--receiver Y] [--from DATE] [--to DATE]
                    [--prices current|constant --base-year Y] [--limit N] [--format table|json|csv]

Lists resource flows over every channel, one row a flow: investments (investor →
investee), grants (grantor → recipient), loans (lender → borrower), procurement
contracts (buyer → supplier) and listings (market → firm, the amount raised), with
the amount as stated, in yuan at the yearly average rate of its year (shipped rates:
see money/NOTICE.md), and at constant prices of --base-year by the CPI when asked.
Every row names the dataset and source record of the flow. A flow whose currency has
no rate keeps its amount and gets a note, never a guess.
The SQL view flows has the same rows without the yuan columns.
资源流向：投资、补贴、贷款、采购、上市募资，折合人民币（年均汇率），可按不变价。

  --channel C     investment, grant, loan, contract, listing (repeatable, or commas)
  --giver X       flows from X (an id or a name)
  --receiver Y    flows to Y
  --from, --to    dates, inclusive (YYYY, YYYY-MM or YYYY-MM-DD)

Examples:
  cipmap flows --channel grant --receiver world-firm-5d71ab9a34f99249
  cipmap flows --giver 国家开发银行股份有限公司 --from 2020 --to 2022 --format csv
  cipmap flows --prices constant --base-year 2020 --format json`

func (c *FlowsCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("flows", flowsHelp)
	var f readFlags
	var channels multiFlag
	fs.Var(&channels, "channel", "only this channel (repeatable)")
	giver := fs.String("giver", "", "flows from this entity (id or name)")
	receiver := fs.String("receiver", "", "flows to this entity (id or name)")
	from := fs.String("from", "", "first date, inclusive")
	to := fs.String("to", "", "last date, inclusive")
	limit := fs.Int("limit", 0, "the most rows (0 for all)")
	var pf pricesFlags
	pf.add(fs)
	if _, err := f.parse(c.m, fs, args, none); err != nil {
		return err
	}
	for _, ch := range channels {
		ok := false
		for _, fc := range cipmap.FlowChannels {
			ok = ok || fc.Channel == ch
		}
		if !ok {
			return cipmap.Errorf(cipmap.EINVALID, "--channel %q: expected investment, grant, loan, contract or listing", ch)
		}
	}
	if err := checkDate("--from", *from); err != nil {
		return err
	}
	if err := checkDate("--to", *to); err != nil {
		return err
	}
	filter := trace.FlowFilter{Channels: channels.list(), From: *from, To: *to, Limit: *limit}
	var err error
	if filter.Rates, filter.Base, err = pf.rates(); err != nil {
		return err
	}
	st, err := c.m.openStore(ctx, f.db, true)
	if err != nil {
		return err
	}
	src := &trace.StoreSource{Store: st}
	for _, x := range []struct {
		q   string
		dst *string
	}{{*giver, &filter.Giver}, {*receiver, &filter.Receiver}} {
		if x.q == "" {
			continue
		}
		n, err := findOne(ctx, src, x.q, nil)
		if err != nil {
			return err
		}
		*x.dst = n.ID
	}
	flows, unconverted, err := trace.Flows(ctx, st, filter)
	if err != nil {
		return err
	}
	if f.format == "json" {
		if flows == nil {
			flows = []trace.Flow{}
		}
		return writeJSON(c.m.Stdout, flows)
	}
	cols := []string{"channel", "date", "giver_id", "giver", "receiver_id", "receiver", "amount", "currency", "amount_cny"}
	if filter.Base != 0 {
		cols = append(cols, "amount_cny_"+strconv.Itoa(filter.Base))
	}
	cols = append(cols, "id", "dataset", "source", "note")
	var rows [][]string
	total := 0.0
	for _, fl := range flows {
		amount := ""
		if fl.Amount != nil {
			amount = strconv.FormatFloat(*fl.Amount, 'f', -1, 64)
		}
		r := []string{fl.Channel, fl.Date, fl.Giver, fl.GiverName, fl.Receiver, fl.ReceiverName, amount, fl.Currency, money2(fl.AmountCNY)}
		if filter.Base != 0 {
			r = append(r, money2(fl.Constant))
		}
		if fl.AmountCNY != nil {
			total += *fl.AmountCNY
		}
		rows = append(rows, append(r, fl.ID, fl.Dataset, fl.Source, fl.Note))
	}
	if err := writeRows(c.m.Stdout, f.format, cols, rows); err != nil {
		return err
	}
	if f.format == "table" {
		fmt.Fprintf(c.m.Stdout, "\n%d flow(s), %s yuan", len(flows), money2(&total))
		if unconverted > 0 {
			fmt.Fprintf(c.m.Stdout, "; %d without an amount in yuan (see note)", unconverted)
		}
		fmt.Fprintln(c.m.Stdout)
	}
	return nil
}
