package fixture

import (
	"fmt"
	gosync "sync"
)

// Trap: the body passes the WaitGroup to a helper.
func passesToHelper() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() {
		finish(&wg)
	}()
	wg.Wait()
}

func finish(wg *gosync.WaitGroup) { wg.Done() }

// Trap: a method of the same package that calls Done.
func (p *Pool) StartHelper() {
	p.wg.Add(1)
	go func() {
		p.complete()
	}()
	p.wg.Wait()
}

func (p *Pool) complete() { p.wg.Done() }

// Trap: Done in a nested literal the body calls.
func nestedLiteral() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() {
		cleanup := func() { wg.Done() }
		defer cleanup()
	}()
	wg.Wait()
}

// Trap: a closure of the launcher does the Done.
func launcherClosure() {
	var wg gosync.WaitGroup
	done := func() { wg.Done() }
	wg.Add(1)
	go func() {
		fmt.Println("work")
		done()
	}()
	wg.Wait()
}

// Trap: the Add counts the earlier goroutine, not the logger started after it.
func logAfterWorker() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	go func() { fmt.Println("log") }()
	wg.Wait()
}

// Trap: another goroutine does the Done for this one.
func doneElsewhere() {
	var wg gosync.WaitGroup
	ch := make(chan int)
	wg.Add(1)
	go func() { ch <- 1 }()
	go func() {
		<-ch
		wg.Done()
	}()
	wg.Wait()
}

// Trap: wg.Go counts and completes its goroutine itself.
func viaGo() {
	var wg gosync.WaitGroup
	wg.Go(func() { fmt.Println("work") })
	wg.Wait()
}

// Trap: Add(-1) is a Done.
func negativeAdd() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { wg.Add(-1) }()
	wg.Wait()
}

// Trap: the WaitGroup is passed as the goroutine's argument and Done through it.
func argument() {
	var wg gosync.WaitGroup
	wg.Add(1)
	go worker(&wg)
	wg.Wait()
}

func worker(w *gosync.WaitGroup) { defer w.Done() }

// Trap: defer Done inside an if, the other branch returning before any work.
func conditionalDefer(ok bool) {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() {
		if ok {
			defer wg.Done()
			fmt.Println("work")
			return
		}
	}()
	wg.Wait()
}

// Trap: the embedded WaitGroup's promoted Done.
func embeddedDone(g *Group) {
	g.Add(1)
	go func() { defer g.Done() }()
	g.Wait()
}

// Trap: the Add was used up by a Wait before this goroutine started.
func waitedBefore(ch chan int) {
	var wg gosync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done() }()
	wg.Wait()
	go func() { ch <- 1 }()
}

// Trap: a callback completes the count.
func callback(register func(func())) {
	var wg gosync.WaitGroup
	register(func() { wg.Done() })
	wg.Add(1)
	go func() { fmt.Println("trigger") }()
	wg.Wait()
}

type server struct {
	onStarted func()
}

func (s *server) serve() {
	s.onStarted()
}

// Trap: the Add is for the server's start notice, whose callback is the Done handed over as a value.
func startAndWait() {
	var wg gosync.WaitGroup
	wg.Add(1)
	srv := &server{onStarted: wg.Done}
	go func() {
		srv.serve()
	}()
	wg.Wait()
}
