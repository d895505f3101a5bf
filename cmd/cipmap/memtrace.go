package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"time"
)

// memTrace wraps a stage callback for finding where a big job holds memory: with
// CIPMAP_MEMTRACE=DIR set, each stage prints to stderr the live heap at its start
// and the peak resident memory of the stage before it, and writes a heap profile
// DIR/JOB-N-STAGE.pprof for `go tool pprof`. Unset, it returns next.
func memTrace(job string, next func(string)) func(string) {
	dir := os.Getenv("CIPMAP_MEMTRACE")
	if dir == "" {
		return next
	}
	var mu sync.Mutex
	stage, peak := "start", int64(0)
	go func() {
		for range time.Tick(50 * time.Millisecond) {
			if rss := residentBytes(); rss > 0 {
				mu.Lock()
				peak = max(peak, rss)
				mu.Unlock()
			}
		}
	}()
	n := 0
	return func(s string) {
		mu.Lock()
		fmt.Fprintf(os.Stderr, "memtrace %s: stage %q peaked at %d MB resident\n", job, stage, peak>>20)
		stage, peak = s, 0
		mu.Unlock()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		fmt.Fprintf(os.Stderr, "memtrace %s: before %q: heap %d MB, sys %d MB\n", job, s, ms.HeapAlloc>>20, ms.Sys>>20)
		n++
		if f, err := os.Create(fmt.Sprintf("%s/%s-%02d-%s.pprof", dir, job, n, strings.ReplaceAll(s, " ", "-"))); err == nil {
			pprof.WriteHeapProfile(f)
			f.Close()
		}
		if next != nil {
			next(s)
		}
	}
}

// residentBytes reads the process's resident memory from /proc (Linux); 0 elsewhere.
func residentBytes() int64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	var size, rss int64
	if _, err := fmt.Sscan(string(b), &size, &rss); err != nil {
		return 0
	}
	return rss * int64(os.Getpagesize())
}
