package fixture

import (
	"fmt"
	"sync"
)

func (c *Cache) Refresh(keys []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		c.wg.Add(1)
		go func(k string) {
			defer c.wg.Done()
			c.mu.Lock()
			c.items[k] = k
			c.mu.Unlock()
		}(k)
	}
	c.wg.Wait() // want `c\.wg\.Wait\(\) runs while c\.mu is locked, and the goroutines it waits for lock c\.mu before their Done.*deadlock`
}

func (c *Cache) RefreshNamed(keys []string) {
	c.mu.Lock()
	for range keys {
		c.wg.Add(1)
		go c.store()
	}
	c.wg.Wait() // want `c\.wg\.Wait\(\) runs while c\.mu is locked`
	c.mu.Unlock()
}

func (c *Cache) store() {
	defer c.wg.Done()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.items["x"] = "y"
}

func (c *Cache) ViaHelper() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.put("a")
	}()
	c.wg.Wait() // want `c\.wg\.Wait\(\) runs while c\.mu is locked`
}

func (c *Cache) put(k string) {
	c.mu.Lock()
	c.items[k] = k
	c.mu.Unlock()
}

func locals() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	mu.Lock()
	wg.Add(1)
	go func() {
		mu.Lock()
		fmt.Println("work")
		mu.Unlock()
		wg.Done()
	}()
	wg.Wait() // want `wg\.Wait\(\) runs while mu is locked`
	mu.Unlock()
}

func (c *Cache) ReadLockedWriter() {
	c.rw.RLock()
	defer c.rw.RUnlock()
	c.wg.Go(func() {
		c.rw.Lock()
		c.items["k"] = "v"
		c.rw.Unlock()
	})
	c.wg.Wait() // want `c\.wg\.Wait\(\) runs while c\.rw is locked`
}

func (c *Cache) DeferredWait() {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.wg.Wait() // want `c\.wg\.Wait\(\) runs while c\.mu is locked`
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.mu.Lock()
		c.mu.Unlock()
	}()
}
