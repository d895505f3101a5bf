package sqlview

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
)

// EdgeRole is one kind of edge of the edges table: in entities of Schema, property
// Role names the edge's from end and property Target its to end; an empty Target
// means the entity itself (a program's policy makes the edge policy → program).
// Channel is what the edge is: a flow channel of cipmap.FlowChannels, or the
// schema's name in lower case. Flow marks the giver → receiver role of a flow
// channel, the rows of the flows view.
type EdgeRole struct {
	Schema, Role, Target, Channel string
	Flow                          bool
}

// EdgeRoles returns every kind of edge the edges table holds, sorted: for each
// relation schema its source → target and its other entity properties → target; for
// each other schema its entity properties → the entity; and the giver → receiver of
// each flow channel (a listing's exchange → firm runs against its schema's edge).
func EdgeRoles(schemas cipmap.Schemas) []EdgeRole {
	seen := map[[3]string]int{}
	var out []EdgeRole
	add := func(r EdgeRole) {
		k := [3]string{r.Schema, r.Role, r.Target}
		if i, ok := seen[k]; ok {
			out[i].Flow = out[i].Flow || r.Flow
			return
		}
		seen[k] = len(out)
		out = append(out, r)
	}
	for _, s := range sortedSchemas(schemas) {
		ch := strings.ToLower(s.Name)
		if c := cipmap.FlowChannelOf(s.Name); c != nil {
			ch = c.Channel
		}
		for _, p := range s.PropertyNames() {
			if s.Properties[p].Type != cipmap.TypeEntity {
				continue
			}
			switch {
			case s.Edge == nil:
				add(EdgeRole{Schema: s.Name, Role: p, Channel: ch})
			case p != s.Edge.Target:
				add(EdgeRole{Schema: s.Name, Role: p, Target: s.Edge.Target, Channel: ch})
			}
		}
	}
	for _, c := range cipmap.FlowChannels {
		if _, ok := schemas[c.Schema]; ok {
			add(EdgeRole{Schema: c.Schema, Role: c.Giver, Target: c.Receiver, Channel: c.Channel, Flow: true})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Schema != b.Schema {
			return a.Schema < b.Schema
		}
		if a.Role != b.Role {
			return a.Role < b.Role
		}
		return a.Target < b.Target
	})
	return out
}

// EdgeColumns are the columns of the edges table, in order.
var EdgeColumns = []string{"id", "schema", "role", "target", "channel", "from_id", "to_id", "date", "end_date",
	"year", "amount", "currency", "percentage", "flow", "dataset", "source"}

// edgeAttrs are the properties of a relation entity read into its edges' columns.
var edgeAttrs = []string{"amount", "amount_raised", "currency", "date", "end_date", "listing_date", "percentage",
	"start_date", "year"}

// EdgeRows returns a query of the edges stated by the statements that satisfy
// where (an SQL condition on the statement table without parameters, such as
// "dataset = 'pla'"; it is repeated for each schema), one row
// per relation entity, role and pair of ends, with the columns of EdgeColumns:
//
//   - both ends and the attributes come from statements of the same dataset, so
//     that a dataset's edges are its own and are replaced with it;
//   - an end with several values makes an edge for each (a contract with two
//     suppliers);
//   - a flow's giver may be missing (a listing on an exchange that is not an
//     entity): its row has no from_id, so that the flows view lists every flow
//     that reaches a receiver;
//   - date is an ownership's start date, else the flow's date, listing date or start
//     date; year is the date's year, else the year property;
//   - amount is the flow channel's amount property as a number (none for holdings);
//     percentage is a holding's share as stated;
//   - a fact stated by several records is one edge, with the first of the
//     relation's records (in order of the source text) as its source.
//
// For each schema it is one aggregation of the schema's statements by entity (a
// pivot with each end as its smallest and largest value) and two unnests. An end
// with more than two values (rare) is read again, with every value, from the
// statements of the few entities that have one. There is no join of the statement
// table to itself and no list aggregated for every entity, and each pivot has only
// its own schema's columns: at tens of millions of relation statements each of
// those runs out of DuckDB's memory limit, where min and max spill to disk.
func EdgeRows(schemas cipmap.Schemas, d Dialect, where string) string {
	bySchema := map[string][]EdgeRole{}
	var names []string
	for _, r := range EdgeRoles(schemas) {
		if bySchema[r.Schema] == nil {
			names = append(names, r.Schema)
		}
		bySchema[r.Schema] = append(bySchema[r.Schema], r)
	}
	if len(names) == 0 {
		return "SELECT " + strings.Repeat("NULL, ", len(EdgeColumns)-1) + "NULL WHERE false"
	}
	var parts []string
	for _, name := range names {
		parts = append(parts, schemaEdgeRows(name, bySchema[name], d, where))
	}
	return strings.Join(parts, "\nUNION ALL\n")
}

// schemaEdgeRows is EdgeRows for the roles of one schema.
func schemaEdgeRows(schema string, roles []EdgeRole, d Dialect, where string) string {
	ends := map[string]bool{}
	var vals, endList []string
	for _, r := range roles {
		vals = append(vals, fmt.Sprintf("(%s, %s, %s, %t)", Literal(r.Role), Literal(r.Target), Literal(r.Channel), r.Flow))
		for _, p := range []string{r.Role, r.Target} {
			if p != "" && !ends[p] {
				ends[p] = true
				endList = append(endList, p)
			}
		}
	}
	sort.Strings(endList)
	endProps := quoteAll(endList)
	attr := func(p string) string { return fmt.Sprintf("min(value) FILTER (WHERE property = %s)", Literal(p)) }
	null := "CAST(NULL AS " + d.Text + ")"
	date, amount, currency, percentage := null, null, null, null
	props := append([]string(nil), endProps...)
	switch c := cipmap.FlowChannelOf(schema); {
	case schema == "Ownership":
		date, percentage = attr("start_date"), attr("percentage")
		props = append(props, "'start_date'", "'percentage'")
	case c != nil:
		date = fmt.Sprintf("coalesce(%s, %s, %s)", attr("date"), attr(c.Date), attr("start_date"))
		amount, currency = attr(c.Amount), attr("currency")
		props = append(props, "'date'", Literal(c.Date), "'start_date'", Literal(c.Amount), "'currency'")
	default:
		date = fmt.Sprintf("coalesce(%s, %s)", attr("date"), attr("start_date"))
		amount, currency = attr("amount"), attr("currency")
		props = append(props, "'date'", "'start_date'", "'amount'", "'currency'")
	}
	props = append(props, "'end_date'", "'year'")
	attrs := date + ` AS date, ` + attr("end_date") + ` AS end_date, ` + attr("year") + ` AS year_text,
				` + amount + ` AS amount_text, ` + currency + ` AS currency, ` + percentage + ` AS percentage`
	froms, tos := "CASE ro.role", "CASE ro.target WHEN '' THEN "+d.List("p.entity_id")
	for _, p := range endList {
		froms += fmt.Sprintf(" WHEN %s THEN p.%s", Literal(p), Quote("e_"+p))
		tos += fmt.Sprintf(" WHEN %s THEN p.%s", Literal(p), Quote("e_"+p))
	}
	froms += " END"
	tos += " END"
	// edges turns a pivot p (entity_id, dataset, source, e_END lists, attributes)
	// into edge rows.
	edges := func(pivot string) string {
		return `SELECT id, role, target, channel, flow, from_id, unnest(tos) AS to_id, date, end_date, year_text, amount_text,
		currency, percentage, dataset, source
	FROM (
		SELECT p.entity_id AS id, ro.role, ro.target, ro.channel, ro.flow,
			unnest(CASE WHEN ro.flow THEN coalesce(` + froms + `, ` + d.List(null) + `) ELSE ` + froms + ` END) AS from_id,
			` + tos + ` AS tos, p.date, p.end_date, p.year_text, p.amount_text, p.currency, p.percentage, p.dataset, p.source
		FROM (` + pivot + `) p CROSS JOIN (VALUES ` + strings.Join(vals, ", ") + `) AS ro(role, target, channel, flow)
	) e1 WHERE tos IS NOT NULL`
	}
	// The entities whose ends have at most two values each: the lists are built
	// from the smallest and largest value.
	var minmax, lists, multi []string
	for _, p := range endList {
		lo, hi, n := Quote("e_"+p), Quote("x_"+p), Quote("n_"+p)
		cond := "property = " + Literal(p)
		minmax = append(minmax, fmt.Sprintf("min(value) FILTER (WHERE %s) AS %s, max(value) FILTER (WHERE %s) AS %s, count(*) FILTER (WHERE %s) AS %s",
			cond, lo, cond, hi, cond, n))
		lists = append(lists, fmt.Sprintf("CASE WHEN %s IS NULL THEN NULL WHEN %s = %s THEN %s ELSE %s END AS %s",
			lo, lo, hi, d.List(lo), d.List(lo+", "+hi), lo))
		multi = append(multi, fmt.Sprintf("coalesce(%s > 2 AND %s <> %s, false)", n, lo, hi))
		_ = cond
	}
	var listCols []string
	for _, p := range endList {
		listCols = append(listCols, d.DistinctList("value", "property = "+Literal(p))+" AS "+Quote("e_"+p))
	}
	filter := `(` + where + `) AND schema = ` + Literal(schema) + ` AND property IN (` + strings.Join(props, ", ") + `)`
	few := `SELECT entity_id, dataset, source, ` + strings.Join(lists, ", ") + `, date, end_date, year_text, amount_text, currency, percentage
		FROM (
			SELECT entity_id, dataset, min(source) AS source, ` + strings.Join(minmax, ", ") + `,
				` + attrs + `
			FROM statement WHERE ` + filter + `
			GROUP BY entity_id, dataset
		) pv WHERE NOT (` + strings.Join(multi, " OR ") + `)`
	many := `SELECT entity_id, dataset, min(source) AS source, ` + strings.Join(listCols, ", ") + `,
				` + attrs + `
			FROM statement WHERE ` + filter + ` AND entity_id IN (
				SELECT entity_id FROM statement
				WHERE (` + where + `) AND schema = ` + Literal(schema) + ` AND property IN (` + strings.Join(endProps, ", ") + `)
				GROUP BY entity_id, dataset, property HAVING count(*) > 2 AND min(value) <> max(value))
			GROUP BY entity_id, dataset`
	return `SELECT id, ` + Literal(schema) + ` AS schema, role, target, channel, from_id, to_id, date, end_date,
	coalesce(` + d.TryYear("date") + `, ` + d.TryInt("year_text") + `) AS year,
	` + d.TryDouble("amount_text") + ` AS amount, currency, percentage, flow, dataset, source
FROM (
	` + edges(few) + `
	UNION ALL
	` + edges(many) + `
) e2`
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Literal(s)
	}
	return out
}
