package fixture

func (s *server) serve(work func()) {
	defer s.guard()
	defer deferredElsewhere()
	work()
}
