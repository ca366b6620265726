package fixture

import (
	"fmt"
	"sync"
)

// Trap: the count matches.
func matches() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: a non-constant Add.
func variable(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: launches inside a loop.
func loop() {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// Trap: launches inside a branch.
func branch(ok bool) {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	if ok {
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// Trap: an uncounted logger goroutine does not count.
func logger() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	go func() { fmt.Println("log") }()
	wg.Wait()
}

// Trap: a goroutine that Dones twice (two steps).
func twoSteps() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		wg.Done()
		wg.Done()
	}()
	wg.Wait()
}

// Trap: a helper that may start more goroutines.
func helper() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	startMore(&wg)
	wg.Wait()
}

func startMore(wg *sync.WaitGroup) { go func() { defer wg.Done() }() }

// Trap: Add(2) before a single go, inside a loop: not reported.
func addInLoop(xs []int) {
	var wg sync.WaitGroup
	for range xs {
		wg.Add(2)
		go func() { defer wg.Done() }()
	}
}

// Trap: a callback, not a goroutine, completes the count.
func callback(register func(func()), dial func()) {
	var wg sync.WaitGroup
	register(func() { wg.Done() })
	wg.Add(1)
	dial()
	wg.Wait()
}

// Trap: one goroutine plus a callback.
func goroutineAndCallback(register func(func())) {
	var wg sync.WaitGroup
	register(func() { wg.Done() })
	wg.Add(2)
	go func() { defer wg.Done() }()
	wg.Wait()
}
