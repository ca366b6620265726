package main

import (
	"context"
	"time"
)

// Trap: main.main is exempt (the process ends with it).
func main() {
	ctx, _ := context.WithTimeout(context.Background(), time.Second)
	run(ctx)
	ctx2, cancel := context.WithCancel(ctx)
	if ctx2.Err() != nil {
		return
	}
	cancel()
}

func run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx) // want `cancel from context\.WithCancel is not called on every path`
	_ = ctx
	if ctx.Err() != nil {
		return
	}
	cancel()
}
