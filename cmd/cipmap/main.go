// Command cipmap maps China's industrial policy: its policies, programs, players and
// resources, on one harmonised database. Run `cipmap help` for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if path := os.Getenv("CIPMAP_CPUPROFILE"); path != "" {
		// A CPU profile for `go tool pprof`, for finding where a slow job spends time.
		if f, err := os.Create(path); err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	if err != nil {
		fmt.Fprintln(m.Stderr, "cipmap:", err)
	}
	pprof.StopCPUProfile()
	os.Exit(ExitCode(err))
}
