package fixture

import (
	"errors"
	"runtime"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

type Pool struct {
	wg sync.WaitGroup
}

func earlyReturn(items []string) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if len(items) == 0 {
			return
		}
		process(items)
		wg.Done() // want `wg\.Done\(\) is not deferred: the return above leaves the goroutine without it, so wg\.Wait\(\) blocks forever`
	}()
	wg.Wait()
}

func onlyInBranch(err error) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if err == nil {
			wg.Done() // want `wg\.Done\(\) is not deferred: the goroutine can end without it`
		}
	}()
	wg.Wait()
}

func panics(p *Pool, v int) {
	p.wg.Add(1)
	go func() {
		if v < 0 {
			panic(errors.New("negative"))
		}
		p.wg.Done() // want `p\.wg\.Done\(\) is not deferred: the panic above`
	}()
	p.wg.Wait()
}

func (p *Pool) Run() {
	p.wg.Add(1)
	go p.step()
	p.wg.Wait()
}

func (p *Pool) step() {
	if !ready() {
		runtime.Goexit()
	}
	p.wg.Done() // want `p\.wg\.Done\(\) is not deferred: the runtime\.Goexit`
}

func TestWorkers(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if !ready() {
			t.Fatal("not ready")
		}
		wg.Done() // want `wg\.Done\(\) is not deferred: the t\.Fatal`
	}()
	wg.Wait()
}

func TestRequire(t *testing.T) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		require.True(t, ready())
		wg.Done() // want `wg\.Done\(\) is not deferred: the require\.True`
	}()
	wg.Wait()
}

func switchWithoutDefault(kind int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		switch kind {
		case 1:
			wg.Done() // want `wg\.Done\(\) is not deferred: the goroutine can end without it`
		case 2:
			wg.Done()
		}
	}()
	wg.Wait()
}

func ready() bool { return true }

func process([]string) {}
