package fixture

import (
	"fmt"
	"sync"
)

type Batch struct {
	wg    sync.WaitGroup
	items []string
}

func waitsForItself() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println("work")
		wg.Wait() // want `wg\.Wait\(\) inside a goroutine counted on wg waits for itself.*deadlock`
	}()
	wg.Wait()
}

func doneAfterWait() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Wait() // want `wg\.Wait\(\) inside a goroutine counted on wg`
		wg.Done()
	}()
}

func (b *Batch) Run() {
	for range b.items {
		b.wg.Add(1)
		go b.process()
	}
}

func (b *Batch) process() {
	defer b.wg.Done()
	b.wg.Wait() // want `b\.wg\.Wait\(\) inside a goroutine counted on b\.wg`
}

func insideGo(wg *sync.WaitGroup) {
	wg.Go(func() {
		fmt.Println("work")
		wg.Wait() // want `wg\.Wait\(\) inside a goroutine counted on wg`
	})
}

func viaParameter() {
	var group sync.WaitGroup
	group.Add(1)
	go func(g *sync.WaitGroup) {
		defer g.Done()
		g.Wait() // want `g\.Wait\(\) inside a goroutine counted on group`
	}(&group)
}

func nestedBlock(ok bool) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if ok {
			wg.Wait() // want `wg\.Wait\(\) inside a goroutine`
		}
	}()
}
