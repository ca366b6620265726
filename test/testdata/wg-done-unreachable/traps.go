package fixture

import (
	"fmt"
	"sync"
)

// Trap: the loop returns.
func returns(ch chan int, quit chan struct{}) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case v := <-ch:
				fmt.Println(v)
			case <-quit:
				return
			}
		}
	}()
	wg.Wait()
}

// Trap: a labelled break leaves the loop.
func labelled(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	loop:
		for {
			select {
			case v, ok := <-ch:
				if !ok {
					break loop
				}
				fmt.Println(v)
			}
		}
	}()
	wg.Wait()
}

// Trap: the WaitGroup is never waited on.
func neverWaited() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {}
	}()
}

// Trap: a plain break leaves the loop.
func plainBreak(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if <-ch == 0 {
				break
			}
		}
	}()
	wg.Wait()
}

// Trap: panics out of the loop.
func panics(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if <-ch < 0 {
				panic("negative")
			}
		}
	}()
	wg.Wait()
}

// Trap: the goroutine may return before the loop.
func earlyReturn(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if !ok {
			return
		}
		for {
		}
	}()
	wg.Wait()
}

// Trap: Done is not deferred (another rule's business), and the loop has a goto out.
func gotoOut(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if <-ch == 0 {
				goto done
			}
		}
	done:
		fmt.Println("done")
	}()
	wg.Wait()
}
