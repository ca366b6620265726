package fixture

import (
	"fmt"
	"sync"
)

type Server struct {
	wg   sync.WaitGroup
	reqs chan string
}

func straight() {
	var wg sync.WaitGroup
	go func() {
		defer wg.Done()
		fmt.Println("work")
	}()
	wg.Add(1) // want `wg\.Add\(1\) runs after the go statement whose goroutine calls wg\.Done\(\).*sync: negative WaitGroup counter`
	wg.Wait()
}

func inLoop(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		go func(s string) {
			fmt.Println(s)
			wg.Done()
		}(it)
		wg.Add(1) // want `wg\.Add\(1\) runs after`
	}
	wg.Wait()
}

func (s *Server) Serve() {
	go s.handle()
	s.wg.Add(1) // want `s\.wg\.Add\(1\) runs after`
	s.wg.Wait()
}

func (s *Server) handle() {
	defer s.wg.Done()
	for r := range s.reqs {
		fmt.Println(r)
	}
}

func pointerParam(wg *sync.WaitGroup) {
	go worker(wg)
	wg.Add(1) // want `wg\.Add\(1\) runs after`
}

func worker(w *sync.WaitGroup) {
	defer w.Done()
}

func afterLoopOfLaunches(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() { defer wg.Done() }()
	}
	wg.Add(n) // want `wg\.Add\(n\) runs after`
	wg.Wait()
}

func negativeAddInBody() {
	wg := new(sync.WaitGroup)
	go func() { wg.Add(-1) }()
	wg.Add(1) // want `wg\.Add\(1\) runs after`
	wg.Wait()
}
