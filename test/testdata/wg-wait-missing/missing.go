package fixture

import (
	"fmt"
	gosync "sync"
)

func neverWaits(items []string) {
	var wg gosync.WaitGroup // want `wg counts goroutines but nothing calls wg\.Wait\(\): the function returns while they may still run`
	for _, it := range items {
		wg.Add(1)
		go func(s string) {
			defer wg.Done()
			fmt.Println(s)
		}(it)
	}
}

func shortDecl() {
	wg := &gosync.WaitGroup{} // want `wg counts goroutines but nothing calls wg\.Wait\(\)`
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
}

func withNew() error {
	group := new(gosync.WaitGroup) // want `group counts goroutines`
	group.Add(2)
	go func() { defer group.Done() }()
	go func() { defer group.Done() }()
	return nil
}

func viaGo() {
	var wg gosync.WaitGroup // want `wg counts goroutines`
	wg.Go(func() { fmt.Println("work") })
}

func zeroLiteral(n int) {
	wg := gosync.WaitGroup{} // want `wg counts goroutines`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
		}()
	}
	fmt.Println("started")
}

func nestedLiteral() {
	run := func() {
		var inner gosync.WaitGroup // want `inner counts goroutines`
		inner.Add(1)
		go func() { defer inner.Done() }()
	}
	run()
}
