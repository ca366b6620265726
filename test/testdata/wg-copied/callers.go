package fixture

import "sync"

func tallyAll(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go tally(wg, i) // want `passing wg copies the WaitGroup`
	}
	wg.Wait()
}
