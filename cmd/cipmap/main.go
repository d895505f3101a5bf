// Command cipmap maps China's industrial policy: its policies, programs, players and
// resources, on one harmonised database. Run `cipmap help` for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := NewMain()
	err := m.Run(ctx, os.Args[1:])
	m.Close()
	if err != nil {
		fmt.Fprintln(m.Stderr, "cipmap:", err)
	}
	os.Exit(ExitCode(err))
}
