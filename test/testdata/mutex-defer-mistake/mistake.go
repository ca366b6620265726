package fixture

import "sync"

type store struct {
	mu   sync.RWMutex
	data map[string]string
}

type counter struct {
	sync.Mutex
	n int
}

func (s *store) set(k, v string) {
	s.mu.Lock()
	defer s.mu.Lock() // want `defer s\.mu\.Lock\(\) locks s\.mu again when the function returns instead of unlocking it: it deadlocks`
	s.data[k] = v
}

func (c *counter) inc() {
	c.Lock()
	defer c.Lock() // want `defer c\.Lock\(\) locks c\.Mutex again when the function returns`
	c.n++
}

func (s *store) get(k string) string {
	s.mu.Lock()
	defer s.mu.RUnlock() // want `defer s\.mu\.RUnlock\(\) does not match s\.mu\.Lock\(\): RUnlock of a write-locked RWMutex is a fatal error`
	return s.data[k]
}

func (s *store) del(k string) {
	s.mu.RLock()
	defer s.mu.Unlock() // want `defer s\.mu\.Unlock\(\) does not match s\.mu\.RLock\(\): Unlock of a read-locked RWMutex is a fatal error`
	delete(s.data, k)
}

func (c *counter) reset() {
	c.Lock()
	c.Unlock() // want `c\.Unlock\(\) right after c\.Lock\(\) leaves an empty critical section: the code after it runs without the lock \(meant defer c\.Unlock\(\)\?\)`
	c.n = 0
}

func (s *store) read(k string) string {
	s.mu.RLock()
	// A comment does not count as work.
	s.mu.RUnlock() // want `s\.mu\.RUnlock\(\) right after s\.mu\.RLock\(\) leaves an empty critical section`
	return s.data[k]
}

func local() {
	var mu sync.Mutex
	mu.Lock()
	defer mu.Lock() // want `defer mu\.Lock\(\) locks mu again`
}

// Trap: the right pairs.
func (s *store) fine(k, v string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
	return v
}

func (s *store) fineRead(k string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}

// Trap: work between Lock and Unlock.
func (c *counter) add(d int) {
	c.Lock()
	c.n += d
	c.Unlock()
}

// Trap: two different mutexes.
func two(a, b *sync.Mutex) {
	a.Lock()
	b.Unlock()
	a.Lock()
	defer b.Lock()
}

// Trap: unlock then lock (a gap on purpose, e.g. to let others in).
func (c *counter) yield() {
	c.Lock()
	c.n++
	c.Unlock()
	c.Lock()
	defer c.Unlock()
}

// Trap: unknown receiver types.
type locker interface{ Lock(); Unlock() }

func unknown(l locker) {
	l.Lock()
	l.Unlock()
}

// Trap: an empty critical section in the middle of a function is a barrier.
func (c *counter) barrier(stop func()) {
	stop()
	// Wait for the current holder to finish.
	c.Lock()
	c.Unlock()
	c.n = 0
}

// Trap: the empty section is all the function does.
func (c *counter) sync() {
	c.Lock()
	c.Unlock()
}
