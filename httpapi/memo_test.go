package httpapi

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A memo builds a value once for many concurrent requests, keeps it, does not keep
// errors, forgets everything on reset, and lets a request whose client went away
// stop waiting while the build goes on.
func TestMemo(t *testing.T) {
	m := newMemo[string, int](2, func(k string) string { return k })
	var builds atomic.Int32
	release := make(chan struct{})
	build := func(v int) func(context.Context) (int, error) {
		return func(context.Context) (int, error) {
			builds.Add(1)
			<-release
			return v, nil
		}
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	got := make([]int, 10)
	for i := range got {
		wg.Go(func() {
			v, err := m.get(ctx, "a", build(7))
			if err != nil {
				t.Error(err)
			}
			got[i] = v
		})
	}
	time.Sleep(50 * time.Millisecond)
	close(release)
	wg.Wait()
	for _, v := range got {
		if v != 7 {
			t.Fatalf("got %v, want 7 for all", got)
		}
	}
	if n := builds.Load(); n != 1 {
		t.Errorf("%d builds for ten concurrent requests, want 1", n)
	}
	if v, _ := m.get(ctx, "a", build(8)); v != 7 || builds.Load() != 1 {
		t.Errorf("kept value: %d after %d builds, want 7 after 1", v, builds.Load())
	}

	fail := errors.New("store down")
	if _, err := m.get(ctx, "b", func(context.Context) (int, error) { return 0, fail }); !errors.Is(err, fail) {
		t.Errorf("error %v, want %v", err, fail)
	}
	if v, err := m.get(ctx, "b", build(9)); err != nil || v != 9 {
		t.Errorf("after an error: %d, %v; want a new build, 9", v, err)
	}

	m.reset()
	if v, _ := m.get(ctx, "a", build(10)); v != 10 {
		t.Errorf("after reset: %d, want a new build, 10", v)
	}

	gone, cancel := context.WithCancel(ctx)
	slow := make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := m.get(gone, "c", func(context.Context) (int, error) { <-slow; return 11, nil })
		done <- err
	}()
	time.Sleep(20 * time.Millisecond)
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("a client that went away: %v, want context.Canceled", err)
	}
	close(slow)
	time.Sleep(20 * time.Millisecond)
	if v, _ := m.get(ctx, "c", build(12)); v != 11 {
		t.Errorf("the build a gone client started: %d, want it kept, 11", v)
	}
}
