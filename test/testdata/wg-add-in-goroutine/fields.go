package fixture

import "sync"

// Server's WaitGroup is used by methods in methods.go.
type Server struct {
	mu      sync.Mutex
	workers sync.WaitGroup
	inner   *Pool
}

type Pool struct {
	wg *sync.WaitGroup
}
