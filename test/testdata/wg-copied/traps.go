package fixture

import (
	"fmt"
	"sync"
)

// Trap: pointers everywhere.
func pointers(wg *sync.WaitGroup, c *Crawler) *Crawler {
	other := wg
	other.Wait()
	h := Handle{wg: wg}
	fmt.Println(h)
	return c
}

// Trap: zero-value initialisations.
func zeroValues() {
	var wg sync.WaitGroup
	a := sync.WaitGroup{}
	b := new(sync.WaitGroup)
	c := Crawler{}
	d := &Crawler{pages: nil}
	var e = Crawler{}
	fmt.Println(&wg, &a, b, &c, d, &e)
}

// Trap: address-of.
func addressOf() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func(w *sync.WaitGroup) { defer w.Done() }(&wg)
	wg.Wait()
}

// Trap: pointer receiver.
func (c *Crawler) Wait() { c.wg.Wait() }

// Trap: a struct holding only a pointer is copied freely.
func handles(h Handle) Handle {
	copyOf := h
	return copyOf
}

// Trap: ranging by index, over pointers, or with a blank value.
func ranges(all []Crawler, ptrs []*Crawler) {
	for i := range all {
		all[i].wg.Wait()
	}
	for _, c := range ptrs {
		c.wg.Wait()
	}
	for i, _ := range all {
		fmt.Println(i)
	}
}

// Trap: a look-alike WaitGroup type of this package.
type WaitGroup struct{ n int }

func lookalike(w WaitGroup) WaitGroup {
	other := w
	return other
}

// Trap: unknown types stay silent.
func unknown(x interface{ Wait() }) {
	y := x
	y.Wait()
}
