package teamsync

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// ErrExists is returned by Remote.Create when an object of that name is already there: a
// desk never overwrites an object, its own or another's.
var ErrExists = errors.New("teamsync: object already exists")

// ErrNotFound is returned by Remote.Get for a name the remote does not hold.
var ErrNotFound = errors.New("teamsync: no such object")

// Remote is the team's shared storage used as a dumb mailbox: named objects that are
// created once and never changed or deleted by sync. S3 (store/teamsync/s3remote) and
// WebDAV (store/teamsync/davremote) implement it; every implementation passes the same
// conformance suite (store/teamsync/remotetest).
//
// Names are slash-separated relative paths of the characters [A-Za-z0-9._-/], such as
// "desks/6f1c…/000000000042.bundle".
type Remote interface {
	// Create writes a new object, only if no object of that name exists (a conditional
	// create where the server has one); otherwise it returns ErrExists and changes nothing.
	// A Create that fails part-way leaves no object, or one that Get returns whole.
	Create(ctx context.Context, name string, data []byte) error
	// Get returns an object's bytes, or ErrNotFound.
	Get(ctx context.Context, name string) ([]byte, error)
	// List returns the names of the objects whose names begin with prefix, sorted.
	List(ctx context.Context, prefix string) ([]string, error)
	// String names the remote for messages and the audit log (never its credentials).
	String() string
}

// ValidName checks an object name of the protocol (doc.go's layout): slash-separated
// segments of [A-Za-z0-9._-], none empty, "." or "..". Remotes refuse other names, so
// that none reaches outside the remote's folder, bucket prefix or collection.
func ValidName(name string) error {
	if name == "" {
		return errors.New("empty name")
	}
	for seg := range strings.SplitSeq(name, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return fmt.Errorf("bad segment %q", seg)
		}
		for _, c := range seg {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
				return fmt.Errorf("character %q not allowed", c)
			}
		}
	}
	return nil
}

// MemRemote is a Remote held in memory, for tests; the zero value is not usable, see
// NewMemRemote.
type MemRemote struct {
	mu      sync.Mutex
	name    string
	objects map[string][]byte
}

// NewMemRemote returns an empty in-memory remote called name.
func NewMemRemote(name string) *MemRemote {
	return &MemRemote{name: name, objects: map[string][]byte{}}
}

func (m *MemRemote) Create(ctx context.Context, name string, data []byte) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.objects[name]; ok {
		return ErrExists
	}
	m.objects[name] = slices.Clone(data)
	return nil
}

func (m *MemRemote) Get(ctx context.Context, name string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	b, ok := m.objects[name]
	if !ok {
		return nil, ErrNotFound
	}
	return slices.Clone(b), nil
}

func (m *MemRemote) List(ctx context.Context, prefix string) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var names []string
	for n := range m.objects {
		if strings.HasPrefix(n, prefix) {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return names, nil
}

func (m *MemRemote) String() string { return m.name }

// Tamper replaces an object's bytes (or, with nil, removes it), as a hostile or broken
// server would; tests use it to show that sync detects it.
func (m *MemRemote) Tamper(name string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if data == nil {
		delete(m.objects, name)
		return
	}
	m.objects[name] = slices.Clone(data)
}
