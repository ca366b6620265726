package fixture

import (
	"fmt"
	"sync"
)

type Indexer struct {
	wg   sync.WaitGroup
	docs []string
}

func deferredDone() {
	var wg sync.WaitGroup
	wg.Go(func() {
		defer wg.Done() // want `wg\.Done\(\) inside wg\.Go\(\.\.\.\): Go calls Done itself when the function returns, so the counter goes negative \("sync: negative WaitGroup counter"\)`
		fmt.Println("work")
	})
	wg.Wait()
}

func explicitDone(wg *sync.WaitGroup) {
	wg.Go(func() {
		fmt.Println("work")
		wg.Done() // want `wg\.Done\(\) inside wg\.Go`
	})
}

func (ix *Indexer) Run() {
	for _, d := range ix.docs {
		ix.wg.Go(func() {
			defer ix.wg.Done() // want `ix\.wg\.Done\(\) inside ix\.wg\.Go`
			fmt.Println(d)
		})
	}
	ix.wg.Wait()
}

func (ix *Indexer) RunNamed() {
	ix.wg.Go(ix.index)
	ix.wg.Wait()
}

func (ix *Indexer) index() {
	defer ix.wg.Done() // want `ix\.wg\.Done\(\) inside ix\.wg\.Go`
}

func negativeAdd() {
	var wg sync.WaitGroup
	wg.Go(func() {
		wg.Add(-1) // want `wg\.Add\(-1\) inside wg\.Go`
	})
	wg.Wait()
}
