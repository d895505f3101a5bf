package trace

import (
	"context"
	"fmt"
	"strings"

	"github.com/cipmap/cipmap"
)

// FindOne resolves an id or a name to one entity of schemas (any schema if none):
// an ENOTFOUND error if there is none, an EINVALID error listing up to ten of them
// if there are several.
func FindOne(ctx context.Context, src Source, q string, schemas []string) (Node, error) {
	ns, err := src.Find(ctx, q, schemas)
	if err != nil {
		return Node{}, err
	}
	switch len(ns) {
	case 0:
		among := "any schema"
		if len(schemas) > 0 {
			among = strings.Join(schemas, ", ")
		}
		return Node{}, cipmap.Errorf(cipmap.ENOTFOUND, "no entity with id or name %q among %s", q, among)
	case 1:
		return ns[0], nil
	}
	var b strings.Builder
	for i, n := range ns {
		if i == 10 {
			fmt.Fprintf(&b, "; ... %d more", len(ns)-10)
			break
		}
		fmt.Fprintf(&b, "; %s (%s, %s)", n.ID, n.Schema, n.Name)
	}
	return Node{}, cipmap.Errorf(cipmap.EINVALID, "%q names %d entities; give an id%s", q, len(ns), b.String())
}

// IsDate reports whether v is a date as trace takes one: YYYY-MM-DD, YYYY-MM or
// YYYY.
func IsDate(v string) bool {
	ok := len(v) == 4 || len(v) == 7 || len(v) == 10
	for i, r := range v {
		if i == 4 || i == 7 {
			ok = ok && r == '-'
		} else {
			ok = ok && r >= '0' && r <= '9'
		}
	}
	return ok
}
