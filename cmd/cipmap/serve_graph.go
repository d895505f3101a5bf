package main

import (
	"context"
	"sync"
	"time"

	"github.com/cipmap/cipmap"
	"github.com/cipmap/cipmap/ownership"
)

// wholeGraph is the ownership graph of the whole store, which the server loads in
// the background when it starts and again after each write through the API
// (ownership.LoadStore), and views on today, analysed. Once it is there, firm
// pages and sector profiles look through ownership from memory; until then, and
// while it is reloaded, each from its entities' neighbourhood (ownership.Around),
// which answers the same (TestServeWholeGraph) but reads the store for each call:
// at a million firms a firm page's neighbourhood takes tens of milliseconds and a
// sector's up to half a minute, where the load takes about a minute and 2.5 GB.
type wholeGraph struct {
	st   cipmap.Store
	now  cipmap.Clock
	logf func(format string, args ...any)

	mu      sync.Mutex
	gen     int // counts the writes, so that a load the data changed under is dropped
	graph   *ownership.Graph
	view    *ownership.View // of graph, on the day of its date, analysed
	loading bool
	// loaded is closed when a load ends, whether it failed or not; a test waits
	// on it.
	loaded chan struct{}
	// onLoad, if set, runs in a goroutine of its own after each load that
	// succeeds.
	onLoad func()
}

// setOnLoad sets the function run after each load, and runs it now if a graph is
// loaded.
func (w *wholeGraph) setOnLoad(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.onLoad = f
	if w.view != nil && f != nil {
		go f()
	}
}

func newWholeGraph(st cipmap.Store, now cipmap.Clock, logf func(string, ...any)) *wholeGraph {
	return &wholeGraph{st: st, now: now, logf: logf, loaded: make(chan struct{})}
}

// start loads the graph in the background unless a load is under way.
func (w *wholeGraph) start(ctx context.Context) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.loading {
		return
	}
	w.loading = true
	go w.load(context.WithoutCancel(ctx), w.gen)
}

func (w *wholeGraph) load(ctx context.Context, gen int) {
	begin := time.Now()
	g, err := ownership.LoadStore(ctx, w.st, ownership.LoadOptions{})
	var v *ownership.View
	if err == nil {
		v = g.At(ownership.FromTime(w.now()))
		v.Analysis()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.loading = false
	defer func() {
		select {
		case <-w.loaded:
		default:
			close(w.loaded)
		}
	}()
	switch {
	case err != nil:
		w.logf("ownership graph not loaded (pages look through each firm's neighbourhood): %v", err)
	case gen != w.gen:
		// The data changed while it loaded: load it again.
		w.loading = true
		go w.load(ctx, w.gen)
	default:
		w.graph, w.view = g, v
		w.logf("ownership graph loaded in %.1f s: %d nodes, %d holdings", time.Since(begin).Seconds(), g.Len(), g.Holdings())
		if w.onLoad != nil {
			go w.onLoad()
		}
	}
}

// changed drops the graph after a write and loads it again.
func (w *wholeGraph) changed(ctx context.Context) {
	w.mu.Lock()
	w.gen++
	w.graph, w.view = nil, nil
	w.mu.Unlock()
	w.start(ctx)
}

// on returns the view of the whole graph on day, or nil while there is none. A
// view of another day is made anew in the background (a few seconds at a
// million firms); nil until then.
func (w *wholeGraph) on(day ownership.Date) *ownership.View {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.view == nil {
		return nil
	}
	if w.view.Date() == day {
		return w.view
	}
	if !w.loading {
		w.loading = true
		g, gen := w.graph, w.gen
		go func() {
			v := g.At(day)
			v.Analysis()
			w.mu.Lock()
			defer w.mu.Unlock()
			w.loading = false
			if gen == w.gen {
				w.view = v
				return
			}
			// The data changed meanwhile, and its load waited for this one.
			w.loading = true
			go w.load(context.Background(), w.gen)
		}()
	}
	return nil
}
