package fixture

import (
	"fmt"
	"sync"
)

type Fanout struct {
	wg      sync.WaitGroup
	targets []string
}

func addBeforeLoop(xs []int) {
	var wg sync.WaitGroup
	wg.Add(len(xs))
	for _, x := range xs {
		go func(x int) {
			defer wg.Done()
			fmt.Println(x)
		}(x)
		wg.Wait() // want `wg\.Wait\(\) inside the loop blocks in the first iteration: wg\.Add\(len\(xs\)\) before the loop counted goroutines that later iterations never start.*deadlock`
	}
}

func constantAdd(n int) {
	var wg sync.WaitGroup
	wg.Add(n)
	for i := 0; i < n; i++ {
		go func() { defer wg.Done() }()
		wg.Wait() // want `wg\.Wait\(\) inside the loop blocks in the first iteration`
	}
}

func (f *Fanout) Send() {
	f.wg.Add(len(f.targets))
	for _, t := range f.targets {
		go f.deliver(t)
		f.wg.Wait() // want `f\.wg\.Wait\(\) inside the loop blocks`
	}
}

func (f *Fanout) deliver(t string) {
	defer f.wg.Done()
	fmt.Println(t)
}

func serialised(xs []int) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			fmt.Println(x)
		}()
		wg.Wait() // want `wg\.Wait\(\) inside the loop waits for the goroutine started in the same iteration: the goroutines run one at a time`
	}
}

func serialisedGo(xs []int) {
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Go(func() { fmt.Println(x) })
		wg.Wait() // want `the goroutines run one at a time`
	}
}

func twoPerIteration(pairs [][2]int) {
	var wg sync.WaitGroup
	for _, p := range pairs {
		wg.Add(2)
		go func() { defer wg.Done(); fmt.Println(p[0]) }()
		go func() { defer wg.Done(); fmt.Println(p[1]) }()
		wg.Wait() // want `the goroutines run one at a time`
	}
}
