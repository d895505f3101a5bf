package trace

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/cipmap/cipmap"
)

// Flow is one resource flow of any channel, with its amount in yuan and, when asked,
// in yuan at constant prices, and the dataset and record it came from.
type Flow struct {
	ID           string   `json:"id"`
	Schema       string   `json:"schema"`
	Channel      string   `json:"channel"`
	Giver        string   `json:"giver"`
	GiverName    string   `json:"giver_name"`
	Receiver     string   `json:"receiver"`
	ReceiverName string   `json:"receiver_name"`
	Date         string   `json:"date"`
	Year         int      `json:"year,omitempty"`
	Amount       *float64 `json:"amount"`
	Currency     string   `json:"currency"`
	AmountCNY    *float64 `json:"amount_cny"`
	// Constant is the amount in yuan at the prices of FlowFilter.Base.
	Constant *float64 `json:"amount_constant,omitempty"`
	Dataset  string   `json:"dataset"`
	Source   string   `json:"source"`
	// Note says why an amount could not be converted.
	Note string `json:"note,omitempty"`
}

// FlowFilter selects flows; zero fields select everything.
type FlowFilter struct {
	Channels []string
	Giver    string // an entity id
	Receiver string // an entity id
	// From and To bound the flow's date, inclusive, as ISO dates or years.
	From, To string
	Limit    int
	Rates    cipmap.Rates
	Base     int // constant prices of this year, 0 for none
}

// FlowsSQL returns the query that lists flows, one row a flow: id, schema, giver,
// receiver, date, year, amount, currency, dataset and source (of the receiver's
// statement), giver and receiver names. The flows view of both stores is this query
// without the names and filters.
func FlowsSQL(f FlowFilter) string {
	var schemas, givers, receivers, amounts, dates []string
	for _, c := range cipmap.FlowChannels {
		if len(f.Channels) > 0 && !contains(f.Channels, c.Channel) {
			continue
		}
		schemas = append(schemas, quote(c.Schema))
		givers = append(givers, fmt.Sprintf("(schema = %s AND property = %s)", quote(c.Schema), quote(c.Giver)))
		receivers = append(receivers, fmt.Sprintf("(schema = %s AND property = %s)", quote(c.Schema), quote(c.Receiver)))
		amounts = append(amounts, fmt.Sprintf("(schema = %s AND property = %s)", quote(c.Schema), quote(c.Amount)))
		dates = append(dates, fmt.Sprintf("(schema = %s AND property = %s)", quote(c.Schema), quote(c.Date)))
	}
	if len(schemas) == 0 {
		return ""
	}
	or := func(xs []string) string { return "(" + strings.Join(xs, " OR ") + ")" }
	var where []string
	if f.Giver != "" {
		where = append(where, "entity_id IN (SELECT entity_id FROM statement WHERE value = "+quote(f.Giver)+" AND "+or(givers)+")")
	}
	if f.Receiver != "" {
		where = append(where, "entity_id IN (SELECT entity_id FROM statement WHERE value = "+quote(f.Receiver)+" AND "+or(receivers)+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " AND " + strings.Join(where, " AND ")
	}
	sql := `WITH f AS (SELECT entity_id AS id, min(schema) AS schema,
	min(value) FILTER (WHERE ` + or(givers) + `) AS giver,
	min(value) FILTER (WHERE ` + or(receivers) + `) AS receiver,
	min(value) FILTER (WHERE ` + or(dates) + `) AS date,
	min(value) FILTER (WHERE property = 'year') AS year,
	min(value) FILTER (WHERE ` + or(amounts) + `) AS amount,
	min(value) FILTER (WHERE property = 'currency') AS currency,
	min(dataset) FILTER (WHERE ` + or(receivers) + `) AS dataset,
	min(source) FILTER (WHERE ` + or(receivers) + `) AS source
FROM statement WHERE schema IN (` + strings.Join(schemas, ", ") + `)` + cond + ` GROUP BY entity_id)
SELECT f.id, f.schema, f.giver, f.receiver, f.date, f.year, f.amount, f.currency, f.dataset, f.source,
	(SELECT min(caption) FROM entity e WHERE e.id = f.giver) AS giver_name,
	(SELECT min(caption) FROM entity e WHERE e.id = f.receiver) AS receiver_name
FROM f`
	var w []string
	if f.From != "" {
		w = append(w, "COALESCE(f.date, f.year) >= "+quote(f.From))
	}
	if f.To != "" {
		// "2020" as an upper bound includes every day of 2020.
		w = append(w, "substr(COALESCE(f.date, f.year), 1, "+strconv.Itoa(len(f.To))+") <= "+quote(f.To))
	}
	if len(w) > 0 {
		sql += " WHERE " + strings.Join(w, " AND ")
	}
	sql += " ORDER BY COALESCE(f.date, f.year), f.id"
	if f.Limit > 0 {
		sql += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return sql
}

// Flows lists the flows that pass f, in date order, converted to yuan with f.Rates.
// Flows is the list; Unconverted counts those with an amount but no yuan amount.
func Flows(ctx context.Context, st cipmap.Store, f FlowFilter) (flows []Flow, unconverted int, err error) {
	sql := FlowsSQL(f)
	if sql == "" {
		return nil, 0, nil
	}
	t, err := st.Query(ctx, sql)
	if err != nil {
		return nil, 0, fmt.Errorf("flows: %w", err)
	}
	for _, r := range t.Rows {
		fl := Flow{ID: str(r[0]), Schema: str(r[1]), Giver: str(r[2]), Receiver: str(r[3]), Date: str(r[4]),
			Currency: str(r[7]), Dataset: str(r[8]), Source: str(r[9]), GiverName: str(r[10]), ReceiverName: str(r[11])}
		if c := cipmap.FlowChannelOf(fl.Schema); c != nil {
			fl.Channel = c.Channel
		}
		fl.Year = yearOf(fl.Date)
		if fl.Year == 0 {
			fl.Year, _ = strconv.Atoi(str(r[5]))
		}
		if a := str(r[6]); a != "" {
			if v, err := strconv.ParseFloat(a, 64); err == nil {
				fl.Amount = &v
			}
		}
		convert(&fl, f.Rates, f.Base)
		if fl.Amount != nil && (fl.AmountCNY == nil || f.Base != 0 && fl.Constant == nil) {
			unconverted++
		}
		flows = append(flows, fl)
	}
	return flows, unconverted, nil
}

// convert sets a flow's yuan amounts, or its note.
func convert(fl *Flow, rates cipmap.Rates, base int) {
	if fl.Amount == nil {
		return
	}
	v := *fl.Amount
	if fl.Currency != "" && fl.Currency != "CNY" {
		switch {
		case rates == nil:
			fl.Note = "no exchange rates"
			return
		case fl.Year == 0:
			fl.Note = "no date to convert " + fl.Currency
			return
		}
		x, err := rates.ToCNY(v, fl.Currency, fl.Year)
		if err != nil {
			fl.Note = cipmap.ErrorMessage(err)
			return
		}
		v = x
	}
	fl.AmountCNY = &v
	if base == 0 {
		return
	}
	if rates == nil || fl.Year == 0 {
		fl.Note = "no year for constant prices"
		return
	}
	c, err := rates.Constant(v, fl.Year, base)
	if err != nil {
		fl.Note = cipmap.ErrorMessage(err)
		return
	}
	fl.Constant = &c
}
