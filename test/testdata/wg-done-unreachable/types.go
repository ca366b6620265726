package fixture

import "sync"

// Server's WaitGroup is waited on in Close, in unreachable.go.
type Server struct {
	wg    sync.WaitGroup
	reqs  chan string
	quit  chan struct{}
}
