package fixture

import (
	"fmt"
	"sync"
)

// Trap: Wait after the loop.
func afterLoop(xs []int) {
	var wg sync.WaitGroup
	wg.Add(len(xs))
	for _, x := range xs {
		go func(x int) { defer wg.Done(); fmt.Println(x) }(x)
	}
	wg.Wait()
}

// Trap: batches: the goroutines of each batch run together, Wait per batch.
func batches(all [][]int) {
	var wg sync.WaitGroup
	for _, batch := range all {
		for _, x := range batch {
			wg.Add(1)
			go func(x int) { defer wg.Done(); fmt.Println(x) }(x)
		}
		wg.Wait()
	}
}

// Trap: the Add for the next iteration comes at its end.
func addAtEnd(n int) {
	var wg sync.WaitGroup
	wg.Add(1)
	for i := 0; i < n; i++ {
		go func() { defer wg.Done() }()
		wg.Wait()
		wg.Add(1)
	}
}

// Trap: Wait on another WaitGroup.
func otherGroup(xs []int) {
	var a, b sync.WaitGroup
	a.Add(len(xs))
	for range xs {
		go func() { defer a.Done() }()
		b.Wait()
	}
	a.Wait()
}

// Trap: the loop starts no goroutines.
func noGoroutines(xs []int, wg *sync.WaitGroup) {
	for range xs {
		wg.Wait()
	}
}

// Trap: Wait inside a goroutine in the loop belongs to that goroutine.
func waitInLiteral(xs []int) {
	var wg sync.WaitGroup
	wg.Add(len(xs))
	for range xs {
		go func() { defer wg.Done() }()
		go func() { wg.Wait() }()
	}
}

// Trap: a conditional Wait is a deliberate switch to sequential mode.
func conditional(xs []int, sequential bool) {
	var wg sync.WaitGroup
	for i := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); fmt.Println(i) }()
		if sequential {
			wg.Wait()
		}
	}
	wg.Wait()
}

// Trap: a fresh WaitGroup per iteration.
func perIteration(n int) {
	for i := 0; i < n; i++ {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() { defer wg.Done() }()
		wg.Wait()
	}
}

// Trap: the iteration works alongside the goroutine before joining it.
func join(conns []chan int) {
	var wg sync.WaitGroup
	for _, c := range conns {
		wg.Add(1)
		go func() { defer wg.Done(); c <- 1 }()
		fmt.Println(<-c)
		wg.Wait()
	}
}
