package fixture

import (
	"database/sql"
	"io"
	"os"
	"sync"
)

func closeEach(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `f\.Close\(\) is deferred inside a loop: it runs when closeEach returns`
	}
}

func lockEach(mus []*sync.Mutex) {
	for i := 0; i < len(mus); i++ {
		mus[i].Lock()
		defer mus[i].Unlock() // want `mus\[i\]\.Unlock\(\) is deferred inside a loop`
	}
}

func conditionLoop(db *sql.DB, more func() bool) {
	for more() {
		rows, err := db.Query("SELECT 1")
		if err != nil {
			return
		}
		defer rows.Close() // want `rows\.Close\(\) is deferred inside a loop`
	}
}

// Nested in an if inside the loop, and a deferred literal.
func nested(items []string, release func(string)) {
	for _, it := range items {
		if it != "" {
			defer func() { // want `is deferred inside a loop`
				release(it)
			}()
		}
	}
}

// The innermost loop of two; the function literal's own loop.
func literal(groups [][]string, release func(string)) func() {
	return func() {
		for _, g := range groups {
			for _, it := range g {
				defer release(it) // want `release\(it\) is deferred inside a loop: it runs when the function literal returns`
			}
		}
	}
}

// A loop with an exit, even though it is unconditional.
func retry(open func() (*os.File, error), ok func() bool) {
	for {
		f, err := open()
		if err != nil {
			return
		}
		defer f.Close() // want `f\.Close\(\) is deferred inside a loop`
		if ok() {
			break
		}
	}
}

// Trap: a per-iteration function literal.
func perIteration(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
		}()
	}
}

// Trap: defer before the loop.
func beforeLoop(mu *sync.Mutex, items []int) {
	mu.Lock()
	defer mu.Unlock()
	for range items {
	}
}

// Trap: the defer is followed by a return out of the loop: registered at most once.
func findFirst(paths []string) *os.File {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return f
	}
	return nil
}

// Trap: followed by a break that leaves the loop.
func firstOpen(paths []string, use func(*os.File)) {
	for _, p := range paths {
		if f, err := os.Open(p); err == nil {
			defer f.Close()
			use(f)
			break
		}
	}
}

// Trap: an infinite loop nothing leaves is defer-in-infinite-loop's finding.
func forever(next func() *os.File) {
	for {
		f := next()
		defer f.Close()
	}
}

// Trap: a goroutine started per iteration has its own function.
func goroutines(paths []string, wg *sync.WaitGroup) {
	for _, p := range paths {
		wg.Add(1)
		go func(p string) {
			defer wg.Done()
			_ = p
		}(p)
	}
}

// Flagged: a break inside a select does not leave the loop.
func selectBreak(ch chan *os.File) {
	for i := 0; i < 3; i++ {
		f := <-ch
		defer f.Close() // want `deferred inside a loop`
		select {
		case <-ch:
			break
		}
	}
}

// Trap: the inner loop sits in a loop nothing leaves: defer-in-infinite-loop reports it.
func insideEndless(batches chan []string, open func(string) *os.File) {
	for {
		for _, name := range <-batches {
			f := open(name)
			defer f.Close()
		}
	}
}

// Trap: each file stays open for reading after the loop; they close when the function returns.
func readAll(paths []string) ([]byte, error) {
	var readers []io.Reader
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		readers = append(readers, f)
	}
	return io.ReadAll(io.MultiReader(readers...))
}

// Trap: an undo that runs when the function returns, only if it failed.
func makeAll(dirs []string) (err error) {
	for _, d := range dirs {
		if err = os.Mkdir(d, 0o755); err != nil {
			return err
		}
		dir := d
		defer func() {
			if err != nil {
				os.Remove(dir)
			}
		}()
	}
	return os.Chdir(dirs[0])
}

// Trap: registered once, the first time through the loop.
func withScratch(names []string) {
	var dir string
	for _, n := range names {
		if dir == "" {
			dir, _ = os.MkdirTemp("", "scratch")
			defer os.RemoveAll(dir)
		}
		_ = os.WriteFile(dir+"/"+n, nil, 0o600)
	}
}

// What the loop keeps is each file's name, not the file: the files pile up open.
func openedNames(paths []string) []string {
	var opened []string
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `f\.Close\(\) is deferred inside a loop`
		opened = append(opened, f.Name())
	}
	return opened
}

// A deferred literal too long to quote is named by its signature.
func removeEach(dirs []string) {
	for _, d := range dirs {
		dir := d
		defer func() { // want `func\(\) \{ … \}\(\) is deferred inside a loop: it runs when removeEach returns`
			if err := os.RemoveAll(dir); err != nil {
				println("could not remove", dir, err.Error())
			}
		}()
	}
}
