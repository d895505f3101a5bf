package ownership

import (
	"cmp"
	"slices"
)

// Post is a person's role at an organisation.
type Post struct {
	Org, OrgName string
	Role         string
	From, To     Date
	Source       string
}

// Staff is a person at a firm, with the roles held there and the posts held
// elsewhere on the same day: the interlocks.
type Staff struct {
	Person, Name string
	Roles        []Post // at the firm
	Elsewhere    []Post // at other organisations
}

// People returns the key staff of firm on the view's day (directors, supervisors,
// officers: its Position edges), each with the other organisations the person serves
// at on that day. Staff come in name order, posts by organisation name and role.
func (v *View) People(firm string) ([]Staff, error) {
	f, err := v.g.lookup(firm)
	if err != nil {
		return nil, err
	}
	byPerson := map[int32]*Staff{}
	var order []int32
	for _, i := range v.posOrg.of(f) {
		p := &v.g.positions[i]
		s, ok := byPerson[p.person]
		if !ok {
			s = &Staff{Person: v.g.id(p.person), Name: v.g.name(p.person)}
			byPerson[p.person] = s
			order = append(order, p.person)
		}
		s.Roles = append(s.Roles, v.post(p))
	}
	out := make([]Staff, 0, len(order))
	for _, u := range order {
		s := byPerson[u]
		for _, i := range v.posPerson.of(u) {
			if p := &v.g.positions[i]; p.org != f {
				s.Elsewhere = append(s.Elsewhere, v.post(p))
			}
		}
		sortPosts(s.Roles)
		sortPosts(s.Elsewhere)
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Staff) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Person, b.Person))
	})
	return out, nil
}

func (v *View) post(p *position) Post {
	return Post{Org: v.g.id(p.org), OrgName: v.g.name(p.org), Role: v.g.str(p.role),
		From: p.from, To: p.to, Source: v.g.str(p.source)}
}

func sortPosts(ps []Post) {
	slices.SortFunc(ps, func(a, b Post) int {
		return cmp.Or(cmp.Compare(a.OrgName, b.OrgName), cmp.Compare(a.Org, b.Org),
			cmp.Compare(a.Role, b.Role), cmp.Compare(a.From, b.From))
	})
}
