package fixture

import (
	"log"
	"sync"
)

// Trap: Done as the last statement, no exits before it.
func lastStatement() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		process(nil)
		wg.Done()
	}()
	wg.Wait()
}

// Trap: Done on every branch, each before its return.
func everyBranch(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err != nil {
			wg.Done()
			return
		}
		process(nil)
		wg.Done()
	}()
	wg.Wait()
}

// Trap: if/else both Done.
func ifElse(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			wg.Done()
		} else {
			wg.Done()
		}
	}()
	wg.Wait()
}

// Trap: a deferred Done.
func deferred(items []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if len(items) == 0 {
			return
		}
		process(items)
	}()
	wg.Wait()
}

// Trap: the return is inside a nested literal, not the goroutine.
func nestedReturn() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		check := func() bool {
			return true
		}
		check()
		wg.Done()
	}()
	wg.Wait()
}

// Trap: log.Fatal ends the whole program; nothing waits any more.
func fatal(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ok {
			log.Fatal("broken")
		}
		wg.Done()
	}()
	wg.Wait()
}

// Trap: Done on every case of a switch with a default.
func switchAll(kind int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		switch kind {
		case 1:
			wg.Done()
		default:
			wg.Done()
		}
	}()
	wg.Wait()
}

// Trap: a return after the Done.
func returnAfter(p *Pool) {
	p.wg.Add(1)
	go func() {
		p.wg.Done()
		if true {
			return
		}
	}()
}

// Trap: the WaitGroup is also handed to a helper on the early path.
func handedOff(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err != nil {
			fail(&wg)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

func fail(wg *sync.WaitGroup) { wg.Done() }
