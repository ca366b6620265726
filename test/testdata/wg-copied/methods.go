package fixture

// Nothing in this file names a WaitGroup or starts a goroutine: only the package's types (a
// Crawler holds one) make it worth checking, so a scan must not skip it.

func (c Crawler) PageCount() int { // want `receiver c receives a copy of Crawler with its sync\.WaitGroup`
	return len(c.pages)
}

func (c *Crawler) FirstPage() string {
	if len(c.pages) == 0 {
		return ""
	}
	return c.pages[0]
}

func pageCount(c *Crawler) int {
	return len(c.pages)
}
