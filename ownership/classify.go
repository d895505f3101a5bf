package ownership

import (
	"fmt"
	"strings"
)

// Class is the ownership class of a firm.
type Class uint8

// Classes of firm.
const (
	ClassUnknown    Class = iota // no holders recorded, or a controller of unknown kind
	ClassCentralSOE              // 央企: controlled by a central state body
	ClassLocalSOE                // 地方国企: controlled by a provincial, municipal or county state body
	ClassSOE                     // controlled by a state body of unknown level
	ClassMixed                   // not controlled by the state, but the state holds Options.Mixed or more
	ClassPrivate                 // controlled by a domestic non-state owner, or by no one, the state holding less
	ClassForeign                 // controlled from abroad
	ClassGovernment              // the node is a state body itself
	ClassNotFirm                 // the node is a person or a foreign owner, which are not classified
)

var classNames = [...]string{
	"unknown", "central SOE", "local SOE", "SOE (level unknown)", "mixed", "private",
	"foreign", "government body", "not a firm",
}

// String returns the class in English: "central SOE", "local SOE", ...
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "unknown"
}

// Classes lists every class, in the order of the constants.
func Classes() []Class {
	out := make([]Class, len(classNames))
	for i := range out {
		out[i] = Class(i)
	}
	return out
}

// Classification is the class of a firm with the rule that decided it.
type Classification struct {
	Class Class
	// Rule is the rule that decided, as text: "the ultimate controller is a central
	// state body".
	Rule string
	// Text explains the decision for this firm: "local SOE: ultimate controller
	// 深圳市国资委 (municipal SASAC) through 深圳市投资控股有限公司 (100%) → X (51%)".
	Text  string
	Chain Chain
	State StateShare
}

// String returns the explanation followed by the rule.
func (c Classification) String() string { return c.Text + " [rule: " + c.Rule + "]" }

// Classify returns the class of target and the rule that decided it. The rules, in
// order:
//
//  1. A government body, or a node flagged State with no controller of its own, is
//     the state: ClassGovernment (a flagged node of known level is an SOE of it).
//  2. Persons, foreign owners and foreign governments are not classified:
//     ClassNotFirm.
//  3. With an ultimate controller (see Controller): a state node makes a central,
//     local or unknown-level SOE by its Level; a foreign one (KindForeign, or
//     registered abroad) a foreign firm; a domestic non-state one a mixed firm if
//     the state's effective share is at least Options.Mixed, else a private firm; a
//     node of unknown kind an unknown class.
//  4. Without one: an SOE if state bodies together hold more than Options.Majority
//     (central or local by the larger part), mixed if they hold at least
//     Options.Mixed, private if the firm has holders, unknown if it has none.
//
// Every comparison uses the low bound of the state share, so unknown shares never make
// a firm mixed or state-owned.
func (v *View) Classify(target string) (Classification, error) {
	t, err := v.g.lookup(target)
	if err != nil {
		return Classification{}, err
	}
	ss, err := v.StateShare(target)
	if err != nil {
		return Classification{}, err
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	v.resolve(t)
	return v.classify(t, ss, true), nil
}

// describe names the kind of a node for explanations: "municipal SASAC", "foreign,
// USA", "natural person".
func (v *View) describe(u int32) string {
	n := v.g.node(u)
	lvl := n.Level.String()
	switch {
	case n.Kind == KindGov:
		typ := n.Type
		if typ == "" {
			typ = "government body"
		}
		if n.IsForeign() {
			return "foreign " + typ + ", " + n.Country
		}
		return strings.TrimSpace(lvl + " " + typ)
	case n.State:
		return strings.TrimSpace(lvl + " state-owned " + n.Kind.String())
	case n.IsForeign():
		if n.Country != "" {
			return "foreign, " + n.Country
		}
		return "foreign"
	case n.Kind == KindPerson:
		return "natural person"
	}
	return n.Kind.String()
}

// chainText renders the chain below the ultimate controller: "through A (100%) → B
// (51%)", or "→ B (51%)" for a single link.
func chainText(c *Chain) string {
	var b strings.Builder
	for i, l := range c.Links {
		if i == 0 && len(c.Links) > 1 {
			b.WriteString(" through ")
		} else {
			b.WriteString(" → ")
		}
		b.WriteString(l.ControlledName)
		b.WriteString(" (")
		switch {
		case l.BlockSize > 1:
			others := "other holder"
			if l.BlockSize > 2 {
				others = "other holders"
			}
			fmt.Fprintf(&b, "%s; %s with %d %s under the same controller", l.Share, l.Block, l.BlockSize-1, others)
		case l.HasShare && l.Rule == RuleDisclosed:
			fmt.Fprintf(&b, "%s, disclosed control", l.Share)
		case l.HasShare:
			b.WriteString(l.Share.String())
		default:
			b.WriteString("disclosed control")
		}
		b.WriteString(")")
	}
	return b.String()
}

// classify decides the class of t; v.mu is held and t resolved. Without text it
// leaves Text and Chain empty, for speed over the whole graph.
func (v *View) classify(t int32, ss StateShare, text bool) Classification {
	n := v.g.node(t)
	c := Classification{State: ss}
	if text {
		c.Chain = v.chain(t)
	}
	cs := v.ctrl
	o := v.opt
	mixed := pct(o.Mixed) + "%"
	decide := func(class Class, rule, why string) Classification {
		c.Class, c.Rule = class, rule
		if text {
			c.Text = class.String() + ": " + why
		}
		return c
	}
	stateSOE := func(u int32) (Class, string) {
		switch l := v.g.nodes[u].level; {
		case l == LevelCentral:
			return ClassCentralSOE, "the ultimate controller is a central state body"
		case l.Local():
			return ClassLocalSOE, "the ultimate controller is a local (provincial, municipal or county) state body"
		}
		return ClassSOE, "the ultimate controller is a state body of unknown level"
	}
	top := cs.top[t]
	switch {
	case n.IsState() && (n.Kind == KindGov || top < 0 && n.Level == LevelNone):
		return decide(ClassGovernment, "a government body (or a node flagged State) is the state itself",
			fmt.Sprintf("%s is a %s", n.name(), v.describe(t)))
	case n.IsState() && top < 0:
		class, _ := stateSOE(t)
		return decide(class, "a node flagged State with no controller is an SOE of its own level",
			fmt.Sprintf("%s is a %s", n.name(), v.describe(t)))
	case n.Kind == KindPerson || n.Kind == KindForeign || n.Kind == KindGov:
		return decide(ClassNotFirm, "persons, foreign owners and foreign governments are not classified",
			fmt.Sprintf("%s is a %s", n.name(), v.describe(t)))
	}
	var stateText, head string
	if text {
		stateText = fmt.Sprintf("the state holds %s", ss.Total)
	}
	if top >= 0 {
		u := v.g.node(top)
		if text {
			head = fmt.Sprintf("ultimate controller %s (%s)%s", u.name(), v.describe(top), chainText(&c.Chain))
		}
		switch {
		case u.IsForeign():
			return decide(ClassForeign, "the ultimate controller is foreign", head)
		case u.IsState():
			class, rule := stateSOE(top)
			return decide(class, rule, head)
		case u.Kind == KindUnknown:
			return decide(ClassUnknown, "the ultimate controller is of unknown kind", head)
		case ss.Total.Lo >= o.Mixed:
			return decide(ClassMixed,
				"the ultimate controller is not the state, but the state holds at least "+mixed,
				head+"; "+stateText)
		}
		return decide(ClassPrivate,
			"the ultimate controller is a domestic non-state owner and the state holds less than "+mixed,
			head+"; "+stateText)
	}
	none := "no ultimate controller"
	if c.Chain.Cycle {
		none = "control runs in a loop, so there is no ultimate controller"
	}
	s, e := v.in.span(t)
	switch {
	case ss.Total.Lo > o.Majority:
		class := ClassLocalSOE
		if ss.Central.Lo >= ss.Local.Lo {
			class = ClassCentralSOE
		}
		if ss.Central.Lo == 0 && ss.Local.Lo == 0 {
			class = ClassSOE
		}
		return decide(class,
			"without a single controller, state bodies together hold more than "+pct(o.Majority)+
				"%; the level is that of the larger part",
			fmt.Sprintf("%s; %s (central %s, local %s)", none, stateText, ss.Central, ss.Local))
	case ss.Total.Lo >= o.Mixed:
		return decide(ClassMixed, "without a single controller, the state holds at least "+mixed,
			none+"; "+stateText)
	case s == e:
		return decide(ClassUnknown, "no holders are recorded", "no holders of "+n.name()+" are recorded")
	}
	return decide(ClassPrivate, "without a single controller, the state holds less than "+mixed,
		none+"; "+stateText)
}
