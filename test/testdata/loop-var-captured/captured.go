package fixture

// No go.mod: the Go version is unknown, so nothing here is flagged.

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
			handle(item)
		}()
	}
	wg.Wait()
}

func counted(n int, out chan<- int) {
	for i := 0; i < n; i++ {
		go func() {
			out <- i * i
		}()
	}
}

func closeAll(files []*os.File) {
	for _, f := range files {
		defer func() {
			f.Close()
		}()
	}
}

func keys(m map[string]int) {
	for k, v := range m {
		go func() {
			fmt.Println(k, v)
		}()
	}
}

func nested(groups [][]string, handle func(string)) {
	for _, g := range groups {
		if len(g) > 0 {
			go func() {
				for _, s := range g {
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
