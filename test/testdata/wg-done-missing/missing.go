package fixture

import (
	"fmt"
	gosync "sync"
)

func literalNeverDone(items []string) {
	var wg gosync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func(s string) { // want `the goroutine counted by wg\.Add\(1\) never calls wg\.Done\(\): wg\.Wait\(\) blocks forever`
			fmt.Println(s)
		}(it)
	}
	wg.Wait()
}

func (p *Pool) Start() {
	p.wg.Add(1)
	go p.drain() // want `p\.wg\.Done\(\)`
	p.wg.Wait()
}

func (p *Pool) drain() {
	for j := range p.jobs {
		fmt.Println(j)
	}
}

func namedFunction(n int) {
	wg := &gosync.WaitGroup{}
	wg.Add(1)
	go compute(n) // want `never calls wg\.Done\(\)`
	wg.Wait()
}

func compute(n int) { fmt.Println(n * n) }

func embedded(g *Group) {
	g.Add(1)
	go func() { // want `never calls g\.Done\(\)`
		fmt.Println(g.name)
	}()
	g.Wait()
}

// The Add before the loop counts the goroutine in it.
func addBeforeLoop(xs []int) {
	var wg gosync.WaitGroup
	wg.Add(len(xs))
	for _, x := range xs {
		go func(x int) { // want `never calls wg\.Done\(\)`
			fmt.Println(x)
		}(x)
	}
	wg.Wait()
}

// The parameter is a different WaitGroup from the one that was counted.
func wrongGroup(a, b *gosync.WaitGroup) {
	a.Add(1)
	go func(w *gosync.WaitGroup) { // want `never calls a\.Done\(\)`
		fmt.Println("work")
	}(b)
	a.Wait()
}
