package fixture

import "sync"

// Trap: waiting on a different WaitGroup.
func otherGroup() {
	var outer, inner sync.WaitGroup
	outer.Add(1)
	go func() {
		defer outer.Done()
		inner.Wait()
	}()
	outer.Wait()
}

// Trap: the classic closer goroutine is not counted.
func closer(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); ch <- 1 }()
	go func() {
		wg.Wait()
		close(ch)
	}()
}

// Trap: Done before Wait releases its own count first.
func doneFirst() {
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() {
			wg.Done()
			wg.Wait()
		}()
	}
}

// Trap: a goroutine's own local WaitGroup.
func ownGroup() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var inner sync.WaitGroup
		inner.Add(1)
		go func() { defer inner.Done() }()
		inner.Wait()
	}()
	wg.Wait()
}

// Trap: Wait in a nested goroutine that is not counted.
func nestedUncounted() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		go func() {
			wg.Wait()
		}()
	}()
}

// Trap: Wait inside wg.Go on a different WaitGroup.
func goOther(inner *sync.WaitGroup) {
	var wg sync.WaitGroup
	wg.Go(func() { inner.Wait() })
	wg.Wait()
}
