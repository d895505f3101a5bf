package main

import (
	"context"

	"github.com/cipmap/cipmap"
)

// eval runs cipmap tag eval (see tageval).
func (c *TagCommand) eval(ctx context.Context, args []string) error {
	return cipmap.Errorf(cipmap.EINVALID, "tag eval: not built yet")
}
