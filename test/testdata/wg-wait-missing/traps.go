package fixture

import (
	"fmt"
	gosync "sync"
)

// Trap: waited on.
func waits() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: returned.
func returned() *gosync.WaitGroup {
	wg := &gosync.WaitGroup{}
	wg.Add(1)
	go func() { defer wg.Done() }()
	return wg
}

// Trap: passed to another function.
func passed() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	waitFor(&wg)
}

func waitFor(wg *gosync.WaitGroup) { wg.Wait() }

// Trap: stored in a struct.
type holder struct{ wg *gosync.WaitGroup }

func stored() holder {
	wg := new(gosync.WaitGroup)
	wg.Add(1)
	go func() { defer wg.Done() }()
	return holder{wg: wg}
}

// Trap: waited in a closure that escapes.
func closure() func() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	return func() { wg.Wait() }
}

// Trap: a method value escapes.
func methodValue() func() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	return wg.Wait
}

// Trap: the struct field is not a local.
type server struct{ wg gosync.WaitGroup }

func (s *server) start() {
	s.wg.Add(1)
	go func() { defer s.wg.Done() }()
}

// Trap: a parameter is not a local.
func param(wg *gosync.WaitGroup) {
	wg.Add(1)
	go func() { defer wg.Done() }()
}

// Trap: Wait on a shadowing WaitGroup does not count, but the outer one escapes.
func shadowed() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	fmt.Println(&wg)
}
