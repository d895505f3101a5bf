package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
)

// OwnershipCommand shows look-through ownership, control and the state share.
type OwnershipCommand struct{ m *Main }

const ownershipHelp = `Usage: cipmap ownership FIRM [--at DATE] [--up|--down|--group] [--format table|json|csv]

Looks through the ownership chains of the database (Ownership, Control and GovBody
entities) on a date (default today):
  (default, --up)  who owns FIRM, directly and effectively (products of the shares
                   along every chain, cross-holdings solved as a linear system, not
                   looped), ranges carried through as bounds; then the chain of
                   control to the ultimate controller, the state share (central,
                   local) and the class (central SOE, local SOE, private, foreign,
                   mixed) with the rule that decided it.
  --down           what FIRM owns, directly and through others.
  --group          the firms FIRM controls, directly or through controlled firms.
FIRM is an entity id (find one with cipmap search).
穿透股权：实际控制人、国有股比例、企业性质（央企、地方国企、民营、外资、混合）及判定规则。

Examples:
  cipmap ownership world-firm-5d71ab9a34f99249
  cipmap ownership --at 2020-12-31 --down world-gov-...
  cipmap people world-firm-5d71ab9a34f99249`

func (c *OwnershipCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("ownership", ownershipHelp)
	var f readFlags
	at := fs.String("at", "", "the date, YYYY-MM-DD (default today)")
	up := fs.Bool("up", false, "who owns the firm (the default)")
	down := fs.Bool("down", false, "what the firm owns")
	group := fs.Bool("group", false, "the firms it controls")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	if (*up && *down) || (*group && (*up || *down)) {
		return cipmap.Errorf(cipmap.EINVALID, "give one of --up, --down and --group")
	}
	v, err := c.m.ownershipView(ctx, f.db, *at)
	if err != nil {
		return err
	}
	id := pos[0]
	switch {
	case *down:
		stakes, err := v.Down(id)
		if err != nil {
			return err
		}
		return writeStakes(c.m, f.format, stakes, "owns")
	case *group:
		members, err := v.Group(id)
		if err != nil {
			return err
		}
		if f.format == "json" {
			return writeJSON(c.m.Stdout, members)
		}
		var rows [][]string
		for _, m := range members {
			rows = append(rows, []string{fmt.Sprintf("%+v", m)})
		}
		return writeRows(c.m.Stdout, f.format, []string{"member"}, rows)
	}
	stakes, err := v.Up(id)
	if err != nil {
		return err
	}
	cls, err := v.Classify(id)
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, map[string]any{"owners": stakes, "classification": cls})
	}
	if err := writeStakes(c.m, f.format, stakes, "owned by"); err != nil {
		return err
	}
	if f.format != "table" {
		return nil
	}
	out := c.m.Stdout
	fmt.Fprintf(out, "\nchain of control:\n")
	if len(cls.Chain.Links) == 0 {
		fmt.Fprintln(out, "  no controller")
	}
	for _, l := range cls.Chain.Links {
		share := ""
		if l.HasShare {
			share = " " + fmtRange(l.Share)
		}
		fmt.Fprintf(out, "  %s → %s%s: %s\n", orID(l.ControllerName, l.Controller), orID(l.ControlledName, l.Controlled), share, l.Why)
	}
	s := cls.State
	fmt.Fprintf(out, "state share: %s (central %s, local %s, other %s)%s\n", fmtRange(s.Total), fmtRange(s.Central), fmtRange(s.Local),
		fmtRange(s.Other), map[bool]string{true: " (bounds widened: a cycle or a large cross-holding)"}[s.Approx])
	fmt.Fprintf(out, "class: %s\n", cls)
	return nil
}

func orID(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

// fmtRange prints a share range as percentages: "30%" or "18%–30%".
func fmtRange(r ownership.Range) string {
	p := func(x float64) string {
		return strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.4f", 100*x), "0"), ".") + "%"
	}
	if r.Lo == r.Hi {
		return p(r.Lo)
	}
	return p(r.Lo) + "–" + p(r.Hi)
}

func writeStakes(m *Main, format string, stakes []ownership.Stake, verb string) error {
	if format == "json" {
		return writeJSON(m.Stdout, stakes)
	}
	var rows [][]string
	for _, s := range stakes {
		direct := ""
		if s.HasDirect {
			direct = fmtRange(s.Direct)
		}
		approx := ""
		if s.Approx {
			approx = "yes"
		}
		rows = append(rows, []string{s.ID, s.Name, fmt.Sprint(s.Kind), direct, fmtRange(s.Effective), approx})
	}
	if len(rows) == 0 && format == "table" {
		fmt.Fprintf(m.Stdout, "(%s nobody on this date)\n", verb)
		return nil
	}
	return writeRows(m.Stdout, format, []string{"id", "name", "kind", "direct", "effective", "bounds widened"}, rows)
}

// ownershipDay is the day of --at, or today when it is empty.
func (m *Main) ownershipDay(at string) (ownership.Date, error) {
	if at == "" {
		return ownership.FromTime(m.Now()), nil
	}
	d, _, err := ownership.ParseDate(at)
	if err != nil {
		return 0, cipmap.WrapError(cipmap.EINVALID, err, "--at %q", at)
	}
	return d, nil
}

// ownershipView loads the ownership graph from the database and views it on a date.
func (m *Main) ownershipView(ctx context.Context, dsn, at string) (*ownership.View, error) {
	day, err := m.ownershipDay(at)
	if err != nil {
		return nil, err
	}
	st, err := m.openStore(ctx, dsn, true)
	if err != nil {
		return nil, err
	}
	g, err := ownership.LoadStore(ctx, st, ownership.LoadOptions{Positions: true})
	if err != nil {
		return nil, err
	}
	return g.At(day), nil
}

// PeopleCommand lists a firm's key staff and their other firms.
type PeopleCommand struct{ m *Main }

const peopleHelp = `Usage: cipmap people FIRM [--at DATE] [--format table|json|csv]

Lists the key staff of FIRM on a date (directors, supervisors, officers: its
Directorship relations) and, for each person, the other organisations they serve at
on that day: the interlocks. 列出企业的董监高及其在其他企业的任职（交叉任职）。`

func (c *PeopleCommand) Run(ctx context.Context, args []string) error {
	fs := c.m.newFlagSet("people", peopleHelp)
	var f readFlags
	at := fs.String("at", "", "the date, YYYY-MM-DD (default today)")
	pos, err := f.parse(c.m, fs, args, one)
	if err != nil {
		return err
	}
	v, err := c.m.ownershipView(ctx, f.db, *at)
	if err != nil {
		return err
	}
	staff, err := v.People(pos[0])
	if err != nil {
		return err
	}
	if f.format == "json" {
		return writeJSON(c.m.Stdout, staff)
	}
	var rows [][]string
	for _, s := range staff {
		var roles, other []string
		for _, r := range s.Roles {
			roles = append(roles, r.Role)
		}
		for _, e := range s.Elsewhere {
			other = append(other, orID(e.OrgName, e.Org)+" ("+e.Role+")")
		}
		rows = append(rows, []string{s.Person, s.Name, strings.Join(roles, ", "), strings.Join(other, "; ")})
	}
	return writeRows(c.m.Stdout, f.format, []string{"person", "name", "roles", "elsewhere (interlocks)"}, rows)
}
