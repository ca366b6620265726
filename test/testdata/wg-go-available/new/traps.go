package available

import (
	"fmt"
	"sync"
)

// Trap: the literal has a parameter.
func withParam(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			fmt.Println(s)
		}(it)
	}
	wg.Wait()
}

// Trap: a deferred recover.
func recovers() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() {
			if r := recover(); r != nil {
				fmt.Println(r)
			}
		}()
	}()
	wg.Wait()
}

// Trap: a deferred named function may recover.
func namedDefer() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer logPanics()
	}()
	wg.Wait()
}

func logPanics() {
	if r := recover(); r != nil {
		fmt.Println(r)
	}
}

// Trap: another Done on the WaitGroup remains.
func twoDones(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			wg.Done()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Trap: Add(2) before the go.
func addTwo() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: a statement between the Add and the go.
func notDirectly() {
	var wg sync.WaitGroup
	wg.Add(1)
	fmt.Println("starting")
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: Done last but an earlier return.
func earlyReturn(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ok {
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Trap: a named function launched.
func named(wg *sync.WaitGroup) {
	wg.Add(1)
	go work(wg)
}

func work(wg *sync.WaitGroup) { defer wg.Done() }
