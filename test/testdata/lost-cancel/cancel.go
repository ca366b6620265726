package fixture

import (
	"context"
	ctxpkg "context"
	"errors"
	"time"
)

type server struct {
	cancel context.CancelFunc
}

func discarded(parent context.Context) context.Context {
	ctx, _ := context.WithTimeout(parent, time.Second) // want `the cancel function returned by context\.WithTimeout is discarded`
	return ctx
}

func earlyReturn(parent context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(parent) // want `cancel from context\.WithCancel is not called on every path: a return leaves without calling cancel`
	if fail {
		return errors.New("failed")
	}
	defer cancel()
	return use(ctx)
}

func neverUsed(parent context.Context) {
	ctx, cancel := ctxpkg.WithDeadline(parent, time.Now()) // want `cancel from ctxpkg\.WithDeadline is not called on every path`
	_ = use(ctx)
}

func conditionalCall(parent context.Context, ok bool) error {
	ctx, cancel := context.WithTimeout(parent, time.Second) // want `cancel from context\.WithTimeout is not called on every path`
	if ok {
		cancel()
	}
	return use(ctx)
}

func inLoop(parent context.Context, jobs []int) {
	for range jobs {
		ctx, stop := context.WithCancel(parent) // want `stop from context\.WithCancel is not called on every path`
		if use(ctx) != nil {
			continue
		}
		stop()
	}
}

func assigned(parent context.Context, fail bool) error {
	var cancel context.CancelFunc
	var ctx context.Context
	ctx, cancel = context.WithCancelCause(parent) // want `cancel from context\.WithCancelCause is not called on every path`
	if fail {
		return nil
	}
	cancel(nil)
	return use(ctx)
}

func declared(parent context.Context) error {
	var ctx, cancel = context.WithTimeout(parent, time.Second) // want `cancel from context\.WithTimeout is not called on every path`
	if err := use(ctx); err != nil {
		return err
	}
	cancel()
	return nil
}

func use(ctx context.Context) error { return ctx.Err() }

// Trap: deferred at once.
func deferred(parent context.Context) error {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	return use(ctx)
}

// Trap: returned to the caller.
func returned(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(parent)
	return ctx, cancel
}

// Trap: stored in a field.
func (s *server) start(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	s.cancel = cancel
	go func() { _ = use(ctx) }()
}

// Trap: passed to a goroutine.
func passed(parent context.Context) {
	ctx, cancel := context.WithCancel(parent)
	go watch(ctx, cancel)
}

func watch(ctx context.Context, cancel func()) { cancel() }

// Trap: called on every path, including before an early return.
func everyPath(parent context.Context, fail bool) error {
	ctx, cancel := context.WithCancel(parent)
	if fail {
		cancel()
		return nil
	}
	err := use(ctx)
	cancel()
	return err
}

// Trap: a field receives it directly.
func (s *server) field(parent context.Context) context.Context {
	var ctx context.Context
	ctx, s.cancel = context.WithCancel(parent)
	return ctx
}

// Trap: a panic path does not return.
func panics(parent context.Context, bad bool) {
	ctx, cancel := context.WithCancel(parent)
	if bad {
		panic("bad")
	}
	defer cancel()
	_ = use(ctx)
}

// Trap: captured by a closure that is returned.
func closure(parent context.Context) func() {
	ctx, cancel := context.WithCancel(parent)
	_ = ctx
	return func() { cancel() }
}

// Trap: a bare return hands the named result back.
func namedResults(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(parent)
	if ctx.Err() != nil {
		return
	}
	return ctx, cancel
}

// Trap: the second := redeclares cancel in the same block; each one is deferred.
func twoTimeouts(parent context.Context) {
	short, cancel := context.WithTimeout(parent, time.Millisecond)
	defer cancel()
	long, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	_, _ = short, long
}

func discardedLocal(parent context.Context) error {
	ctx, _ := context.WithCancelCause(parent) // want `the cancel function returned by context\.WithCancelCause is discarded`
	return use(ctx)
}
