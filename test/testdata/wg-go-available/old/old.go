package old

import "sync"

// Trap: go.mod below 1.25.
func below() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	wg.Wait()
}
