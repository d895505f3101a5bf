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
// where (an SQL condition on the statement table, such as "dataset = ?"), one row
// per relation entity, role and pair of ends, with the columns of EdgeColumns:
//
//   - both ends and the attributes come from statements of the same dataset, so
//     that a dataset's edges are its own and are replaced with it;
//   - a flow's giver may be missing (a listing on an exchange that is not an
//     entity): its row has no from_id, so that the flows view lists every flow
//     that reaches a receiver;
//   - date is an ownership's start date, else the flow's date, listing date or start
//     date; year is the date's year, else the year property;
//   - amount is the flow channel's amount property as a number (none for holdings);
//     percentage is a holding's share as stated;
//   - a fact stated by several records is one edge, with the first record (in
//     order of the source text) as its source.
func EdgeRows(schemas cipmap.Schemas, d Dialect, where string) string {
	roles := EdgeRoles(schemas)
	var vals, rels []string
	props := map[string]bool{}
	relSeen := map[string]bool{}
	for _, r := range roles {
		vals = append(vals, fmt.Sprintf("(%s, %s, %s, %s, %t)", Literal(r.Schema), Literal(r.Role), Literal(r.Target), Literal(r.Channel), r.Flow))
		props[r.Role] = true
		if r.Target != "" {
			props[r.Target] = true
		}
		if !relSeen[r.Schema] {
			relSeen[r.Schema] = true
			rels = append(rels, Literal(r.Schema))
		}
	}
	if len(vals) == 0 {
		vals = append(vals, "('', '', '', '', false)")
		rels = append(rels, "''")
	}
	for _, p := range edgeAttrs {
		props[p] = true
	}
	var pl []string
	for p := range props {
		pl = append(pl, Literal(p))
	}
	sort.Strings(pl)
	var attrs []string
	for _, p := range edgeAttrs {
		attrs = append(attrs, fmt.Sprintf("min(value) FILTER (WHERE property = %s) AS %s", Literal(p), Quote(p)))
	}
	amount := "CASE e.schema"
	for _, c := range cipmap.FlowChannels {
		amount += fmt.Sprintf(" WHEN %s THEN a.%s", Literal(c.Schema), Quote(c.Amount))
	}
	amount += " WHEN 'Ownership' THEN NULL ELSE a.amount END"
	date := "CASE WHEN e.schema = 'Ownership' THEN a.start_date ELSE coalesce(a.date, a.listing_date, a.start_date) END"
	return `WITH r AS (
	SELECT entity_id, schema, property, value, dataset, source FROM statement
	WHERE (` + where + `) AND schema IN (` + strings.Join(rels, ", ") + `) AND property IN (` + strings.Join(pl, ", ") + `)
), roles(schema, role, target, channel, flow) AS (VALUES ` + strings.Join(vals, ", ") + `),
ends AS (
	SELECT f.entity_id AS id, f.schema, ro.role, ro.target, ro.channel, ro.flow, f.value AS from_id,
		CASE WHEN ro.target = '' THEN f.entity_id ELSE t.value END AS to_id, f.dataset, min(f.source) AS source
	FROM r f JOIN roles ro ON ro.schema = f.schema AND ro.role = f.property
	LEFT JOIN r t ON ro.target <> '' AND t.entity_id = f.entity_id AND t.dataset = f.dataset AND t.property = ro.target
	WHERE ro.target = '' OR t.value IS NOT NULL
	GROUP BY f.entity_id, f.schema, ro.role, ro.target, ro.channel, ro.flow, f.value, t.value, f.dataset
	UNION ALL
	SELECT t.entity_id, t.schema, ro.role, ro.target, ro.channel, ro.flow, CAST(NULL AS ` + d.Text + `), t.value, t.dataset, min(t.source)
	FROM r t JOIN roles ro ON ro.flow AND ro.schema = t.schema AND ro.target = t.property
	WHERE NOT EXISTS (SELECT 1 FROM r f WHERE f.entity_id = t.entity_id AND f.dataset = t.dataset AND f.property = ro.role)
	GROUP BY t.entity_id, t.schema, ro.role, ro.target, ro.channel, ro.flow, t.value, t.dataset
), a AS (
	SELECT entity_id, dataset, ` + strings.Join(attrs, ", ") + `
	FROM r WHERE property IN (` + strings.Join(quoteAll(edgeAttrs), ", ") + `) GROUP BY entity_id, dataset
), x AS (
	SELECT e.id, e.schema, e.role, e.target, e.channel, e.from_id, e.to_id, ` + date + ` AS date, a.end_date,
		a.year AS year_text, ` + amount + ` AS amount_text, CASE WHEN e.schema = 'Ownership' THEN NULL ELSE a.currency END AS currency,
		CASE WHEN e.schema = 'Ownership' THEN a.percentage END AS percentage, e.flow, e.dataset, e.source
	FROM ends e LEFT JOIN a ON a.entity_id = e.id AND a.dataset = e.dataset
)
SELECT id, schema, role, target, channel, from_id, to_id, date, end_date,
	coalesce(` + d.TryYear("date") + `, ` + d.TryInt("year_text") + `) AS year,
	` + d.TryDouble("amount_text") + ` AS amount, currency, percentage, flow, dataset, source
FROM x`
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = Literal(s)
	}
	return out
}

// EdgeRowsHash identifies the edge rows' definition, so that a store can tell when
// its edges table was built by another definition and must be rebuilt.
func EdgeRowsHash(schemas cipmap.Schemas, d Dialect) string {
	return shortHash(EdgeRows(schemas, d, "true"))
}
