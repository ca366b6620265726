// Package examples shows the hazards WaitGuard finds. Run `npm start` to see them.
package examples

import (
	"os"
	"sync"
)

// crawl counts each page inside its goroutine: Wait can return before any Add has run.
func crawl(urls []string, fetch func(string)) {
	var wg sync.WaitGroup
	for _, url := range urls {
		go func(u string) {
			wg.Add(1)
			defer wg.Done()
			fetch(u)
		}(url)
	}
	wg.Wait()
}

// concatenate keeps every file open until it returns: the defers pile up in the loop.
func concatenate(paths []string, out *os.File) error {
	for _, path := range paths {
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		if _, err := out.ReadFrom(f); err != nil {
			return err
		}
	}
	return nil
}

// Server counts its background jobs in a WaitGroup declared in server.go.
func (s *Server) startJobs(jobs []func()) {
	for _, job := range jobs {
		go s.run(job)
	}
}

func (s *Server) run(job func()) {
	s.jobs.Add(1)
	defer s.jobs.Done()
	job()
}
