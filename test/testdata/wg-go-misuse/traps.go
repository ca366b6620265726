package fixture

import "sync"

// Trap: Go without any Done.
func plain() {
	var wg sync.WaitGroup
	wg.Go(func() {})
	wg.Wait()
}

// Trap: Done on another WaitGroup inside Go.
func other(outer *sync.WaitGroup) {
	var wg sync.WaitGroup
	wg.Go(func() { defer outer.Done() })
	wg.Wait()
}

// Trap: a nested goroutine counted by its own Add.
func nestedGoroutine() {
	var wg sync.WaitGroup
	wg.Go(func() {
		wg.Add(1)
		go func() { defer wg.Done() }()
	})
	wg.Wait()
}

// Trap: a look-alike Go method on another type.
type runner struct{}

func (runner) Go(f func()) { f() }
func (runner) Done()       {}

func lookalike() {
	var r runner
	r.Go(func() { r.Done() })
}

// Trap: a classic go statement with Done.
func classic() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}
