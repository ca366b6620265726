package fixture

import "sync"

// Pool's WaitGroup is used by the methods in missing.go.
type Pool struct {
	wg   sync.WaitGroup
	jobs chan int
}

type Group struct {
	sync.WaitGroup
	name string
}
