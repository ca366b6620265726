package fixture

import (
	"fmt"
	"sync"
)

// Trap: each Add counts the goroutine launched after it.
func addBeforeEach() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: the Add is for a later goroutine; the earlier one was counted by the caller.
func countedByCaller(wg *sync.WaitGroup) {
	go func() { defer wg.Done() }()
	wg.Add(1)
	go func() { defer wg.Done() }()
}

// Trap: the earlier goroutine does not touch the WaitGroup.
func unrelatedGoroutine() {
	var wg sync.WaitGroup
	go func() { fmt.Println("log") }()
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: the earlier goroutine calls Done on another WaitGroup.
func otherGroup(a, b *sync.WaitGroup) {
	go func() { defer b.Done() }()
	a.Add(1)
	go func() { defer a.Done() }()
	a.Wait()
}

// Trap: the go statement is in another block (an earlier if), counted there.
func countedInBranch(ok bool) {
	var wg sync.WaitGroup
	if ok {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: the Add comes first in the loop iteration.
func addFirstInLoop(items []string) {
	var wg sync.WaitGroup
	for range items {
		wg.Add(1)
		go func() { defer wg.Done() }()
	}
	wg.Wait()
}

// Trap: wg.Go counts itself; the Add that follows is for a goroutine started after it.
func afterGo() {
	var wg sync.WaitGroup
	wg.Go(func() { fmt.Println("a") })
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}
