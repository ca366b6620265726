package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"sync"
	"syscall"
)

type logger struct{}

func (logger) Fatalf(format string, args ...interface{}) {}

var appLog = log.New(os.Stderr, "", 0)

func main() {
	f, err := os.Create("out.txt")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	if _, err := fmt.Fprintln(w, "hello"); err != nil {
		log.Fatalf("write: %v", err) // want `log\.Fatalf\("write: %v", err\) exits the program without running the deferred w\.Flush\(\)`
	}
	os.Exit(run()) // want `os\.Exit\(run\(\)\) exits the program without running the deferred w\.Flush\(\)`
}

func run() int { return 0 }

func worker(wg *sync.WaitGroup, jobs chan func() error, out *os.File) {
	go func() {
		defer wg.Done()
		defer out.Sync()
		for job := range jobs {
			if err := job(); err != nil {
				appLog.Fatalln(err) // want `appLog\.Fatalln\(err\) exits the program without running the deferred out\.Sync\(\)`
			}
		}
	}()
}

// Trap: only in-process work is skipped (a Done, an unlock, a cancel, a panic handler).
func inProcess(wg *sync.WaitGroup, mu *sync.Mutex, cancel func(), jobs chan func() error) {
	go func() {
		defer wg.Done()
		mu.Lock()
		defer mu.Unlock()
		defer func() {
			if r := recover(); r != nil {
				appLog.Println(r)
			}
		}()
		for job := range jobs {
			if err := job(); err != nil {
				appLog.Fatalln(err)
			}
		}
	}()
}

// Trap: a project's own Fatalf may panic instead of exiting.
func projectLogger(l logger, f *os.File) {
	defer f.Close()
	l.Fatalf("stop")
}

func twoDefers(mu *sync.Mutex, l *log.Logger, dir string) {
	mu.Lock()
	defer mu.Unlock()
	defer os.RemoveAll(dir)
	defer l.Println("cleaning up")
	l.Fatalf("stop") // want `l\.Fatalf\("stop"\) exits the program without running the 2 deferred calls registered before it \(l\.Println\("cleaning up"\), os\.RemoveAll\(dir\)\)`
}

func conditionalDefer(verbose bool) {
	if verbose {
		defer fmt.Println("done")
	}
	syscall.Exit(1) // want `syscall\.Exit\(1\) exits the program without running the deferred fmt\.Println\("done"\)`
}

func inLoop(paths []string) {
	for _, p := range paths {
		if err := os.WriteFile(p, nil, 0o600); err != nil {
			log.Fatal(err) // want `log\.Fatal\(err\) exits the program without running the deferred os\.Remove\(p\)`
		}
		defer os.Remove(p)
	}
}

// Trap: the operating system closes files and connections of an exiting process.
func plainClose(path string, conn interface{ Close() error }) {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	defer conn.Close()
	log.Fatal("done")
}

// Trap: the exit comes before any defer.
func early(path string) {
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(path)
}

// Trap: a deferred exit runs last anyway.
func deferredExit(code *int) {
	defer os.Exit(*code)
	*code = 1
}

// Trap: the defer is in a literal, the exit in the outer function.
func literalDefer() {
	func() {
		defer fmt.Println("inner done")
	}()
	os.Exit(0)
}

// Trap: panics and log.Panic run the deferred calls.
func panics() {
	defer fmt.Println("bye")
	log.Panic("boom")
}

// Trap: the exit is on another branch than the defer.
func otherBranch(ok bool) {
	if ok {
		defer fmt.Println("ok")
	} else {
		os.Exit(2)
	}
}

// Trap: a function after a return does not exit here.
func returns() error {
	defer fmt.Println("returned")
	return nil
}
