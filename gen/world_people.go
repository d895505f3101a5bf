package gen

import (
	"math/rand/v2"
	"strconv"
)

// person is a natural person, compactly.
type person struct {
	sur    uint8
	given  [2]uint8 // 0xFF for none
	female bool
	birth  uint16
}

func (w *world) newPerson(r *rand.Rand) int32 {
	p := person{sur: uint8(w.d.surnameSampler.pick(r)), given: [2]uint8{0xFF, 0xFF}, female: r.IntN(10) < 3,
		birth: uint16(1950 + r.IntN(49))}
	p.given[0] = uint8(r.IntN(len(w.d.given)))
	if r.Float64() < 0.7 {
		p.given[1] = uint8(r.IntN(len(w.d.given)))
	}
	w.persons = append(w.persons, p)
	return int32(len(w.persons) - 1)
}

func (w *world) personName(i int32) string {
	p := &w.persons[i]
	s := string(w.d.surnames[p.sur].r)
	for _, g := range p.given {
		if g != 0xFF {
			s += string(w.d.given[g].r)
		}
	}
	return s
}

// personEN writes a name in pinyin, surname first: Zhang Wei, Li Xiaoming.
func (w *world) personEN(i int32) string {
	p := &w.persons[i]
	given := ""
	for _, g := range p.given {
		if g != 0xFF {
			given += w.d.given[g].pinyin
		}
	}
	return capital(w.d.surnames[p.sur].pinyin) + " " + capital(given)
}

// writeDirectorships chooses every firm's legal representative and board, and
// writes registry/directorships.csv. Members of an SOE group draw on the group's
// executives, listed firms on a pool of independent directors, and a fifth of
// private firms have a legal representative who already represents another firm:
// these are the interlocks.
func (w *world) writeDirectorships() error {
	r := w.rng(4)
	c, err := w.newCSV("registry/directorships.csv", "person_id", "firm_id", "role", "start_date", "end_date")
	if err != nil {
		return err
	}
	for gi := range w.groups {
		g := &w.groups[gi]
		for k := 0; k < max(3, (g.end-g.root)/4); k++ {
			g.execs = append(g.execs, w.newPerson(r))
		}
	}
	indep := make([]int32, max(10, w.res.ListedFirms*6/10))
	for k := range indep {
		indep[k] = w.newPerson(r)
	}
	var reps []int32 // legal representatives of private firms
	var board []int32
	for i := range w.firms {
		f := &w.firms[i]
		soe, listed := f.flags&fSOE != 0, f.flags&fListed != 0
		var g *group
		if soe {
			g = &w.groups[f.group]
		}
		var rep int32
		switch {
		case soe:
			rep = g.execs[r.IntN(len(g.execs))]
		case len(reps) > 0 && r.Float64() < 0.2:
			rep = reps[r.IntN(len(reps))]
		default:
			rep = w.newPerson(r)
			reps = append(reps, rep)
		}
		f.rep = rep
		board = append(board[:0], rep)
		start := between(r, f.founded, min(f.founded+5*365, dayEnd))
		row := func(p int32, role string, start int32) {
			c.field(personID(int(p)))
			c.field(w.firmID(i))
			c.field(role)
			c.date(start)
			if role != "法定代表人" && role != "执行事务合伙人委派代表" && r.Float64() < 0.1 && start+365 < dayEnd {
				c.date(between(r, start+365, dayEnd))
			}
			c.end()
			w.res.Directorships++
		}
		// another draws a person not yet on this board.
		another := func(pick func() int32) int32 {
			for try := 0; try < 5; try++ {
				p := pick()
				dup := false
				for _, q := range board {
					dup = dup || q == p
				}
				if !dup {
					board = append(board, p)
					return p
				}
			}
			p := w.newPerson(r)
			board = append(board, p)
			return p
		}
		newP := func() int32 { return w.newPerson(r) }
		if f.flags&fFund != 0 {
			row(rep, "执行事务合伙人委派代表", start)
			continue
		}
		row(rep, "法定代表人", start)
		if soe || listed || f.form == formJSC {
			row(rep, "董事长", start)
			nd := 2 + r.IntN(3)
			if soe || listed {
				nd = 4 + r.IntN(4)
			}
			for k := 0; k < nd; k++ {
				var p int32
				switch {
				case soe && r.Float64() < 0.6:
					p = another(func() int32 { return g.execs[r.IntN(len(g.execs))] })
				case r.Float64() < 0.2 && len(reps) > 0:
					p = another(func() int32 { return reps[r.IntN(len(reps))] })
				default:
					p = another(newP)
				}
				row(p, "董事", between(r, start, dayEnd))
			}
			if listed {
				for k := 0; k < 3; k++ {
					row(another(func() int32 { return indep[r.IntN(len(indep))] }), "独立董事", between(r, start, dayEnd))
				}
			}
			for k := 0; k < 1+r.IntN(3); k++ {
				row(another(newP), "监事", between(r, start, dayEnd))
			}
			if r.Float64() < 0.5 {
				row(another(newP), "总经理", between(r, start, dayEnd))
			}
			continue
		}
		row(rep, "执行董事", start)
		if len(reps) > 1 && r.Float64() < 0.3 {
			row(another(func() int32 { return reps[r.IntN(len(reps))] }), "监事", start)
		} else {
			row(another(newP), "监事", start)
		}
		if r.Float64() < 0.3 {
			row(another(newP), "总经理", between(r, start, dayEnd))
		}
	}
	return c.close()
}

// writePersons writes registry/persons.csv.
func (w *world) writePersons() error {
	c, err := w.newCSV("registry/persons.csv", "person_id", "name", "name_en", "gender", "birth_year")
	if err != nil {
		return err
	}
	for i := range w.persons {
		c.field(personID(i))
		c.field(w.personName(int32(i)))
		c.field(w.personEN(int32(i)))
		if w.persons[i].female {
			c.field("女")
		} else {
			c.field("男")
		}
		c.int(int(w.persons[i].birth))
		c.end()
	}
	w.res.Persons = len(w.persons)
	return c.close()
}

// writeGovBodies writes registry/gov_bodies.csv.
func (w *world) writeGovBodies() error {
	c, err := w.newCSV("registry/gov_bodies.csv", "gov_id", "name", "short_name", "name_en", "level", "kind", "parent_name", "region")
	if err != nil {
		return err
	}
	for i, g := range w.gov {
		for _, v := range []string{govID(i), g.name, g.short, g.en, g.level, g.kind, g.parent, g.region} {
			c.field(v)
		}
		c.end()
	}
	return c.close()
}

// writeFirms writes registry/firms.csv, the clean registry.
func (w *world) writeFirms() error {
	c, err := w.newCSV("registry/firms.csv", "firm_id", "name", "name_en", "short_name", "previous_name", "uscc",
		"legal_form", "founded", "region", "province", "city", "district", "address", "legal_representative",
		"legal_representative_id", "registered_capital", "industry", "stock_code")
	if err != nil {
		return err
	}
	for i := range w.firms {
		f := &w.firms[i]
		ci := &w.d.cities[f.city]
		c.field(w.firmID(i))
		c.field(w.zhName(f, false))
		if f.flags&fEN != 0 {
			c.field(w.enName(f, false, enOpts{}))
		} else {
			c.field("")
		}
		if f.short != shortNone {
			c.field(w.shortName(f, f.short))
		} else {
			c.field("")
		}
		if f.rename != renameNone {
			c.field(w.zhName(f, true))
		} else {
			c.field("")
		}
		c.field(string(f.uscc[:]))
		lf := w.d.forms[f.form].zh
		if f.form == formGroup {
			lf = "有限责任公司"
		} else if f.form == formLP {
			lf = "有限合伙企业"
		}
		c.field(lf)
		c.date(f.founded)
		c.field(ci.code)
		c.field(w.d.provinces[ci.prov].name)
		c.field(ci.name + "市")
		if f.district >= 0 {
			c.field(ci.districts[f.district].name)
		} else {
			c.field("")
		}
		c.field(w.address(f, true))
		c.field(w.personName(f.rep))
		c.field(personID(int(f.rep)))
		c.field(strconv.Itoa(int(f.capital)) + "万元")
		codes := w.d.industries[f.industry].codes
		c.field(codes[int(f.roadNo)%len(codes)])
		if f.stock >= 0 {
			c.field(stockString(f.stock))
		} else {
			c.field("")
		}
		c.end()
	}
	return c.close()
}

func stockString(code int32) string {
	return pad(int(code), 6) + "." + stockSuffix(code)
}

// writeForeign writes registry/foreign_firms.csv.
func (w *world) writeForeign() error {
	c, err := w.newCSV("registry/foreign_firms.csv", "firm_id", "name", "country", "founded")
	if err != nil {
		return err
	}
	for i, f := range w.foreign {
		c.field(foreignID(i))
		c.field(f.name)
		c.field(f.country)
		c.date(f.founded)
		c.end()
	}
	return c.close()
}
