package httpapi

import (
	"context"
	"sync/atomic"

	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/sync/singleflight"
)

// A memo keeps the values a page builds from the data, the most recently used
// first, until the data changes: reset (called by dataChanged) starts a new
// generation, and values of older ones are never returned. Requests for a value
// that is being built wait for that build instead of starting their own. A firm
// page at a million firms reads a dozen lookups; a value kept answers the next
// request for it from memory.
type memo[K comparable, V any] struct {
	gen    atomic.Uint64
	values *lru.Cache[memoKey[K], V]
	flight singleflight.Group
	key    func(K) string // the singleflight key of a key
}

type memoKey[K comparable] struct {
	gen uint64
	key K
}

func newMemo[K comparable, V any](size int, key func(K) string) *memo[K, V] {
	c, err := lru.New[memoKey[K], V](size)
	if err != nil {
		panic(err) // size is a constant above zero
	}
	return &memo[K, V]{values: c, key: key}
}

// get returns the value of k, building it with build when it is not kept. Errors
// are returned and not kept.
func (m *memo[K, V]) get(ctx context.Context, k K, build func(context.Context) (V, error)) (V, error) {
	gen := m.gen.Load()
	mk := memoKey[K]{gen, k}
	if v, ok := m.values.Get(mk); ok {
		return v, nil
	}
	ch := m.flight.DoChan(itoa(int(gen))+"\x00"+m.key(k), func() (any, error) {
		// Built with a context of its own, as a build may serve requests
		// besides the one that started it.
		v, err := build(context.WithoutCancel(ctx))
		if err == nil && m.gen.Load() == gen {
			m.values.Add(mk, v)
		}
		return v, err
	})
	var zero V
	select {
	case <-ctx.Done(): // this client went away; the build goes on for the others
		return zero, ctx.Err()
	case res := <-ch:
		if res.Err != nil {
			return zero, res.Err
		}
		return res.Val.(V), nil
	}
}

// reset drops every value kept.
func (m *memo[K, V]) reset() {
	m.gen.Add(1)
	m.values.Purge()
}
