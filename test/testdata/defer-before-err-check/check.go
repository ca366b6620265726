package fixture

import (
	"database/sql"
	"net/http"
	"os"
)

func open(path string) error {
	f, err := openHandle(path)
	defer f.Close() // want `defer f\.Close\(\) is registered before err is checked: when openHandle\(path\) fails f may be nil`
	if err != nil {
		return err
	}
	return nil
}

func get(url string) (int, error) {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `defer resp\.Body\.Close\(\) is registered before err is checked`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func query(db *sql.DB) error {
	var rows *sql.Rows
	var err error
	rows, err = db.Query("SELECT 1")
	defer rows.Close() // want `defer rows\.Close\(\) is registered before err is checked`
	return err
}

func create(path string) {
	f, createErr := openHandle(path)
	defer f.Sync() // want `defer f\.Sync\(\) is registered before createErr is checked`
	_ = createErr
}

func begin(db *sql.DB) error {
	tx, err := db.Begin()
	defer tx.Rollback() // want `defer tx\.Rollback\(\) is registered before err is checked`
	if err != nil {
		return err
	}
	return tx.Commit()
}

type client struct{ conn *os.File }

// A handle's methods dereference it: deferred on a nil one, they panic.
type handle struct{ buf []byte }

func (h *handle) Close() error { h.buf = nil; return nil }
func (h *handle) Sync() error  { _ = h.buf; return nil }

func openHandle(path string) (*handle, error) { return &handle{}, nil }

func dial(path string) (*client, error) { return nil, nil }

func nested(path string) error {
	c, err := dial(path)
	defer c.conn.Close() // want `defer c\.conn\.Close\(\) is registered before err is checked: when dial\(path\) fails c may be nil`
	return err
}

// Trap: a deferred literal may check for nil itself.
func literal(path string) {
	f, err := os.Open(path)
	defer func() {
		if f != nil {
			f.Close()
		}
	}()
	_ = err
}

// Trap: the defer after the error check.
func checked(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return nil
}

// Trap: the error is ignored with _, there is no err to check.
func ignored(path string) {
	f, _ := os.Open(path)
	defer f.Close()
}

// Trap: a different variable.
func other(path string, g *os.File) error {
	f, err := os.Open(path)
	defer g.Close()
	if err != nil {
		return err
	}
	return f.Close()
}

// Trap: x is passed to a function, not called on (the function may check for nil).
func passed(path string, closeQuietly func(*os.File)) error {
	f, err := os.Open(path)
	defer closeQuietly(f)
	return err
}

// Trap: the second result is not an error.
func lookup(m map[string]*os.File, key string) {
	f, ok := m[key]
	defer f.Close()
	_ = ok
}

// Trap: the defer is on the earlier, checked value, not on the one just returned.
func between(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	stat, err := f.Stat()
	defer f.Close()
	_ = stat
	return err
}

// Flagged, but no quick fix: the check does not leave, so moving the defer would not help.
func logged(path string, logf func(error)) {
	f, err := openHandle(path)
	defer f.Close() // want `defer f\.Close\(\) is registered before err is checked`
	if err != nil {
		logf(err)
	}
}

func panics(path string) *handle {
	f, err := openHandle(path)
	defer f.Sync() // want `defer f\.Sync\(\) is registered before err is checked`
	// A panic leaves as well.
	if err != nil {
		panic(err)
	}
	return f
}

// Trap: *os.File's methods tolerate a nil receiver (they return ErrInvalid): out of order, but harmless.
func openFile(path string) error {
	f, err := os.Open(path)
	defer f.Close()
	if err != nil {
		return err
	}
	return nil
}

// Trap: the same for a file created.
func createFile(path string) {
	f, err := os.Create(path)
	defer f.Sync()
	_ = err
}
