package examples

import "sync"

// Server's fields are declared here; workers.go uses them.
type Server struct {
	mu   sync.Mutex
	jobs sync.WaitGroup
}

// Shutdown waits for the jobs started by startJobs.
func (s *Server) Shutdown() {
	s.jobs.Wait()
}

// process is written safely: Add before go, Done deferred, a per-iteration scope for defers.
func process(items []string, handle func(string)) {
	var wg sync.WaitGroup
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			func() {
				defer handle(item)
			}()
		}(item)
	}
	wg.Wait()
}
