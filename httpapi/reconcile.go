package httpapi

import (
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/resolve"
)

// The reconciliation service follows the Reconciliation Service API v0.2
// (https://www.w3.org/community/reports/reconciliation/CG-FINAL-specs-0.2-20230410/),
// as OpenRefine speaks it: GET without queries returns the service manifest; GET or
// POST with a form field "queries" holding a JSON object of queries
// ({"q0": {"query": "华为技术有限公司", "properties": [{"pid": "region", "v": "深圳"}]}})
// returns {"q0": {"result": [candidates]}}.

// maxQueries bounds a batch.
const maxQueries = 100

// matchProbability is the probability from which the best candidate is flagged a
// match: OpenRefine then accepts it without asking.
const matchProbability = 0.9

type reconQuery struct {
	Query      string `json:"query"`
	Type       any    `json:"type,omitempty"`
	Limit      int    `json:"limit,omitempty"`
	Properties []struct {
		PID string `json:"pid"`
		P   string `json:"p"` // older clients
		V   any    `json:"v"`
	} `json:"properties,omitempty"`
}

// ReconType is a type of the reconciliation service.
type ReconType struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// ReconCandidate is one candidate of a reconciliation result.
type ReconCandidate struct {
	ID    string      `json:"id"`
	Name  string      `json:"name"`
	Score float64     `json:"score"`
	Match bool        `json:"match"`
	Type  []ReconType `json:"type"`
	// Types repeats Type, for clients that read the plural.
	Types       []ReconType `json:"types"`
	Description string      `json:"description,omitempty"`
}

var firmType = []ReconType{{ID: "Firm", Name: "Firm 企业"}}

func (s *Server) reconcile(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		s.writeError(w, r, cipmap.WrapError(cipmap.EINVALID, err, "the form"))
		return
	}
	raw := r.Form.Get("queries")
	if raw == "" {
		if r.Form.Get("callback") != "" {
			s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "JSONP (callback) is not supported: use CORS"))
			return
		}
		s.manifest(w, r)
		return
	}
	var qs map[string]reconQuery
	if err := json.Unmarshal([]byte(raw), &qs); err != nil {
		s.writeError(w, r, cipmap.WrapError(cipmap.EINVALID, err, "queries: want a JSON object of queries"))
		return
	}
	if len(qs) > maxQueries {
		s.writeError(w, r, cipmap.Errorf(cipmap.EINVALID, "queries: at most %d in a batch, got %d", maxQueries, len(qs)))
		return
	}
	ix, err := s.index.get(r.Context())
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	out := make(map[string]any, len(qs))
	for _, key := range sortedKeys(qs) {
		q := qs[key]
		rec := resolve.Record{}
		if strings.TrimSpace(q.Query) != "" {
			rec.Names = []string{q.Query}
		}
		for _, p := range q.Properties {
			pid := p.PID
			if pid == "" {
				pid = p.P
			}
			v := propValue(p.V)
			if v == "" {
				continue
			}
			switch pid {
			case "region", "province", "city":
				rec.Region = v
			case "uscc":
				rec.Add(&cipmap.Statement{Property: "uscc", Value: strings.ToUpper(strings.TrimSpace(v))})
			case "lei":
				rec.Add(&cipmap.Statement{Property: "lei", Value: strings.ToUpper(v)})
			case "founded":
				rec.Founded = v
			case "legal_representative":
				rec.LegalRep = v
			}
		}
		limit := q.Limit
		if limit <= 0 || limit > 25 {
			limit = 5
		}
		var cands []ReconCandidate
		if len(rec.Names) > 0 || rec.USCC != "" || rec.LEI != "" {
			for _, c := range ix.Match(rec, limit) {
				name := c.ID
				if len(c.Names) > 0 {
					name = c.Names[0]
				}
				desc := c.Method + ": " + c.Explanation
				if c.ClusterID != "" {
					desc = "firm " + c.ClusterID + "; " + desc
				}
				cands = append(cands, ReconCandidate{ID: c.ID, Name: name, Score: 100 * c.Probability, Type: firmType, Types: firmType, Description: desc})
			}
		}
		sort.SliceStable(cands, func(i, j int) bool { return cands[i].Score > cands[j].Score })
		if len(cands) > 0 && cands[0].Score >= 100*matchProbability && (len(cands) == 1 || cands[1].Score < 100*matchProbability) {
			cands[0].Match = true
		}
		if cands == nil {
			cands = []ReconCandidate{}
		}
		out[key] = map[string]any{"result": cands}
	}
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, out)
}

// propValue reads a property value: a string, a number or {"id": ...}.
func propValue(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case float64:
		return strings.TrimSpace(strings.TrimRight(strings.TrimRight(jsonNumber(x), "0"), "."))
	case map[string]any:
		if id, ok := x["id"].(string); ok {
			return id
		}
	case []any:
		if len(x) > 0 {
			return propValue(x[0])
		}
	}
	return ""
}

func jsonNumber(x float64) string {
	b, _ := json.Marshal(x)
	return string(b)
}

// manifest describes the service.
func (s *Server) manifest(w http.ResponseWriter, r *http.Request) {
	base := "http://" + r.Host
	if r.TLS != nil {
		base = "https://" + r.Host
	}
	m := map[string]any{
		"versions":        []string{"0.2"},
		"name":            "cipmap firms 企业",
		"identifierSpace": base + "/firms/",
		"schemaSpace":     base + "/api/v1/openapi.json#Firm",
		"defaultTypes":    firmType,
		"view":            map[string]string{"url": base + "/firms/{{id}}"},
		"documentation":   base + "/api/v1/openapi.json",
		"batchSize":       maxQueries,
		"suggest":         nil,
		"properties": map[string]any{"property_settings": []map[string]string{
			{"name": "region", "label": "region 地区"},
			{"name": "uscc", "label": "unified social credit code 统一社会信用代码"},
		}},
	}
	delete(m, "suggest")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, m)
}
