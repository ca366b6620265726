package fixture

import "sync"

// Cache's fields are used by the methods in lock.go.
type Cache struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	wg    sync.WaitGroup
	items map[string]string
}
