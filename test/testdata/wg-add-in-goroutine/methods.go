package fixture

// Named method launched with go; Adds to a field declared in another file.
func (s *Server) Start(n int) {
	for i := 0; i < n; i++ {
		go s.work()
	}
}

func (s *Server) work() {
	s.workers.Add(1) // want `s\.workers\.Add\(1\) runs inside the goroutine it counts`
	defer s.workers.Done()
}

// Trap: counted before the go statement, so the Add inside is for its own nested goroutines.
func (s *Server) StartCounted() {
	s.workers.Add(1)
	go s.fanOut()
}

func (s *Server) fanOut() {
	defer s.workers.Done()
	s.workers.Add(1)
	go func() {
		defer s.workers.Done()
	}()
}

// Pointer field through another struct.
func (s *Server) StartInner() {
	go func() {
		s.inner.wg.Add(1) // want `s\.inner\.wg\.Add\(1\) runs inside the goroutine`
		defer s.inner.wg.Done()
	}()
}

// Trap: a named function that is also called synchronously.
func (s *Server) StartMixed() {
	go s.mixed()
	s.mixed()
}

func (s *Server) mixed() {
	s.workers.Add(1)
	defer s.workers.Done()
}

// Trap: inside a goroutine, the Add right before a nested go statement counts that goroutine.
func (s *Server) relay(items <-chan int) {
	go func() {
		for it := range items {
			s.workers.Add(1)
			go func(v int) {
				defer s.workers.Done()
				_ = v
			}(it)
		}
	}()
}
