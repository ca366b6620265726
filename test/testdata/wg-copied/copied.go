package fixture

import (
	"fmt"
	"sync"
)

func valueParam(wg sync.WaitGroup) { // want `parameter wg receives a copy of the WaitGroup: Done on the copy never reaches the original`
	defer wg.Done()
}

func (c Crawler) Count() int { // want `receiver c receives a copy of Crawler with its sync\.WaitGroup`
	return len(c.pages)
}

func passByValue() {
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(wg) // want `passing wg copies the WaitGroup`
	wg.Wait()
}

func worker(wg sync.WaitGroup) { // want `parameter wg receives a copy`
	wg.Done()
}

func assign(c *Crawler) {
	copyOf := c.wg // want `assigning c\.wg copies the WaitGroup`
	copyOf.Wait()
	var other sync.WaitGroup
	other = copyOf // want `assigning copyOf copies the WaitGroup`
	other.Wait()
	snapshot := *c // want `assigning \*c copies Crawler with its sync\.WaitGroup`
	fmt.Println(len(snapshot.pages))
}

func literal(o *Outer) []Outer {
	return []Outer{*o} // want `storing \*o in a composite literal copies Outer with its sync\.WaitGroup`
}

func returns(c *Crawler) Crawler {
	return *c // want `returning \*c copies Crawler`
}

func rangeValue(all []Crawler) {
	for _, c := range all { // want `the range variable c copies each Crawler`
		fmt.Println(len(c.pages))
	}
}

func send(ch chan sync.WaitGroup, wg *sync.WaitGroup) {
	ch <- *wg // want `sending \*wg copies the WaitGroup`
}

func printIt(c *Crawler) {
	fmt.Printf("%v\n", *c) // want `passing \*c copies Crawler`
}

// Called from callers.go: the fix edits that file too.
func tally(wg sync.WaitGroup, n int) { // want `parameter wg receives a copy`
	defer wg.Done()
	fmt.Println(n)
}
