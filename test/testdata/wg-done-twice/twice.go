package fixture

import (
	"errors"
	"fmt"
	"sync"
)

type Crawler struct {
	wg   sync.WaitGroup
	seen map[string]bool
}

func deferAndExplicit(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if err != nil {
			wg.Done() // want `wg\.Done\(\) is called a second time on this path: the counter goes negative \("sync: negative WaitGroup counter"\)`
			return
		}
		fmt.Println("work")
	}()
	wg.Wait()
}

func twoExplicit() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		fmt.Println("step one")
		wg.Done()
		fmt.Println("step two")
		wg.Done() // want `wg\.Done\(\) is called a second time`
	}()
	wg.Wait()
}

func (c *Crawler) Crawl(url string) {
	c.wg.Add(1)
	go c.fetch(url)
	c.wg.Wait()
}

func (c *Crawler) fetch(url string) {
	defer c.wg.Done()
	if c.seen[url] {
		c.wg.Done() // want `c\.wg\.Done\(\) is called a second time`
		return
	}
	fmt.Println(url)
}

func explicitThenDefer() {
	wg := &sync.WaitGroup{}
	wg.Add(1)
	go func() {
		wg.Done()
		defer wg.Done() // want `wg\.Done\(\) is called a second time`
	}()
	wg.Wait()
}

func afterSwitchBothBranches(kind int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		switch kind {
		case 1:
			wg.Done()
		default:
			wg.Done()
		}
		wg.Done() // want `wg\.Done\(\) is called a second time`
	}()
	wg.Wait()
}

func negativeAddToo() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		if errors.Is(nil, nil) {
			wg.Add(-1) // want `wg\.Add\(-1\) is called a second time`
		}
	}()
	wg.Wait()
}
