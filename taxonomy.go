package cipmap

// CodeSystem is a classification that codes are drawn from: HS 2022, GB/T 4754-2017,
// IPC, SEI 2018, the WIPO technology fields, CTT, ... Codes form a hierarchy.
type CodeSystem struct {
	ID      string `json:"id" yaml:"id"` // "hs2022", "gbt4754-2017", "sei2018", "ctt", ...
	Name    Label  `json:"name" yaml:"name"`
	Version string `json:"version" yaml:"version"`
	Source  string `json:"source" yaml:"source"`
	Licence string `json:"licence" yaml:"licence"`
	// Levels names the hierarchy's levels from the top ("section", "chapter", ...).
	Levels []string `json:"levels" yaml:"levels"`
}

// Code is one code of a code system.
type Code struct {
	System string `json:"system"`
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Level  int    `json:"level"` // 1 for the top level
	Name   Label  `json:"name"`
	// Note is the official explanatory note, if any (GB/T 4754's "本类包括…").
	Note string `json:"note,omitempty"`
}

// Tag is one technology tag of CTT, cipmap's technology tag standard: a node of a tree
// (domain → field → technology → sub-technology) with names, a definition, and the
// words that find it in text, in Chinese and English.
type Tag struct {
	ID         string `json:"id" yaml:"id"` // a stable slug: "semiconductors.fabrication"
	Parent     string `json:"parent,omitempty" yaml:"parent,omitempty"`
	Level      int    `json:"level" yaml:"-"`
	Name       Label  `json:"name" yaml:"name"`
	Definition Label  `json:"definition" yaml:"definition"`
	// Keywords and Synonyms find the tag in text; Exclusions are words that, when
	// present, mean the text is not about the tag. Keys are languages: "zh", "en".
	Keywords   map[string][]string `json:"keywords" yaml:"keywords"`
	Synonyms   map[string][]string `json:"synonyms,omitempty" yaml:"synonyms,omitempty"`
	Exclusions map[string][]string `json:"exclusions,omitempty" yaml:"exclusions,omitempty"`
	// Links to other code systems: system id → codes (for example "sei2018": ["1.2"],
	// "mic2025": ["ic"]).
	Links map[string][]string `json:"links,omitempty" yaml:"links,omitempty"`
}

// Weight types of crosswalk edges.
const (
	WeightOccurrence = "occurrence"   // share of occurrences in a reference population
	WeightTrade      = "trade_value"  // share of trade value
	WeightPatents    = "patent_count" // share of patents
	WeightExpert     = "expert"       // set by a person, with a source
	WeightLearned    = "learned"      // estimated from data (see crosswalk learn)
	WeightEqual      = "equal"        // no information: equal shares
)

// CrosswalkEdge links a code of one system to a code of another, with a weight: the
// share of the source code's mass that goes to the target code.
type CrosswalkEdge struct {
	FromSystem string  `json:"from_system"`
	From       string  `json:"from"`
	ToSystem   string  `json:"to_system"`
	To         string  `json:"to"`
	Weight     float64 `json:"weight"`
	WeightType string  `json:"weight_type"`
	// Partial marks a correspondence that covers only part of the source code (SEI's *).
	Partial    bool   `json:"partial,omitempty"`
	Source     string `json:"source"`
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidTo    string `json:"valid_to,omitempty"`
	SampleSize int    `json:"sample_size,omitempty"`
}
