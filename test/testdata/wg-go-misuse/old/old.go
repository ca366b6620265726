package old

import (
	"fmt"
	"sync"
)

type Service struct{ wg sync.WaitGroup }

func useGo() {
	var wg sync.WaitGroup
	wg.Go(func() { fmt.Println("work") }) // want `wg\.Go needs Go 1\.25, but the nearest go\.mod says go 1\.22`
	wg.Wait()
}

func (s *Service) Start() {
	s.wg.Go(s.loop) // want `s\.wg\.Go needs Go 1\.25`
}

func (s *Service) loop() {}

func pointer(wg *sync.WaitGroup) {
	wg.Go(func() {}) // want `wg\.Go needs Go 1\.25`
}

// Trap: the classic form is fine on any version.
func classic() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
}

// Trap: a Go method of another type.
type pool struct{}

func (pool) Go(f func()) { go f() }

func other(p pool) {
	p.Go(func() {})
}
