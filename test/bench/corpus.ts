// A deterministic corpus of realistic Go for the benchmark: packages of files with structs
// holding WaitGroups and mutexes, worker loops, defers, contexts, and a few hazards.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x9e3779b9) | 0;
    return ((s >>> 0) % 1_000_000) / 1_000_000;
  };
}

const FUNCS = [
  (n: string) => `// process${n} fans work out to one goroutine per item and waits for all of them.
func (s *Service${n}) process${n}(ctx context.Context, items []string) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, len(items))
	for _, item := range items {
		wg.Add(1)
		go func(item string) {
			defer wg.Done()
			if err := s.handle${n}(ctx, item); err != nil {
				errs <- fmt.Errorf("item %q: %w", item, err)
			}
		}(item)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		return err
	}
	return nil
}
`,
  (n: string) => `func (s *Service${n}) handle${n}(ctx context.Context, item string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = make(map[string]int)
	}
	s.seen[item]++
	select {
	case <-ctx.Done():
		return ctx.Err()
	default:
	}
	if len(item) > 64 {
		return fmt.Errorf("item too long: %d", len(item))
	}
	return nil
}
`,
  (n: string) => `// readAll${n} opens every file; its defers pile up in the loop (a hazard WaitGuard reports).
func readAll${n}(paths []string) ([]byte, error) {
	var out []byte
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		data, err := io.ReadAll(f)
		if err != nil {
			return nil, err
		}
		out = append(out, data...)
	}
	return out, nil
}
`,
  (n: string) => `func checksum${n}(data []byte) uint32 {
	var sum uint32
	for i, b := range data {
		sum = sum*31 + uint32(b) + uint32(i%7)
		if sum%1000 == 0 {
			sum ^= 0x5bd1e995
		}
	}
	switch {
	case sum > 1<<30:
		return sum >> 1
	case sum == 0:
		return 1
	default:
		return sum
	}
}
`,
  (n: string) => `func (s *Service${n}) Start${n}(jobs <-chan func()) {
	for i := 0; i < s.workers; i++ {
		s.wg.Add(1)
		go func(id int) {
			defer s.wg.Done()
			for job := range jobs {
				s.run${n}(id, job)
			}
		}(i)
	}
}

func (s *Service${n}) run${n}(id int, job func()) {
	defer func() {
		if r := recover(); r != nil {
			s.mu.Lock()
			s.failures++
			s.mu.Unlock()
		}
	}()
	job()
}

func (s *Service${n}) Stop${n}() {
	s.wg.Wait()
}
`,
  (n: string) => `func format${n}(values map[string]int) string {
	keys := make([]string, 0, len(values))
	for k := range values {
		keys = append(keys, k)
	}
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "%s=%d", k, values[k])
	}
	return b.String()
}
`,
];

/** Writes about `lines` lines of Go under `dir` (packages of 10 files) and returns the count. */
export function writeCorpus(dir: string, lines: number): number {
  const next = random(42);
  let written = 0;
  for (let pkg = 0; written < lines; pkg++) {
    const pkgDir = join(dir, `pkg${pkg}`);
    mkdirSync(pkgDir, { recursive: true });
    for (let file = 0; file < 10 && written < lines; file++) {
      const n = `${pkg}_${file}`;
      let text = `package pkg${pkg}

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Service${n} owns a pool of workers.
type Service${n} struct {
	mu       sync.Mutex
	wg       sync.WaitGroup
	workers  int
	failures int
	seen     map[string]int
}

var _ = io.EOF
var _ = strings.TrimSpace
var _ = time.Second

`;
      for (let f = 0; text.split('\n').length < 500; f++) text += `${FUNCS[Math.floor(next() * FUNCS.length)](`${n}_${f}`)}\n`;
      writeFileSync(join(pkgDir, `file${file}.go`), text);
      written += text.split('\n').length;
    }
  }
  return written;
}

/** One large file (the keystroke benchmark's document). */
export function largeFile(lines: number): string {
  let text = 'package big\n\nimport (\n\t"context"\n\t"fmt"\n\t"io"\n\t"os"\n\t"strings"\n\t"sync"\n\t"time"\n)\n\ntype Service struct {\n\tmu sync.Mutex\n\twg sync.WaitGroup\n\tworkers int\n\tfailures int\n\tseen map[string]int\n}\n\n';
  for (let f = 0; text.split('\n').length < lines; f++) text += `${FUNCS[f % FUNCS.length](`_${f}`).replace(/Service_\d+/g, 'Service')}\n`;
  return text;
}
