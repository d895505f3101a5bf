// Package export writes a store's statements in formats other tools read:
// FollowTheMoney-style JSON lines (one entity a line), GraphML (relations as edges,
// for NetworkX, igraph and Gephi) and flat statement CSV. Every format keeps the
// provenance: FtM entities list their datasets, GraphML nodes and edges carry dataset
// and source attributes, CSV rows are whole statements.
package export

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/cipmap/cipmap"
)

// StatementColumns are the columns of a statement export, in order.
var StatementColumns = []string{"id", "entity_id", "schema", "property", "value", "original", "lang", "dataset", "source", "first_seen", "last_seen"}

// StatementRecord returns a statement as strings in StatementColumns order.
func StatementRecord(s *cipmap.Statement) []string {
	return []string{s.ID, s.EntityID, s.Schema, s.Property, s.Value, s.Original, s.Lang, s.Dataset, s.Source,
		s.FirstSeen.Format(time.RFC3339), s.LastSeen.Format(time.RFC3339)}
}

// CSV writes every statement matching f as a CSV row with a header.
func CSV(ctx context.Context, st cipmap.Store, f cipmap.StatementFilter, w io.Writer) (int64, error) {
	cw := csv.NewWriter(w)
	if err := cw.Write(StatementColumns); err != nil {
		return 0, err
	}
	var n int64
	err := st.Statements(ctx, f, func(s *cipmap.Statement) error {
		n++
		return cw.Write(StatementRecord(s))
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	return n, err
}

// group calls fn with the statements of each entity in turn; Store.Statements returns
// them ordered by entity.
func group(ctx context.Context, st cipmap.Store, f cipmap.StatementFilter, fn func(id string, ss []cipmap.Statement) error) error {
	var cur []cipmap.Statement
	err := st.Statements(ctx, f, func(s *cipmap.Statement) error {
		if len(cur) > 0 && cur[0].EntityID != s.EntityID {
			if err := fn(cur[0].EntityID, cur); err != nil {
				return err
			}
			cur = cur[:0]
		}
		cur = append(cur, *s)
		return nil
	})
	if err != nil {
		return err
	}
	if len(cur) > 0 {
		return fn(cur[0].EntityID, cur)
	}
	return nil
}

// FtMEntity is one entity in FollowTheMoney's JSON form, with cipmap's provenance.
type FtMEntity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
	Datasets   []string            `json:"datasets"`
	FirstSeen  string              `json:"first_seen"`
	LastSeen   string              `json:"last_seen"`
	// Sources lists the source records that state the entity ("file.csv:118").
	Sources []string `json:"sources,omitempty"`
}

// FtM writes one JSON object a line per entity, in the shape FollowTheMoney's
// tools read (id, schema, properties as lists of values).
func FtM(ctx context.Context, st cipmap.Store, f cipmap.StatementFilter, w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	var n int64
	err := group(ctx, st, f, func(id string, ss []cipmap.Statement) error {
		n++
		return enc.Encode(ftmEntity(id, ss))
	})
	if err != nil {
		return n, err
	}
	return n, bw.Flush()
}

func ftmEntity(id string, ss []cipmap.Statement) FtMEntity {
	e := FtMEntity{ID: id, Schema: ss[0].Schema, Properties: map[string][]string{}}
	datasets, sources := map[string]bool{}, map[string]bool{}
	first, last := ss[0].FirstSeen, ss[0].LastSeen
	for _, s := range ss {
		vals := e.Properties[s.Property]
		if len(vals) == 0 || vals[len(vals)-1] != s.Value {
			e.Properties[s.Property] = append(vals, s.Value)
		}
		datasets[s.Dataset] = true
		if s.Source != "" {
			sources[s.Source] = true
		}
		if s.FirstSeen.Before(first) {
			first = s.FirstSeen
		}
		if s.LastSeen.After(last) {
			last = s.LastSeen
		}
	}
	e.Datasets = keys(datasets)
	e.Sources = keys(sources)
	e.FirstSeen, e.LastSeen = first.Format(time.RFC3339), last.Format(time.RFC3339)
	return e
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// GraphML writes entities as nodes and relation entities (schemas with an Edge) as
// edges from their source to their target property. Node and edge attributes: schema,
// caption, datasets, sources, and each relation's amount, currency, date and
// percentage where present. Relations whose ends are missing are written as nodes.
func GraphML(ctx context.Context, st cipmap.Store, schemas cipmap.Schemas, f cipmap.StatementFilter, w io.Writer) (nodes, edges int64, err error) {
	bw := bufio.NewWriter(w)
	io.WriteString(bw, xml.Header)
	io.WriteString(bw, `<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">`+"\n")
	attrs := []string{"schema", "label", "datasets", "sources", "amount", "currency", "date", "percentage"}
	for _, a := range attrs {
		fmt.Fprintf(bw, `  <key id="%s" for="all" attr.name="%s" attr.type="string"/>`+"\n", a, a)
	}
	io.WriteString(bw, `  <graph id="cipmap" edgedefault="directed">`+"\n")
	// Edges may name nodes written later or never (a relation to an entity of
	// another dataset not exported); GraphML readers need every end declared, so
	// collect the ends and declare the missing ones at the end.
	declared := map[string]bool{}
	ends := map[string]bool{}
	var edgeBuf strings.Builder
	err = group(ctx, st, f, func(id string, ss []cipmap.Statement) error {
		e := ftmEntity(id, ss)
		sc := schemas[e.Schema]
		data := map[string]string{"schema": e.Schema, "datasets": strings.Join(e.Datasets, ","), "sources": strings.Join(e.Sources, ",")}
		for _, a := range []string{"amount", "currency", "date", "percentage"} {
			if v := e.Properties[a]; len(v) > 0 {
				data[a] = v[0]
			}
		}
		if sc != nil {
			for _, c := range sc.Caption {
				if v := e.Properties[c]; len(v) > 0 {
					data["label"] = v[0]
					break
				}
			}
		}
		if sc.IsEdge() {
			src, tgt := e.Properties[sc.Edge.Source], e.Properties[sc.Edge.Target]
			if len(src) > 0 && len(tgt) > 0 {
				for _, s := range src {
					for _, t := range tgt {
						edges++
						ends[s], ends[t] = true, true
						fmt.Fprintf(&edgeBuf, `    <edge id="%s" source="%s" target="%s">`, xmlEscape(id+"#"+strconv.FormatInt(edges, 10)), xmlEscape(s), xmlEscape(t))
						writeData(&edgeBuf, attrs, data)
						edgeBuf.WriteString("</edge>\n")
					}
				}
				return nil
			}
		}
		nodes++
		declared[id] = true
		fmt.Fprintf(bw, `    <node id="%s">`, xmlEscape(id))
		writeData(bw, attrs, data)
		io.WriteString(bw, "</node>\n")
		return nil
	})
	if err != nil {
		return nodes, edges, err
	}
	for _, id := range keys(ends) {
		if !declared[id] {
			nodes++
			fmt.Fprintf(bw, `    <node id="%s"/>`+"\n", xmlEscape(id))
		}
	}
	io.WriteString(bw, edgeBuf.String())
	io.WriteString(bw, "  </graph>\n</graphml>\n")
	return nodes, edges, bw.Flush()
}

func writeData(w io.Writer, attrs []string, data map[string]string) {
	for _, a := range attrs {
		if v := data[a]; v != "" {
			fmt.Fprintf(w, `<data key="%s">%s</data>`, a, xmlEscape(v))
		}
	}
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}
