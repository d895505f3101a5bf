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
	bad := func(prop, value string, err error) error {
		return cipmap.WrapError(cipmap.EINVALID, err, "%s %s: %s %q", e.Schema, e.ID, prop, value)
	}
	period := func() (from, to, rec Date, err error) {
		if s := e.First("start_date"); s != "" {
			if from, _, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("start_date", s, err)
			}
		}
		if s := e.First("end_date"); s != "" {
			if _, to, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("end_date", s, err)
			}
		}
		if s := e.First("record_date"); s != "" {
			if rec, _, err = ParseDate(s); err != nil {
				return 0, 0, 0, bad("record_date", s, err)
			}
		}
		return from, to, rec, nil
	}
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
	switch e.Schema {
	case "Firm", "Person", "GovBody", "Fund":
		n := Node{ID: e.ID, Name: e.First("name"), Kind: KindOfSchema(e.Schema), Country: e.First("country")}
		if n.Name == "" {
			n.Name = e.Caption
		}
		switch e.Schema {
		case "Person":
			n.Country = e.First("nationality")
		case "GovBody":
			n.Level = ParseLevel(e.First("level"))
			n.Type = govType(e.First("kind"))
		case "Fund":
			n.Level = ParseLevel(e.First("level"))
		}
		b.AddNode(n)
		if e.Schema == "Firm" && whollyStateOwned(e.First("legal_form")) {
			b.wholly = append(b.wholly, b.node(e.ID))
		}
	case "Ownership":
		from, to, rec, err := period()
		if err != nil {
			return err
		}
		h := Holding{Owner: e.First("owner"), Asset: e.First("asset"), From: from, To: to, Recorded: rec}
		shares := e.Values("percentage")
		if len(shares) == 0 {
			h.Source = provenance("owner")
			b.AddHolding(h)
		}
		for _, s := range shares {
			r, err := ParseShare(s)
			if err != nil {
				return bad("percentage", s, err)
			}
			h.Share = r
			h.Source = provenance("percentage")
			b.AddHolding(h)
		}
	case "Control":
		from, to, rec, err := period()
		if err != nil {
			return err
		}
		role := e.First("role")
		if role == "" {
			role = e.First("control_type")
		}
		b.AddControl(Control{Controller: e.First("controller"), Controlled: e.First("controlled"),
			Role: role, From: from, To: to, Recorded: rec, Source: provenance("controller")})
	case "Directorship":
		from, to, _, err := period()
		if err != nil {
			return err
		}
		b.AddPosition(Position{Person: e.First("director"), Org: e.First("organization"),
			Role: e.First("role"), From: from, To: to, Source: provenance("director")})
	}
	return nil
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
