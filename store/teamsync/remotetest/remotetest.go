// Package remotetest is the conformance suite every teamsync.Remote passes (the in-memory
// remote, S3 against versitygw, WebDAV against a real WebDAV server), and the helpers that
// start those real servers on loopback for the tests.
//
// Run checks the Remote contract: a create then a get; a second create of a name returns
// ErrExists and keeps the first content; of many concurrent creates of one name exactly one
// wins; a missing name is ErrNotFound; List is by string prefix, sorted, over nested
// prefixes and names with dots and dashes; empty and 5 MB objects; a cancelled context
// returns; an upload cut part-way (context cancelled mid-body) leaves no object or the
// whole one. CutUpload checks the last with the TCP connection itself cut mid-body.
//
// Servers: StartVersityGW, StartApacheDAV and StartGoDAV start a real server on a free
// loopback port and stop it in t.Cleanup. A server whose binary is not installed skips the
// test with a message saying what to install, unless CHANCERY_REQUIRE_SERVERS=1 (as in CI),
// where it fails it.
package remotetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/store/teamsync"
)

// Run runs the conformance suite. newRemote is called once per subtest and returns a new,
// empty remote (a fresh bucket prefix or folder on the same server is fine).
func Run(t *testing.T, newRemote func(t *testing.T) teamsync.Remote) {
	RunExcept(t, newRemote, nil)
}

// RunExcept runs the suite but skips the subtests named in known (for example
// "ConcurrentCreate"), logging why: for servers known to break that part of the contract.
func RunExcept(t *testing.T, newRemote func(t *testing.T) teamsync.Remote, known map[string]string) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(*testing.T, teamsync.Remote)
	}{
		{"CreateGet", testCreateGet},
		{"CreateTwice", testCreateTwice},
		{"ConcurrentCreate", testConcurrentCreate},
		{"GetMissing", testGetMissing},
		{"List", testList},
		{"Empty", testEmpty},
		{"Large", testLarge},
		{"Cancelled", testCancelled},
		{"CancelMidUpload", testCancelMidUpload},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if why, ok := known[tc.name]; ok {
				t.Skipf("known to fail on this server: %s", why)
			}
			r := newRemote(t)
			if r.String() == "" {
				t.Fatal("String() is empty: a remote must name itself in messages")
			}
			tc.fn(t, r)
		})
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// payload is n bytes that differ with seed.
func payload(seed uint64, n int) []byte {
	var key [32]byte
	binary.LittleEndian.PutUint64(key[:], seed)
	b := make([]byte, n)
	_, _ = rand.NewChaCha8(key).Read(b)
	return b
}

func mustGet(t *testing.T, ctx context.Context, r teamsync.Remote, name string, want []byte) {
	t.Helper()
	got, err := r.Get(ctx, name)
	if err != nil {
		t.Fatalf("Get(%q) on %s: %v", name, r, err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("Get(%q) on %s: %d bytes, want the %d bytes created", name, r, len(got), len(want))
	}
}

// namesObject checks that a real remote's error names the object and the remote (the
// in-memory remote's bare sentinels are exempt).
func namesObject(t *testing.T, r teamsync.Remote, err error, name string) {
	t.Helper()
	if _, mem := r.(*teamsync.MemRemote); mem {
		return
	}
	if !strings.Contains(err.Error(), name) || !strings.Contains(err.Error(), r.String()) {
		t.Errorf("error %q does not name the object %s and the remote %s", err, name, r)
	}
}

func testCreateGet(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	data := []byte("bundle one\x00\xff binary")
	name := "desks/d1/000000000001.bundle"
	if err := r.Create(ctx, name, data); err != nil {
		t.Fatalf("Create on %s: %v", r, err)
	}
	mustGet(t, ctx, r, name, data)
	// A name at the top level, without folders.
	if err := r.Create(ctx, "team.json", []byte("{}")); err != nil {
		t.Fatalf("Create top-level on %s: %v", r, err)
	}
	mustGet(t, ctx, r, "team.json", []byte("{}"))
}

func testCreateTwice(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	name := "desks/d1/000000000001.bundle"
	first, second := payload(1, 1000), payload(2, 2000)
	if err := r.Create(ctx, name, first); err != nil {
		t.Fatalf("Create on %s: %v", r, err)
	}
	err := r.Create(ctx, name, second)
	if !errors.Is(err, teamsync.ErrExists) {
		t.Fatalf("second Create on %s: %v, want ErrExists", r, err)
	}
	namesObject(t, r, err, name)
	mustGet(t, ctx, r, name, first)
	// The same bytes again are still ErrExists: a create is not an upsert.
	if err := r.Create(ctx, name, first); !errors.Is(err, teamsync.ErrExists) {
		t.Fatalf("Create of the same bytes again on %s: %v, want ErrExists", r, err)
	}
}

func testConcurrentCreate(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	const writers = 12
	for round := range 4 {
		name := fmt.Sprintf("desks/d1/race-%d.bundle", round)
		size := 1000 << (3 * (round % 3)) // 1 KB, 8 KB, 64 KB, 1 KB
		var (
			wg    sync.WaitGroup
			start = make(chan struct{})
			errs  = make([]error, writers)
			datas = make([][]byte, writers)
		)
		for i := range writers {
			datas[i] = payload(uint64(100*round+i+1), size)
			wg.Go(func() {
				<-start
				errs[i] = r.Create(ctx, name, datas[i])
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil:
				if winner >= 0 {
					t.Fatalf("round %d on %s: writers %d and %d both created %s", round, r, winner, i, name)
				}
				winner = i
			case errors.Is(err, teamsync.ErrExists):
			default:
				t.Fatalf("round %d on %s: writer %d: %v", round, r, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d on %s: no writer created %s", round, r, name)
		}
		mustGet(t, ctx, r, name, datas[winner])
	}
}

func testGetMissing(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	for _, name := range []string{"nothing.bundle", "desks/none/000000000001.bundle"} {
		_, err := r.Get(ctx, name)
		if !errors.Is(err, teamsync.ErrNotFound) {
			t.Fatalf("Get(%q) on an empty %s: %v, want ErrNotFound", name, r, err)
		}
	}
	if err := r.Create(ctx, "desks/d1/a.bundle", []byte("a")); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"desks/d1/b.bundle", "desks/d1/a.bundl", "desks/d1/a.bundle.x", "desks/d2/a.bundle"} {
		_, err := r.Get(ctx, name)
		if !errors.Is(err, teamsync.ErrNotFound) {
			t.Fatalf("Get(%q) on %s: %v, want ErrNotFound", name, r, err)
		}
		namesObject(t, r, err, name)
	}
}

func testList(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	// Before anything is written: empty, not an error (a desk that has not written yet).
	for _, p := range []string{"", "desks/", "desks/d1/"} {
		names, err := r.List(ctx, p)
		if err != nil {
			t.Fatalf("List(%q) on an empty %s: %v", p, r, err)
		}
		if len(names) != 0 {
			t.Fatalf("List(%q) on an empty %s: %q", p, r, names)
		}
	}
	all := []string{
		"team.json",
		"desks/d1/000000000002.bundle",
		"desks/d1/000000000001.bundle",
		"desks/d1/000000000010.bundle",
		"desks/d10/000000000001.bundle",
		"desks/d1-x/a.b.c",
		"desks/d1.x/a-b_c",
		"desks/d2/deep/er/still/x.bundle",
		"originals/ab/abcdef0123-4.gz",
		"originals/ab/ab.gz",
		"originals/cd/cd.gz",
	}
	for i, n := range all {
		if err := r.Create(ctx, n, []byte{byte(i)}); err != nil {
			t.Fatalf("Create(%q) on %s: %v", n, r, err)
		}
	}
	want := func(prefix string) []string {
		var w []string
		for _, n := range all {
			if strings.HasPrefix(n, prefix) {
				w = append(w, n)
			}
		}
		slices.Sort(w)
		return w
	}
	for _, p := range []string{"", "desks/", "desks/d1/", "desks/d1", "desks/d1-", "desks/d1.",
		"desks/d2/", "desks/d2/deep/er/", "desks/d2/de", "originals/ab/ab", "originals/",
		"t", "team.json", "desks/d3/", "nothing/", "desks/d1/000000000001.bundle"} {
		got, err := r.List(ctx, p)
		if err != nil {
			t.Fatalf("List(%q) on %s: %v", p, r, err)
		}
		if !slices.IsSorted(got) {
			t.Errorf("List(%q) on %s is not sorted: %q", p, r, got)
		}
		if w := want(p); !slices.Equal(got, w) {
			t.Errorf("List(%q) on %s = %q, want %q", p, r, got, w)
		}
	}
	for _, n := range all {
		mustGet(t, ctx, r, n, []byte{byte(slices.Index(all, n))})
	}
}

func testEmpty(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	if err := r.Create(ctx, "desks/d1/empty", nil); err != nil {
		t.Fatalf("Create of an empty object on %s: %v", r, err)
	}
	got, err := r.Get(ctx, "desks/d1/empty")
	if err != nil || len(got) != 0 {
		t.Fatalf("Get of an empty object on %s: %d bytes, %v", r, len(got), err)
	}
	names, err := r.List(ctx, "desks/")
	if err != nil || !slices.Equal(names, []string{"desks/d1/empty"}) {
		t.Fatalf("List on %s: %q, %v", r, names, err)
	}
	if err := r.Create(ctx, "desks/d1/empty", []byte("x")); !errors.Is(err, teamsync.ErrExists) {
		t.Fatalf("Create over an empty object on %s: %v, want ErrExists", r, err)
	}
}

func testLarge(t *testing.T, r teamsync.Remote) {
	ctx := ctxT(t)
	data := payload(5, 5<<20)
	if err := r.Create(ctx, "originals/5m.bin", data); err != nil {
		t.Fatalf("Create of 5 MB on %s: %v", r, err)
	}
	mustGet(t, ctx, r, "originals/5m.bin", data)
}

func testCancelled(t *testing.T, r teamsync.Remote) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Create(ctx, "desks/d1/c.bundle", []byte("c")); err == nil {
		t.Fatalf("Create with a cancelled context on %s succeeded", r)
	} else if !errors.Is(err, context.Canceled) {
		t.Logf("Create with a cancelled context: %v (not context.Canceled)", err)
	}
	if _, err := r.Get(ctx, "desks/d1/c.bundle"); err == nil || errors.Is(err, teamsync.ErrNotFound) {
		t.Fatalf("Get with a cancelled context on %s: %v, want the context's error", r, err)
	}
	if _, err := r.List(ctx, ""); err == nil {
		t.Fatalf("List with a cancelled context on %s succeeded", r)
	}
	// Nothing was written.
	if _, err := r.Get(context.Background(), "desks/d1/c.bundle"); !errors.Is(err, teamsync.ErrNotFound) {
		t.Fatalf("after a cancelled Create on %s: Get: %v, want ErrNotFound", r, err)
	}
	// A deadline that passes mid-call returns, with an error.
	ctx, cancel = context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	big := payload(9, 2<<20)
	done := make(chan error, 1)
	go func() { done <- r.Create(ctx, "desks/d1/d.bundle", big) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("Create on %s did not return a minute after its deadline passed", r)
	}
	checkWholeOrNone(t, r, "desks/d1/d.bundle", big)
}

// testCancelMidUpload cancels creates of 1 MB after growing delays, so that some are cut
// before, some during and some after the body was sent; each object is then absent or whole.
func testCancelMidUpload(t *testing.T, r teamsync.Remote) {
	delays := []time.Duration{0, 200 * time.Microsecond, time.Millisecond, 3 * time.Millisecond,
		10 * time.Millisecond, 30 * time.Millisecond, 100 * time.Millisecond}
	for i, d := range delays {
		name := fmt.Sprintf("desks/d1/cut-%d.bundle", i)
		data := payload(uint64(1000+i), 1<<20)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- r.Create(ctx, name, data) }()
		time.Sleep(d)
		cancel()
		var err error
		select {
		case err = <-done:
		case <-time.After(time.Minute):
			t.Fatalf("Create on %s did not return a minute after its context was cancelled", r)
		}
		present := checkWholeOrNone(t, r, name, data)
		t.Logf("cancelled after %v: Create: %v; object present: %v", d, err, present)
		if err == nil && !present {
			t.Fatalf("Create(%q) on %s returned nil but the object is missing", name, r)
		}
		if !present {
			// A later create of the name works, or finds the whole object: a server may
			// finish a request whose client has gone, once it has the whole body.
			err := r.Create(context.Background(), name, data)
			if err != nil && !errors.Is(err, teamsync.ErrExists) {
				t.Fatalf("Create(%q) again after a cut upload on %s: %v", name, r, err)
			}
			mustGet(t, context.Background(), r, name, data)
		}
	}
}

// checkWholeOrNone fails unless name is absent or holds exactly want, and List agrees. A
// server may still publish a request its client gave up on, so List comes first: a name
// listed must then be readable whole; one not listed may have appeared since.
func checkWholeOrNone(t *testing.T, r teamsync.Remote, name string, want []byte) (present bool) {
	t.Helper()
	ctx := ctxT(t)
	names, err := r.List(ctx, name)
	if err != nil {
		t.Fatalf("List(%q) on %s: %v", name, r, err)
	}
	listed := slices.Contains(names, name)
	got, err := r.Get(ctx, name)
	switch {
	case errors.Is(err, teamsync.ErrNotFound):
		if listed {
			t.Fatalf("on %s after a cut upload: %s listed but not found", r, name)
		}
	case err != nil:
		t.Fatalf("Get(%q) on %s: %v", name, r, err)
	case !bytes.Equal(got, want):
		t.Fatalf("Get(%q) on %s after a cut upload: %d bytes, want none or all %d", name, r, len(got), len(want))
	default:
		present = true
	}
	return present
}
