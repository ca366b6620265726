package old

import (
	"fmt"
	"os"
	"sync"
)

func launchAll(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(item) // want `item is the loop variable, shared by all iterations before Go 1\.22 \(go\.mod says 1\.21\): the goroutine may see a later iteration's value`
		}()
	}
	wg.Wait()
}

func counted(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		go func() {
			out <- i * i // want `i is the loop variable, shared by all iterations`
		}()
	}
}

func closeAll(files []*os.File) {
	for _, f := range files {
		defer func() {
			f.Close() // want `f is the loop variable, shared by all iterations before Go 1\.22 \(go\.mod says 1\.21\): every deferred call sees the value of the last iteration`
		}()
	}
}

func keys(m map[string]int) {
	for k, v := range m {
		go func() {
			fmt.Println(k, v) // want `k is the loop variable` `v is the loop variable`
		}()
	}
}

func nested(groups [][]string, handle func(string)) {
	for _, g := range groups {
		if len(g) > 0 {
			go func() {
				for _, s := range g { // want `g is the loop variable`
					handle(s)
				}
			}()
		}
	}
}

// Trap: passed as an argument.
func asArgument(items []string, handle func(string)) {
	for _, item := range items {
		go func(item string) {
			handle(item)
		}(item)
	}
}

// Trap: shadowed with item := item.
func shadowed(items []string, handle func(string)) {
	for _, item := range items {
		item := item
		go func() {
			handle(item)
		}()
	}
}

// Trap: the go statement is not the last thing the iteration does (here it is waited for).
func waited(items []string, handle func(string)) {
	for _, item := range items {
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			handle(item)
		}()
		wg.Wait()
	}
}

// Trap: a literal called in the loop, not go or defer.
func called(items []string, handle func(string)) {
	for _, item := range items {
		func() {
			handle(item)
		}()
	}
}

// Trap: the variable is declared outside the loop (assigned by it, not declared by it).
func outside(items []string, handle func(string)) {
	var item string
	for _, item = range items {
	}
	go func() {
		handle(item)
	}()
}

// Trap: a named function launched with the variable evaluates it at once.
func named(items []string, handle func(string)) {
	for _, item := range items {
		go handle(item)
		defer handle(item)
	}
}

// Trap: the literal declares its own i.
func ownLoop(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		go func() {
			for i := 0; i < 3; i++ {
				out <- i
			}
		}()
	}
}

// Flagged, but no quick fix: the body advances i itself, which a copy would stop.
func skipping(n int, skip func(int) bool, out chan<- int) {
	for i := 0; i < n; i++ {
		if skip(i) {
			i++
		}
		go func() {
			out <- i // want `i is the loop variable, shared by all iterations`
		}()
	}
}
