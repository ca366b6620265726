package fixture

import "sync"

// Trap: Wait after the Unlock.
func (c *Cache) WaitAfterUnlock() {
	c.mu.Lock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.mu.Lock()
		c.mu.Unlock()
	}()
	c.mu.Unlock()
	c.wg.Wait()
}

// Trap: the goroutines never take the lock.
func (c *Cache) NoLockInside() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
	}()
	c.wg.Wait()
}

// Trap: the Add site takes the lock, the goroutine does not.
func (c *Cache) LockAtAdd(keys []string) {
	for range keys {
		c.mu.Lock()
		c.wg.Add(1)
		c.mu.Unlock()
		go func() { defer c.wg.Done() }()
	}
	c.wg.Wait()
}

// Trap: both sides only read-lock.
func (c *Cache) Readers() {
	c.rw.RLock()
	defer c.rw.RUnlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.rw.RLock()
		c.rw.RUnlock()
	}()
	c.wg.Wait()
}

// Trap: the goroutine locks only after its Done.
func (c *Cache) LockAfterDone() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		c.wg.Done()
		c.mu.Lock()
		c.mu.Unlock()
	}()
	c.wg.Wait()
}

// Trap: the deferred Wait was registered before the Lock: it runs after the Unlock.
func (c *Cache) WaitDeferredFirst() {
	defer c.wg.Wait()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.mu.Lock()
		c.mu.Unlock()
	}()
}

// Trap: a different mutex.
func twoMutexes() {
	var a, b sync.Mutex
	var wg sync.WaitGroup
	a.Lock()
	defer a.Unlock()
	wg.Add(1)
	go func() {
		defer wg.Done()
		b.Lock()
		b.Unlock()
	}()
	wg.Wait()
}
