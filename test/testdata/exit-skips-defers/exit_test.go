package main

import (
	"os"
	"testing"
)

// Trap: t.Fatal runs the deferred calls (runtime.Goexit).
func TestFatal(t *testing.T) {
	f, err := os.Open("x")
	if err != nil {
		t.Fatal(err)
	}
	defer os.Remove(f.Name())
	t.Fatalf("failed")
}

func helper(tb testing.TB, f *os.File) {
	defer os.Remove(f.Name())
	tb.Fatal("x")
}

func TestMain(m *testing.M) {
	dir, _ := os.MkdirTemp("", "x")
	defer os.RemoveAll(dir)
	os.Exit(m.Run()) // want `os\.Exit\(m\.Run\(\)\) exits the program without running the deferred os\.RemoveAll\(dir\)`
}
