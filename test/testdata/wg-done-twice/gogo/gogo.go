package gogo

import (
	"fmt"
	"sync"
)

// Trap: a Done inside X.Go is reported once, by wg-go-misuse.
func insideGo() {
	var wg sync.WaitGroup
	wg.Go(func() {
		defer wg.Done()
		fmt.Println("work")
	})
	wg.Wait()
}

func insideGoExplicit(wg *sync.WaitGroup) {
	wg.Go(func() {
		fmt.Println("work")
		wg.Done()
	})
}

// Trap: wg.Go with a Done on another WaitGroup.
func goOther(other *sync.WaitGroup) {
	var wg sync.WaitGroup
	wg.Go(func() {
		defer other.Done()
	})
	wg.Wait()
}
