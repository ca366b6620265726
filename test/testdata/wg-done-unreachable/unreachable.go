package fixture

import (
	"fmt"
	"sync"
	"time"
)

func foreverLoop(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for { // want `this loop never ends, so the deferred wg\.Done\(\) never runs and wg\.Wait\(\) blocks forever`
			fmt.Println(<-ch)
		}
	}()
	wg.Wait()
}

func selectForever() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		select {} // want `select \{\} blocks forever, so the deferred wg\.Done\(\) never runs`
	}()
	wg.Wait()
}

func (s *Server) Start() {
	s.wg.Add(1)
	go s.loop()
}

func (s *Server) loop() {
	defer s.wg.Done()
	for { // want `this loop never ends, so the deferred s\.wg\.Done\(\) never runs`
		select {
		case r := <-s.reqs:
			fmt.Println(r)
		case <-s.quit:
			break // leaves the select, not the loop
		}
	}
}

func (s *Server) Close() {
	close(s.quit)
	s.wg.Wait()
}

func breakInSwitch(ch chan int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for { // want `this loop never ends`
			switch <-ch {
			case 0:
				break
			default:
				fmt.Println("tick")
			}
		}
	}()
	wg.Wait()
}

func viaGo() {
	var wg sync.WaitGroup
	wg.Go(func() {
		for { // want `this loop never ends, so the Done that wg\.Go calls never runs`
			time.Sleep(time.Second)
		}
	})
	wg.Wait()
}

func ticker(t *time.Ticker) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		fmt.Println("start")
		for range t.C {
			fmt.Println("tick")
		}
		for { // want `this loop never ends`
		}
	}()
	wg.Wait()
}
