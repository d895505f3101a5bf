package sector

import (
	"context"
	"strings"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
)

// OwnersFrom classifies the firms of ids from an ownership analysis, as a profile
// reports them: the class name (with hyphens for "not a firm" and "government"),
// and the midpoint of the state's effective share. Ids the analysis does not know
// are left out.
func OwnersFrom(an *ownership.Analysis, ids []string) map[string]Owner {
	out := make(map[string]Owner, len(ids))
	for _, id := range ids {
		cl, err := an.Class(id)
		if err != nil {
			continue
		}
		ss, _ := an.StateShare(id)
		name := cl.String()
		if cl == ownership.ClassNotFirm || cl == ownership.ClassGovernment {
			name = strings.ReplaceAll(name, " ", "-")
		}
		out[id] = Owner{Class: name, StateShare: (ss.Total.Lo + ss.Total.Hi) / 2}
	}
	return out
}

// OwnershipAround is an Ownership that classifies the firms asked about from their
// ownership neighbourhood on day (ownership.Around): their owners and controllers
// up to the ultimate ones, read from the store for each call. It answers as the view
// of the whole graph would, without building it.
func OwnershipAround(st cipmap.Store, day ownership.Date) Ownership {
	return func(ctx context.Context, ids []string) (map[string]Owner, error) {
		if len(ids) == 0 {
			return map[string]Owner{}, nil
		}
		n, err := ownership.Around(ctx, st, ids, day, ownership.DefaultOptions(), false)
		if err != nil {
			return nil, err
		}
		return OwnersFrom(n.Analyze(), ids), nil
	}
}
