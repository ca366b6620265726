package fixture

import (
	"bufio"
	"compress/gzip"
	"context"
	"os"
	"sync"
)

func fanOut(parent context.Context, jobs []func()) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait() // want `defer wg\.Wait\(\) is registered after defer cancel\(\), so it runs first .* the goroutines counted by wg wait for ctx\.Done\(\), which cancel\(\) only closes afterwards: deadlock`
	for _, job := range jobs {
		wg.Add(1)
		go func(job func()) {
			defer wg.Done()
			select {
			case <-ctx.Done():
			}
			job()
		}(job)
	}
}

func consumers(n int, produce func(chan<- int)) {
	ch := make(chan int)
	defer close(ch)
	var wg sync.WaitGroup
	defer wg.Wait() // want `defer wg\.Wait\(\) is registered after defer close\(ch\), so it runs first .* the goroutines counted by wg receive from ch, which close\(ch\) only closes afterwards: deadlock`
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for v := range ch {
				_ = v
			}
		}()
	}
	produce(ch)
}

type pool struct {
	wg   sync.WaitGroup
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func (p *pool) stop() {
	defer close(p.done)
	defer p.wg.Wait() // want `defer p\.wg\.Wait\(\) is registered after defer close\(p\.done\)`
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		<-p.done
	}()
}

func (p *pool) run(work func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.wg.Wait() // want `defer p\.wg\.Wait\(\) is registered after defer p\.mu\.Unlock\(\), so it runs first .*, with p\.mu still locked: the goroutines counted by p\.wg lock p\.mu and block: deadlock`
	for i := 0; i < 3; i++ {
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			p.mu.Lock()
			p.n++
			p.mu.Unlock()
		}()
	}
}

func write(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer w.Flush()
	defer f.Close() // want `defer f\.Close\(\) is registered after defer w\.Flush\(\), so it runs first: w\.Flush\(\) then writes into the closed f`
	for _, l := range lines {
		w.WriteString(l)
	}
	return nil
}

func compress(f *os.File, data []byte) {
	zw := gzip.NewWriter(f)
	defer func() {
		zw.Close()
	}()
	defer f.Close() // want `defer f\.Close\(\) is registered after defer func\(\) \{ zw\.Close\(\) \}\(\), so it runs first: zw\.Close\(\) then writes into the closed f`
	zw.Write(data)
}

// Trap: Wait registered before cancel runs after it.
func rightOrder(parent context.Context, job func()) {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	wg.Add(1)
	go func() {
		defer wg.Done()
		<-ctx.Done()
		job()
	}()
}

// Trap: the goroutines do not wait for the cancel.
func independent(parent context.Context, job func()) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		job()
	}()
	_ = ctx
}

// Trap: the goroutine reading ch is not counted by wg.
func uncounted(produce func(chan<- int)) {
	ch := make(chan int)
	defer close(ch)
	var wg sync.WaitGroup
	defer wg.Wait()
	go func() {
		for range ch {
		}
	}()
	produce(ch)
}

// Trap: the goroutines do not lock the mutex.
func (p *pool) unlocked(work func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	defer p.wg.Wait()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		work()
	}()
}

// Trap: the wrapper is flushed before the file is closed.
func rightWrite(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	_, err = w.WriteString("x")
	return err
}

// Trap: another file is closed.
func otherFile(f, g *os.File) {
	w := bufio.NewWriter(f)
	defer w.Flush()
	defer g.Close()
	w.WriteString("x")
}
