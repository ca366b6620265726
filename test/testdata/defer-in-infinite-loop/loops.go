package fixture

import (
	"net"
	"os"
	"sync"
)

func serve(l net.Listener, handle func(net.Conn)) {
	for {
		conn, err := l.Accept()
		if err != nil {
			continue
		}
		defer conn.Close() // want `conn\.Close\(\) is deferred inside a loop that never exits: it never runs`
		handle(conn)
	}
}

// A break inside a select leaves only the select.
func pump(ch chan *os.File, quit chan struct{}) {
	for {
		f := <-ch
		defer f.Close() // want `f\.Close\(\) is deferred inside a loop that never exits`
		select {
		case <-quit:
			break
		default:
		}
	}
}

// A break inside a switch leaves only the switch.
func locker(mu *sync.Mutex, next func() int) {
	for {
		mu.Lock()
		defer mu.Unlock() // want `mu\.Unlock\(\) is deferred inside a loop that never exits`
		switch next() {
		case 0:
			break
		}
	}
}

// A break in an inner loop leaves the inner loop only; the defer sits in the inner loop.
func nestedInner(batches chan []string, open func(string) *os.File) {
	for {
		for _, name := range <-batches {
			f := open(name)
			defer f.Close() // want `f\.Close\(\) is deferred inside a loop that never exits`
			if f == nil {
				break
			}
		}
	}
}

// Inside an if in the loop, and a deferred function literal.
func worker(jobs chan func(), release func()) {
	for {
		job := <-jobs
		if job != nil {
			defer func() { // want `is deferred inside a loop that never exits`
				release()
			}()
			job()
		}
	}
}

// A labelled continue does not leave the loop.
func labelled(ch chan *os.File) {
outer:
	for {
		f := <-ch
		defer f.Close() // want `f\.Close\(\) is deferred inside a loop that never exits`
		if f == nil {
			continue outer
		}
	}
}

// Trap: a return leaves the loop.
func untilError(l net.Listener) error {
	for {
		conn, err := l.Accept()
		if err != nil {
			return err
		}
		defer conn.Close()
	}
}

// Trap: a break that targets the loop.
func untilNil(ch chan *os.File) {
	for {
		f := <-ch
		if f == nil {
			break
		}
		defer f.Close()
	}
}

// Trap: a labelled break out of a select leaves the loop.
func labelledBreak(ch chan *os.File, quit chan struct{}) {
loop:
	for {
		select {
		case f := <-ch:
			defer f.Close()
		case <-quit:
			break loop
		}
	}
}

// Trap: goto out of the loop.
func withGoto(ch chan *os.File) {
	for {
		f := <-ch
		if f == nil {
			goto done
		}
		defer f.Close()
	}
done:
}

// Trap: the defer runs per iteration in its own function literal.
func perIteration(l net.Listener, handle func(net.Conn)) {
	for {
		func() {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
			handle(conn)
		}()
	}
}

// Trap: a loop with a condition (defer-in-loop's case, not this rule's).
func conditional(ch chan *os.File, more func() bool) {
	for more() {
		f := <-ch
		defer f.Close()
	}
}

// Trap: a panic leaves the loop and runs the deferred calls.
func panics(ch chan *os.File) {
	for {
		f := <-ch
		defer f.Close()
		if f == nil {
			panic("nil file")
		}
	}
}

// Trap: a goroutine started in the loop has its own function.
func spawn(jobs chan func(), wg *sync.WaitGroup) {
	for {
		job := <-jobs
		wg.Add(1)
		go func() {
			defer wg.Done()
			job()
		}()
	}
}
