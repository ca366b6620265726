package fixture

import (
	"fmt"
	"sync"
)

type Loader struct {
	wg sync.WaitGroup
}

func tooMany() {
	var wg sync.WaitGroup
	wg.Add(3) // want `wg\.Add\(3\) counts 3 goroutines, but 2 are started before wg\.Wait\(\): Wait blocks forever`
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

func tooFew() {
	var wg sync.WaitGroup
	wg.Add(1) // want `wg\.Add\(1\) counts 1 goroutine, but 2 are started before wg\.Wait\(\).*sync: negative WaitGroup counter`
	go func() { defer wg.Done() }()
	go func() { defer wg.Done() }()
	wg.Wait()
}

func (l *Loader) Load() {
	l.wg.Add(2) // want `l\.wg\.Add\(2\) counts 2 goroutines, but 1 is started`
	go l.fetch()
	fmt.Println("started")
	l.wg.Wait()
}

func (l *Loader) fetch() { defer l.wg.Done() }

func singleGo(wg *sync.WaitGroup) {
	wg.Add(2) // want `wg\.Add\(2\) counts 2 goroutines, but only one go statement follows it`
	go func() {
		defer wg.Done()
	}()
}

func namedWorkers() {
	var wg sync.WaitGroup
	wg.Add(4) // want `wg\.Add\(4\) counts 4 goroutines, but 3 are started`
	go work(&wg)
	go work(&wg)
	go work(&wg)
	wg.Wait()
}

func work(wg *sync.WaitGroup) { defer wg.Done() }

func zero() {
	var wg sync.WaitGroup
	wg.Add(0) // want `wg\.Add\(0\) counts 0 goroutines, but 1 is started`
	go func() { defer wg.Done() }()
	wg.Wait()
}
