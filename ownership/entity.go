package ownership

import (
	"strings"

	"github.com/cipmap/cipmap"
)

// AddEntity adds an entity as the store holds it: a Firm, Person, GovBody or Fund as
// a node, an Ownership as holdings, a Control or a Directorship as an edge. Other
// schemas are ignored. An Ownership stated by several datasets with different
// percentages becomes one holding per percentage, which View combines. A value that
// cannot be read is an EINVALID error naming the entity, the property and the value.
func (b *Builder) AddEntity(e *cipmap.Entity) error {
	provenance := func(prop string) string {
		for _, s := range e.Statements {
			if s.Property == prop {
				if s.Source == "" {
					return s.Dataset
				}
				return s.Dataset + ":" + s.Source
			}
		}
		return ""
	}
	it, err := parseEntity(e.ID, e.Schema, e.Caption, e.First, e.Values, provenance)
	if err != nil {
		return err
	}
	b.addItem(&it)
	return nil
}

// entityItem is what one entity adds to a Builder: a node (and whether its form
// says wholly state-owned), holdings, a control or a position.
type entityItem struct {
	id       string
	node     *Node
	wholly   bool
	holdings []Holding
	control  *Control
	position *Position
}

// addItem adds it as AddEntity does.
func (b *Builder) addItem(it *entityItem) {
	if it.node != nil {
		b.AddNode(*it.node)
		if it.wholly {
			b.wholly = append(b.wholly, b.node(it.id))
		}
	}
	for _, h := range it.holdings {
		b.AddHolding(h)
	}
	if it.control != nil {
		b.AddControl(*it.control)
	}
	if it.position != nil {
		b.AddPosition(*it.position)
	}
}

// parseEntity reads what the entity id of schema adds to a Builder from its
// caption, the first and distinct values of a property and the source of its first
// statement (AddEntity). A value that cannot be read is an EINVALID error.
func parseEntity(id, schema, caption string, first func(string) string, values func(string) []string, provenance func(string) string) (entityItem, error) {
	it := entityItem{id: id}
	bad := func(prop, value string, err error) error {
		return cipmap.WrapError(cipmap.EINVALID, err, "%s %s: %s %q", schema, id, prop, value)
	}
	period := func() (from, to, rec Date, err error) {
		if s := first("start_date"); s != "" {
			if from, _, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("start_date", s, err)
			}
		}
		if s := first("end_date"); s != "" {
			if _, to, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("end_date", s, err)
			}
		}
		if s := first("record_date"); s != "" {
			if rec, _, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("record_date", s, err)
			}
		}
		return from, to, rec, nil
	}
	switch schema {
	case "Firm", "Person", "GovBody", "Fund":
		n := Node{ID: id, Name: first("name"), Kind: KindOfSchema(schema), Country: first("country")}
		if n.Name == "" {
			n.Name = caption
		}
		switch schema {
		case "Person":
			n.Country = first("nationality")
		case "GovBody":
			n.Level = ParseLevel(first("level"))
			n.Type = govType(first("kind"))
		case "Fund":
			n.Level = ParseLevel(first("level"))
		}
		it.node = &n
		it.wholly = schema == "Firm" && whollyStateOwned(first("legal_form"))
	case "Ownership":
		from, to, rec, err := period()
		if err != nil {
			return it, err
		}
		h := Holding{Owner: first("owner"), Asset: first("asset"), From: from, To: to, Recorded: rec}
		shares := values("percentage")
		if len(shares) == 0 {
			h.Source = provenance("owner")
			it.holdings = append(it.holdings, h)
		}
		for _, s := range shares {
			r, err := ParseShare(s)
			if err != nil {
				return it, bad("percentage", s, err)
			}
			h.Share = r
			h.Source = provenance("percentage")
			it.holdings = append(it.holdings, h)
		}
	case "Control":
		from, to, rec, err := period()
		if err != nil {
			return it, err
		}
		role := first("role")
		if role == "" {
			role = first("control_type")
		}
		it.control = &Control{Controller: first("controller"), Controlled: first("controlled"),
			Role: role, From: from, To: to, Recorded: rec, Source: provenance("controller")}
	case "Directorship":
		from, to, _, err := period()
		if err != nil {
			return it, err
		}
		it.position = &Position{Person: first("director"), Org: first("organization"),
			Role: first("role"), From: from, To: to, Source: provenance("director")}
	}
	return it, nil
}

// Properties are the properties AddEntity reads, so that a caller can read no
// others.
var Properties = []string{"name", "country", "nationality", "level", "kind", "legal_form",
	"owner", "asset", "percentage", "start_date", "end_date", "record_date",
	"controller", "controlled", "role", "control_type", "director", "organization"}

// govType shortens the kind of a government body for explanations: any SASAC is
// "SASAC"; other kinds are kept as written.
func govType(kind string) string {
	k := strings.TrimSpace(kind)
	if strings.Contains(k, "国资委") || strings.Contains(strings.ToUpper(k), "SASAC") {
		return "SASAC"
	}
	return k
}

// whollyStateOwned reports whether a registered legal form (企业类型) says the firm is
// wholly owned by the state: 有限责任公司（国有独资）, 国有全资, 全民所有制.
func whollyStateOwned(form string) bool {
	for _, w := range []string{"国有独资", "国有全资", "全民所有制"} {
		if strings.Contains(form, w) {
			return true
		}
	}
	return false
}
