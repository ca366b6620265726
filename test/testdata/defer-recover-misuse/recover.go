package fixture

import (
	"log"
	"sync"
)

func deferredDirectly(work func()) {
	defer recover() // want `recover\(\) is deferred itself: it is not called by a deferred function, so it stops nothing and the panic goes on`
	work()
}

func inArguments(work func()) {
	defer log.Println("recovered:", recover()) // want `recover\(\) in the arguments of the deferred log\.Println is evaluated when the defer statement runs`
	work()
}

func literalArgument(work func()) {
	defer func(r interface{}) {
		log.Println(r)
	}(recover()) // want `recover\(\) in the arguments of the deferred call is evaluated when the defer statement runs`
	work()
}

// A helper called by the deferred function is not the deferred function.
func logPanic() {
	if r := recover(); r != nil { // want `recover\(\) is called in logPanic, which is never deferred`
		log.Println(r)
	}
}

func viaHelper(work func()) {
	defer func() {
		logPanic()
	}()
	work()
}

type server struct{ mu sync.Mutex }

func (s *server) catchPanic() {
	if r := recover(); r != nil { // want `recover\(\) is called in catchPanic, which is never deferred`
		log.Println(r)
	}
}

func (s *server) handle(work func()) {
	defer func() { s.catchPanic() }()
	work()
}

// A literal called in place, not deferred.
func inPlace(work func()) {
	defer func() {
		func() {
			recover() // want `recover\(\) is called in a function literal that is not deferred`
		}()
	}()
	work()
}

// A goroutine body is never deferred.
func inGoroutine() {
	go func() {
		recover() // want `recover\(\) is called in a function literal that is not deferred`
	}()
}

// Trap: the recommended shape.
func safe(work func()) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Println(r)
		}
	}()
	work()
	return nil
}

// Trap: a named function deferred in the same package (see other.go too).
func handlePanic() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

func usesNamed(work func()) {
	defer handlePanic()
	work()
}

func (s *server) guard() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

// Trap: deferred in another file of the package.
func deferredElsewhere() {
	recover()
}

// Trap: exported functions may be deferred by other packages.
func Recover() {
	if r := recover(); r != nil {
		log.Println(r)
	}
}

// Trap: used as a value: it may be deferred through it.
func asValue() {
	recover()
}

var handlers = []func(){asValue}

// Trap: a literal assigned to a variable and deferred through it.
func throughVariable(work func()) {
	catch := func() {
		recover()
	}
	defer catch()
	work()
}

// Trap: recover shadowed by a local function.
func shadowed(recover func() interface{}) {
	defer recover()
}
