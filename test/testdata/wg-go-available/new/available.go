package available

import (
	"fmt"
	"sync"
)

type Fetcher struct {
	wg   sync.WaitGroup
	urls []string
}

func deferFirst(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		wg.Add(1)
		go func() { // want `wg\.Add\(1\) and go func\(\) with defer wg\.Done\(\) can be written wg\.Go\(func\(\) \{ \.\.\. \}\)`
			defer wg.Done()
			fmt.Println(it)
		}()
	}
	wg.Wait()
}

func doneLast() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // want `can be written wg\.Go`
		fmt.Println("work")
		wg.Done()
	}()
	wg.Wait()
}

func (f *Fetcher) Fetch() {
	for _, u := range f.urls {
		f.wg.Add(1)
		go func() { // want `can be written f\.wg\.Go`
			defer f.wg.Done()
			fmt.Println(u)
		}()
	}
	f.wg.Wait()
}

func oneLine(wg *sync.WaitGroup) {
	wg.Add(1)
	go func() { defer wg.Done(); fmt.Println("x") }() // want `can be written wg\.Go`
}

func withUnlock(mu *sync.Mutex, wg *sync.WaitGroup) {
	wg.Add(1)
	go func() { // want `can be written wg\.Go`
		defer wg.Done()
		mu.Lock()
		defer mu.Unlock()
	}()
}

func withRecoverFreeLiteral(wg *sync.WaitGroup, ch chan int) {
	wg.Add(1)
	go func() { // want `can be written wg\.Go`
		defer wg.Done()
		defer func() { close(ch) }()
	}()
}
