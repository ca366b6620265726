package main

import (
	"log"
	"os"

	"github.com/golang/glog"
)

// Trap: glog.Fatal flushes glog's buffered logs itself before it exits.
func serveLogged(addr string) {
	defer glog.Flush()
	if addr == "" {
		glog.Fatal("no address")
	}
	glog.Info("serving ", addr)
}

// The standard log's Fatal does not flush glog: what glog buffered is lost.
func serveMixed(addr string) {
	defer glog.Flush()
	if addr == "" {
		log.Fatal("no address") // want `log\.Fatal\("no address"\) exits the program without running the deferred glog\.Flush\(\)`
	}
	glog.Info("serving ", addr)
}

// Trap: closing a channel matters only inside the process.
func produce(out chan<- int, n int) {
	defer close(out)
	for i := 0; i < n; i++ {
		if i < 0 {
			os.Exit(2)
		}
		out <- i
	}
}
