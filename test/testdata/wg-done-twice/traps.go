package fixture

import (
	"fmt"
	"sync"
)

// Trap: Done calls on different branches.
func differentBranches(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err != nil {
			wg.Done()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Trap: a deferred Done only in a branch, an explicit one on the other path.
func deferInBranch(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			defer wg.Done()
			fmt.Println("work")
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// Trap: the goroutine was counted twice.
func countedTwice() {
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		fmt.Println("one")
		wg.Done()
		fmt.Println("two")
		wg.Done()
	}()
	wg.Wait()
}

// Trap: Done on two different WaitGroups.
func twoGroups(a, b *sync.WaitGroup) {
	a.Add(1)
	b.Add(1)
	go func() {
		defer a.Done()
		b.Done()
	}()
}

// Trap: Done inside a nested goroutine counted by its own Add.
func nested() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}()
	wg.Wait()
}

// Trap: correlated conditions (never both true) are not one path we can be sure of.
func correlated(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err != nil {
			wg.Done()
		}
		if err == nil {
			wg.Done()
		}
	}()
	wg.Wait()
}
