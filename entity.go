package cipmap

import (
	"crypto/sha1"
	"encoding/hex"
	"sort"
	"strings"
	"time"
)

// Statement is one fact: entity id has property = value, according to a dataset and a
// record in it. Several datasets may state different values; all are kept.
type Statement struct {
	ID       string `json:"id"`        // StatementID(Dataset, EntityID, Property, Value)
	EntityID string `json:"entity_id"` // the entity the fact is about
	Schema   string `json:"schema"`    // the entity's schema
	Property string `json:"property"`  // a property of the schema
	Value    string `json:"value"`     // the normalised value (see PropertyType)
	Original string `json:"original"`  // the value as it was in the source, before parsing
	Lang     string `json:"lang,omitempty"`
	Dataset  string `json:"dataset"`
	// Source is the record the fact came from, such as "file.csv:118" (file and line)
	// or "file.jsonl:7".
	Source    string    `json:"source"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
}

// StatementID returns the stable id of a statement: the same fact from the same dataset
// has the same id in every version. It is the hexadecimal SHA-1 of dataset, entity id,
// property and value joined by the unit separator U+001F, so SQL can compute it too:
// sha1(dataset || chr(31) || entity_id || chr(31) || property || chr(31) || value).
func StatementID(dataset, entityID, property, value string) string {
	h := sha1.New()
	h.Write([]byte(dataset))
	for _, s := range []string{entityID, property, value} {
		h.Write([]byte{0x1f})
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Entity is a firm, person, fund, government body, policy, program, patent, product or
// a relation between them, with its statements.
type Entity struct {
	ID         string      `json:"id"`
	Schema     string      `json:"schema"`
	Caption    string      `json:"caption"`
	Statements []Statement `json:"statements,omitempty"`
}

// SortStatements orders statements by property, value, dataset and source, with
// sources compared naturally: "file.csv:49" before "file.csv:317".
func SortStatements(ss []Statement) {
	sort.SliceStable(ss, func(i, j int) bool {
		a, b := &ss[i], &ss[j]
		if a.Property != b.Property {
			return a.Property < b.Property
		}
		if a.Value != b.Value {
			return a.Value < b.Value
		}
		if a.Dataset != b.Dataset {
			return a.Dataset < b.Dataset
		}
		return naturalLess(a.Source, b.Source)
	})
}

// naturalLess compares strings with runs of digits compared as numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitPrefix(a), digitPrefix(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

func digitPrefix(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// Values returns the distinct values of property prop, in statement order.
func (e *Entity) Values(prop string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range e.Statements {
		if s.Property == prop && !seen[s.Value] {
			seen[s.Value] = true
			out = append(out, s.Value)
		}
	}
	return out
}

// First returns the first value of prop, or "".
func (e *Entity) First(prop string) string {
	if v := e.Values(prop); len(v) > 0 {
		return v[0]
	}
	return ""
}

// Dataset is a named source of facts. Each ingest of new content makes a new version
// that replaces the dataset's facts.
type Dataset struct {
	Name    string `json:"name"`
	Title   string `json:"title,omitempty"`
	Version string `json:"version"` // content hash of the source files and the mapping
	Source  string `json:"source,omitempty"`
	Licence string `json:"licence,omitempty"`
	// Files lists the source files read, relative to the mapping file.
	Files      []string  `json:"files,omitempty"`
	IngestedAt time.Time `json:"ingested_at"`
	// Counts recorded at ingest.
	Rows       int64 `json:"rows"`
	Entities   int64 `json:"entities"`
	Statements int64 `json:"statements"`
	Facts      int64 `json:"facts"`
	Rejects    int64 `json:"rejects"`
	// Params records how the version was made, as JSON, where a command has more to
	// say than the source: the fitted match model of cipmap resolve.
	Params string `json:"params,omitempty"`
}

// Financial is one firm-year row of the financials fact table. Nil fields are unknown.
type Financial struct {
	EntityID      string   `json:"entity_id"`
	Year          int      `json:"year"`
	Currency      string   `json:"currency"`
	Revenue       *float64 `json:"revenue"`
	ExportRevenue *float64 `json:"export_revenue"`
	Loans         *float64 `json:"loans"`
	Subsidies     *float64 `json:"subsidies"`
	Employees     *int64   `json:"employees"`
	Dataset       string   `json:"dataset"`
	Source        string   `json:"source"`
}

// TradeFlow is one row of the trade_flows fact table.
type TradeFlow struct {
	Year         int      `json:"year"`
	Reporter     string   `json:"reporter"`
	Partner      string   `json:"partner"`
	HS6          string   `json:"hs6"`
	Flow         string   `json:"flow"` // "import" or "export"
	Value        *float64 `json:"value"`
	Currency     string   `json:"currency"`
	Quantity     *float64 `json:"quantity"`
	QuantityUnit string   `json:"quantity_unit"`
	Dataset      string   `json:"dataset"`
	Source       string   `json:"source"`
}

// TagFact is one row of the tags fact table: a technology tag given to the value of
// an entity's property (a business scope, a sector label, an IPC code), with the
// method that gave it and its evidence. A text may carry several tags whose weights
// sum to at most 1.
type TagFact struct {
	EntityID string  `json:"entity_id"`
	Property string  `json:"property"` // the property whose value was tagged
	Value    string  `json:"value"`    // the tagged text or code
	System   string  `json:"system"`   // the tag's code system: "ctt", "sei2018", ...
	Tag      string  `json:"tag"`
	Weight   float64 `json:"weight"`
	// Method is how the tag was given: "code" (through a crosswalk), "rule"
	// (keywords), "learned" (a learned crosswalk) or "human".
	Method     string  `json:"method"`
	Evidence   string  `json:"evidence"` // the keywords or codes that matched
	Confidence float64 `json:"confidence"`
	// StatementID is the statement whose value was tagged, so every tag leads back to
	// its source record.
	StatementID string `json:"statement_id"`
	Dataset     string `json:"dataset"`
	Source      string `json:"source"` // the tagged statement's dataset and record
}

// ClusterMember is one row of the clusters fact table, written by cipmap resolve: a
// firm record (an entity) and the canonical firm it belongs to, with the link that
// put it there and why.
type ClusterMember struct {
	EntityID  string `json:"entity_id"`
	ClusterID string `json:"cluster_id"` // the canonical firm's id, stable across runs
	// LinkedTo is the record it was linked to, "" for a cluster's first record.
	LinkedTo    string  `json:"linked_to"`
	Probability float64 `json:"probability"` // of that link; 1 for identifiers and judgements
	// Method is how: "identifier" (the same valid credit code, LEI, ...), "score"
	// (Fellegi-Sunter), "judgement" (a reviewer said same) or "single".
	Method      string `json:"method"`
	Explanation string `json:"explanation"` // each comparison, its level and weight
	Dataset     string `json:"dataset"`
	Source      string `json:"source"`
}

// Judgement is a reviewer's decision on whether two firm records are the same firm.
// Every later resolve honours it: "different" is never merged, "same" always is.
type Judgement struct {
	Left      string `json:"left_id"` // entity ids, Left < Right
	Right     string `json:"right_id"`
	Decision  string `json:"decision"` // "same", "different" or "unsure"
	Reviewer  string `json:"reviewer"`
	DecidedAt string `json:"decided_at"` // RFC 3339
	Note      string `json:"note"`
	Dataset   string `json:"dataset"`
	Source    string `json:"source"`
}

// Patent is one row of the patent_facts fact table: a patent application and one of
// its applicants. A patent with several applicants has one row for each, all with
// the same PatentID, and Applicants says how many there are, so that a count by firm
// can give each applicant 1/Applicants of the patent. Dates are ISO 8601 text as
// given ("2021-03-04", or "2021" when only the year is known); Year is the
// application year.
type Patent struct {
	PatentID          string `json:"patent_id"`
	ApplicantID       string `json:"applicant_id"` // an entity id, "" if the applicant is not a known entity
	ApplicantName     string `json:"applicant_name"`
	Applicants        int    `json:"applicants"`
	Office            string `json:"office"` // "CN", "US", "WO", "EP", ...
	Kind              string `json:"kind"`   // invention 发明, utility model 实用新型, design 外观设计
	ApplicationNumber string `json:"application_number"`
	Title             string `json:"title"`
	// IPC lists the patent's IPC codes, separated by ";"; IPCMain is the main one.
	IPC             string `json:"ipc"`
	IPCMain         string `json:"ipc_main"`
	Year            int    `json:"year"`
	ApplicationDate string `json:"application_date"`
	PublicationDate string `json:"publication_date"`
	GrantDate       string `json:"grant_date"`
	Status          string `json:"status"`
	Region          string `json:"region"`
	Dataset         string `json:"dataset"`
	Source          string `json:"source"`
}

// PatentTag is one row of the patent_tags fact table: the share of a patent that
// goes to a technology tag, from its IPC codes through the IPC → CTT crosswalk. A
// patent's weights sum to at most 1 (the rest is IPC mass no tag received), so
// patents count fractionally. Year is the patent's application year, kept here so
// that counts by year need no join.
type PatentTag struct {
	PatentID string  `json:"patent_id"`
	Year     int     `json:"year"`
	System   string  `json:"system"` // "ctt"
	Tag      string  `json:"tag"`
	Weight   float64 `json:"weight"`
	Method   string  `json:"method"`   // "code": through a crosswalk
	Evidence string  `json:"evidence"` // the IPC codes that gave the tag
	// Mass is the sum of the weights of all the patent's tags in System (at most
	// 1: what its codes lost, for lack of a crosswalk edge, is not there), so that
	// the patent's share in a set of tags is one read of those tags' rows:
	// sum(weight) / mass.
	Mass    float64 `json:"mass"`
	Dataset string  `json:"dataset"`
	Source  string  `json:"source"`
}

// FactTables names the typed fact tables and their columns, in order. Mapping files
// write financials, trade_flows and patent_facts; patent_tags are written by cipmap
// patents tag; tags are written by cipmap tag --dataset and
// crosswalk_edges by cipmap crosswalk import and crosswalk learn, clusters by cipmap
// resolve and judgements by cipmap review. Every table also
// has dataset and source columns.
var FactTables = map[string][]string{
	"financials":  {"entity_id", "year", "currency", "revenue", "export_revenue", "loans", "subsidies", "employees"},
	"trade_flows": {"year", "reporter", "partner", "hs6", "flow", "value", "currency", "quantity", "quantity_unit"},
	"tags": {"entity_id", "property", "value", "system", "tag", "weight", "method", "evidence", "confidence",
		"statement_id"},
	"crosswalk_edges": {"from_system", "from_code", "to_system", "to_code", "weight", "weight_type", "partial",
		"valid_from", "valid_to", "sample_size"},
	"clusters":   {"entity_id", "cluster_id", "linked_to", "probability", "method", "explanation"},
	"judgements": {"left_id", "right_id", "decision", "reviewer", "decided_at", "note"},
	"patent_facts": {"patent_id", "applicant_id", "applicant_name", "applicants", "office", "kind",
		"application_number", "title", "ipc", "ipc_main", "year", "application_date", "publication_date",
		"grant_date", "status", "region"},
	"patent_tags": {"patent_id", "year", "system", "tag", "weight", "method", "evidence", "mass"},
}
