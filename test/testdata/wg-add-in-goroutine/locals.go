package fixture

import (
	"fmt"
	gosync "sync"
)

func literalFirst(items []string) {
	var wg gosync.WaitGroup
	for _, it := range items {
		go func(s string) {
			wg.Add(1) // want `wg\.Add\(1\) runs inside the goroutine it counts: wg\.Wait\(\) can return`
			defer wg.Done()
			fmt.Println(s)
		}(it)
	}
	wg.Wait()
}

// Not the first statement: anywhere before the body's first go statement.
func laterInBody(items []string) {
	wg := &gosync.WaitGroup{}
	go func() {
		fmt.Println("starting")
		if len(items) > 0 {
			wg.Add(len(items)) // want `wg\.Add\(len\(items\)\) runs inside`
		}
		for _, it := range items {
			go func(s string) {
				defer wg.Done()
				fmt.Println(s)
			}(it)
		}
	}()
	wg.Wait()
}

// The WaitGroup passed as a parameter of the literal.
func viaParameter() {
	var group gosync.WaitGroup
	go func(g *gosync.WaitGroup) {
		g.Add(1) // want `g\.Add\(1\) runs inside the goroutine`
		defer g.Done()
	}(&group)
	group.Wait()
}

// Named function with the WaitGroup as an argument.
func namedWorker(wg *gosync.WaitGroup, n int) {
	wg.Add(n) // want `wg\.Add\(n\) runs inside the goroutine`
	defer wg.Done()
}

func startNamed() {
	var wg gosync.WaitGroup
	go namedWorker(&wg, 1)
	wg.Wait()
}

// Trap: Add before go, Done inside.
func correct(items []string) {
	var wg gosync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			fmt.Println(s)
		}(it)
	}
	wg.Wait()
}

// Trap: Add inside a literal that is not run as a goroutine.
func notAGoroutine(run func(func())) {
	var wg gosync.WaitGroup
	run(func() {
		wg.Add(1)
		go func() { defer wg.Done() }()
	})
	wg.Wait()
}

// Trap: the goroutine's own local WaitGroup.
func ownWaitGroup() {
	go func() {
		var inner gosync.WaitGroup
		inner.Add(2)
		go func() { defer inner.Done() }()
		go func() { defer inner.Done() }()
		inner.Wait()
	}()
}

// Trap: the goroutine Adds after starting its first nested goroutine (counting later work).
func addAfterFirstGo(wg *gosync.WaitGroup) {
	wg.Add(1)
	go func() {
		defer wg.Done()
		go func() {}()
		wg.Add(1)
		go func() { defer wg.Done() }()
	}()
}

// Trap: a negative Add is a Done.
func negativeAdd(wg *gosync.WaitGroup) {
	wg.Add(1)
	go func() {
		wg.Add(-1)
	}()
	wg.Wait()
}

// Trap: wg.Go counts the goroutine itself (Go 1.25).
func viaGo(wg *gosync.WaitGroup) {
	wg.Go(func() {
		wg.Add(1)
		go func() { defer wg.Done() }()
	})
}

// Trap: a type named like a WaitGroup is not one.
type WaitGroup struct{}

func (WaitGroup) Add(int) {}

func lookalike() {
	var wg WaitGroup
	go func() {
		wg.Add(1)
	}()
}
