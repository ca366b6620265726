package fixture

import (
	"errors"
	"sync"
)

type cache struct {
	mu    sync.Mutex
	items map[string]int
}

type registry struct {
	sync.RWMutex
	names map[string]bool
}

var errMissing = errors.New("missing")

func (c *cache) get(key string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[key]
	if !ok {
		return 0, errMissing // want `return 0, errMissing leaves with c\.mu locked: c\.mu\.Unlock\(\) is skipped on this path, so the next c\.mu\.Lock\(\) deadlocks`
	}
	c.mu.Unlock()
	return v, nil
}

func (r *registry) has(name string) bool {
	r.RLock()
	if name == "" {
		return false // want `return false leaves with r\.RWMutex read-locked`
	}
	ok := r.names[name]
	r.RUnlock()
	return ok
}

func (c *cache) sum(keys []string) int {
	total := 0
	for _, k := range keys {
		c.mu.Lock()
		v, ok := c.items[k]
		if !ok {
			continue // want `continue leaves with c\.mu locked`
		}
		total += v
		c.mu.Unlock()
	}
	return total
}

func (c *cache) firstMissing(keys []string) string {
	missing := ""
	for _, k := range keys {
		c.mu.Lock()
		if _, ok := c.items[k]; !ok {
			missing = k
			break // want `break leaves with c\.mu locked`
		}
		c.mu.Unlock()
	}
	return missing
}

func transfer(mu *sync.Mutex, from, to map[string]int, key string) error {
	mu.Lock()
	switch v := from[key]; {
	case v < 0:
		return errors.New("negative") // want `return errors\.New\("negative"\) leaves with mu locked`
	default:
		to[key] = v
	}
	mu.Unlock()
	return nil
}

func (c *cache) put(key string, v int) {
	c.mu.Lock()
	if v == 0 {
		goto out // want `goto out leaves with c\.mu locked`
	}
	c.items[key] = v
	c.mu.Unlock()
out:
}

// Trap: every path unlocks first.
func (c *cache) safeGet(key string) (int, error) {
	c.mu.Lock()
	v, ok := c.items[key]
	if !ok {
		c.mu.Unlock()
		return 0, errMissing
	}
	c.mu.Unlock()
	return v, nil
}

// Trap: deferred unlock.
func (c *cache) deferred(key string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	if key == "" {
		return 0
	}
	return c.items[key]
}

// Trap: deferred unlock in a literal.
func (r *registry) add(name string) {
	r.Lock()
	defer func() {
		r.Unlock()
	}()
	if name == "" {
		return
	}
	r.names[name] = true
}

// Trap: an acquire helper never unlocks; the caller does.
func (c *cache) lock() *cache {
	c.mu.Lock()
	return c
}

// Trap: the unlock is conditional on the same flag (the paths merge): stay silent.
func (c *cache) maybe(locked bool, key string) int {
	if locked {
		c.mu.Lock()
	}
	v := c.items[key]
	if locked {
		c.mu.Unlock()
	}
	return v
}

// Trap: a helper that unlocks.
func (c *cache) unlockAndNotify(notify func()) {
	c.mu.Unlock()
	notify()
}

func (c *cache) viaHelper(key string, notify func()) int {
	c.mu.Lock()
	v := c.items[key]
	if v == 0 {
		c.unlockAndNotify(notify)
		return 0
	}
	c.mu.Unlock()
	return v
}

// Trap: the lock is held across iterations on purpose and released after the loop.
func (c *cache) wait(cond *sync.Cond, key string) int {
	c.mu.Lock()
	for c.items[key] == 0 {
		cond.Wait()
	}
	v := c.items[key]
	c.mu.Unlock()
	return v
}

// Trap: unlock, work, lock again inside a loop, unlocked after it.
func (c *cache) drain(work func()) {
	c.mu.Lock()
	for len(c.items) > 0 {
		if c.items["stop"] > 0 {
			break
		}
		c.mu.Unlock()
		work()
		c.mu.Lock()
	}
	c.mu.Unlock()
}

// Trap: the release is handed to the caller in a closure.
func (c *cache) acquire() (func(), error) {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		return nil, errMissing
	}
	return func() { c.mu.Unlock() }, nil
}

// Trap: a method value named for the release is handed on.
func (c *cache) unlockRelease() { c.mu.Unlock() }

func (c *cache) handOff() (func(), error) {
	c.mu.Lock()
	if c.items == nil {
		c.mu.Unlock()
		return nil, errMissing
	}
	return c.unlockRelease, nil
}

// Trap: only a goroutine unlocks; the function itself never does (a barrier in a test).
func barrier(release chan bool) {
	var mu sync.Mutex
	mu.Lock()
	go func() {
		<-release
		mu.Unlock()
	}()
	mu.Lock()
}

// Trap: called with the lock held; it lets go around a callback and takes it back for the caller.
func (c *cache) handleKey(key string, callback func(string) bool) {
	if callback != nil {
		c.mu.Unlock()
		ok := callback(key)
		c.mu.Lock()
		if ok {
			return
		}
	}
	if key == "" {
		return
	}
	c.items[key]++
}

// Trap: an assertion that crashes the program; whether the lock is released no longer matters.
func (c *cache) forget(key string) {
	c.mu.Lock()
	n := len(c.items)
	delete(c.items, key)
	if len(c.items) != n-1 {
		panic("forgetting an unknown key")
	}
	c.mu.Unlock()
}

type fileLock struct {
	mu sync.Mutex
}

func (l *fileLock) Unlock() { l.mu.Unlock() }

// Trap: on success the lock goes to the caller with the value whose Unlock releases it.
func (l *fileLock) tryLock(busy bool) (*fileLock, error) {
	l.mu.Lock()
	if busy {
		l.mu.Unlock()
		return nil, errMissing
	}
	return l, nil
}

// Trap: the method it returns through takes the lock over and releases it.
func (c *cache) getOrLoad(key string) (int, error) {
	c.mu.Lock()
	if v, ok := c.items[key]; ok {
		c.mu.Unlock()
		return v, nil
	}
	return c.loadLocked(key)
}

// loadLocked is called with c.mu held and releases it.
func (c *cache) loadLocked(key string) (int, error) {
	defer c.mu.Unlock()
	c.items[key] = len(key)
	return c.items[key], nil
}

// Trap: a helper that takes or lets go of the lock, never both on one path.
func toggled(mu *sync.Mutex, steps []bool) {
	locked := false
	lock := func(b bool) {
		if locked != b {
			locked = b
			if b {
				mu.Lock()
			} else {
				mu.Unlock()
			}
		}
	}
	for _, step := range steps {
		lock(step)
	}
	lock(false)
}

// A method of the owner that is not the return itself still runs with the lock held and returns.
func (c *cache) refresh(key string) error {
	c.mu.Lock()
	if err := c.check(key); err != nil {
		return err // want `return err leaves with c\.mu locked`
	}
	c.mu.Unlock()
	return nil
}

func (c *cache) check(key string) error {
	if key == "" {
		return errMissing
	}
	return nil
}
