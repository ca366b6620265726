package fixture

import "sync"

// Trap: no go.mod at all.
func unknownVersion() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	wg.Wait()
}
