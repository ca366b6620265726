package fixture

import "sync"

// Crawler holds its WaitGroup by value; methods in copied.go use it.
type Crawler struct {
	wg    sync.WaitGroup
	pages []string
}

// Outer holds it through an embedded struct.
type Outer struct {
	Crawler
	name string
}

// Handle holds only a pointer: copying it is fine.
type Handle struct {
	wg *sync.WaitGroup
}
