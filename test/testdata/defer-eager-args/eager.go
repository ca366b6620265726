package fixture

import (
	"errors"
	"log"
	"os"
	"time"
)

func timed(work func()) {
	start := time.Now()
	defer log.Printf("work took %v", time.Since(start)) // want `time\.Since\(start\) is evaluated when the defer statement runs`
	work()
}

func observed(observe func(float64), work func()) {
	start := time.Now()
	defer observe(time.Since(start).Seconds()) // want `time\.Since\(start\)\.Seconds\(\) is evaluated when the defer statement runs`
	work()
}

func status(work func() bool) {
	var result string
	defer log.Println("finished:", result) // want `result is evaluated when the defer statement runs: log\.Println\("finished:", result\) sees its value from here`
	if work() {
		result = "ok"
	} else {
		result = "failed"
	}
}

func namedResult(finish func(error), step func() error) (err error) {
	defer finish(err) // want `err is evaluated when the defer statement runs`
	return step()
}

func assignedLater(finish func(error), step func() error) {
	var err error
	defer finish(err) // want `err is evaluated when the defer statement runs`
	if err = step(); err != nil {
		return
	}
	err = step()
}

func literalStart(report func(int)) {
	count := 0
	defer report(count) // want `count is evaluated when the defer statement runs`
	for i := 0; i < 10; i++ {
		count++
	}
}

func redeclared(finish func(error), open func() (*os.File, error)) {
	var err error
	defer finish(err) // want `err is evaluated when the defer statement runs`
	f, err := open()
	_ = f
}

func flag(report func(bool), work func() error) {
	done := false
	defer report(done) // want `done is evaluated when the defer statement runs`
	if work() == nil {
		done = true
	}
}

// Trap: the value from a call is meant as it is now.
func fromCall(finish func(error)) {
	err := errors.New("not started")
	defer finish(err)
	err = nil
	_ = err
}

// Trap: the start time is meant to be taken now.
func trace(name string) func() { return func() {} }

func traced(enter func(time.Time) func()) {
	defer enter(time.Now())()
	defer trace("traced")()
}

func traceNow(done func(time.Time)) {
	defer done(time.Now())
}

// Trap: a deferred function literal reads variables when it runs.
func literal(work func() bool) {
	start := time.Now()
	var result string
	defer func() {
		log.Printf("%s after %v", result, time.Since(start))
	}()
	if work() {
		result = "ok"
	}
}

// Trap: the value from a call is meant to be used as it is now.
func tempDir() {
	dir, err := os.MkdirTemp("", "x")
	if err != nil {
		return
	}
	defer os.RemoveAll(dir)
	dir = dir + "/sub"
	_ = dir
}

// Trap: never assigned after the defer.
func notReassigned(finish func(error)) {
	var err error
	defer finish(err)
	log.Print("x")
}

// Trap: the later err is another variable (declared in the if).
func shadowed(finish func(error), step func() error) {
	var err error
	defer finish(err)
	if err := step(); err != nil {
		log.Print(err)
	}
}

// Trap: assigned before the defer only; the address is taken.
func before(finish func(*error), step func() error) {
	var err error
	err = step()
	defer log.Print(err)
	defer finish(&err)
	err = step()
}

// Trap: a parameter holds the caller's value, which is meant.
func param(name string, done func(string)) {
	defer done(name)
	name = "other"
	_ = name
}

// Trap: set through a pointer before the defer, walked on afterwards.
func throughPointer(get func(**os.File) error, free func(*os.File)) {
	var f *os.File
	if get(&f) != nil {
		return
	}
	defer free(f)
	for ; f != nil; f = nil {
	}
}

// Flagged, but no quick fix: name changes after the defer and is meant as it is now.
func renamed(report func(string, error), step func() error, first func() string) {
	name := first()
	var err error
	defer report(name, err) // want `err is evaluated when the defer statement runs`
	name = "second"
	err = step()
	_ = name
}

// Flagged, but no quick fix: the literal would read the loop's shared variable.
func loop(report func(int, error), step func() error) {
	var err error
	for i := 0; i < 3; i++ {
		defer report(i, err) // want `err is evaluated when the defer statement runs`
	}
	err = step()
}
