package remotetest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"

	"chancery/store/teamsync"
)

// CutProxy is a TCP proxy on loopback that forwards to a server but closes each connection
// once the client has sent Limit bytes, as a network cut or a desk killed mid-upload would.
type CutProxy struct {
	Addr  string       // host:port to connect to
	Limit int64        // bytes client→server after which a connection is cut
	Cuts  atomic.Int64 // connections cut so far (their client had sent Limit bytes)

	ln     net.Listener
	target string
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

// NewCutProxy starts a proxy to target (host:port); it is closed in t.Cleanup.
func NewCutProxy(t *testing.T, target string, limit int64) *CutProxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &CutProxy{Addr: ln.Addr().String(), Limit: limit, ln: ln, target: target, conns: map[net.Conn]bool{}}
	p.wg.Go(p.serve)
	t.Cleanup(p.Close)
	return p
}

func (p *CutProxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *CutProxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.wg.Go(func() { p.pipe(c) })
	}
}

func (p *CutProxy) pipe(client net.Conn) {
	defer client.Close()
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		return
	}
	defer server.Close()
	p.track(client, true)
	p.track(server, true)
	defer p.track(client, false)
	defer p.track(server, false)
	go func() {
		_, _ = io.Copy(client, server)
		client.Close()
	}()
	if _, err := io.CopyN(server, client, p.Limit); err == nil {
		p.Cuts.Add(1)
	}
	// Cut: both ends see the connection drop mid-request.
	if tc, ok := server.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	server.Close()
	client.Close()
}

// Close stops the proxy and cuts every open connection.
func (p *CutProxy) Close() {
	p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
}

// CutUpload creates objects through a proxy that cuts the connection part-way through the
// request body, and checks through a direct connection that each is absent or whole and
// that its name can still be created. target is the server's host:port; via returns a
// remote (the same bucket or folder each call) that connects to the given host:port.
func CutUpload(t *testing.T, target string, via func(t *testing.T, hostport string) teamsync.Remote) {
	direct := via(t, target)
	for i, size := range []int{64 << 10, 1 << 20, 5 << 20} {
		name := fmt.Sprintf("desks/d1/cut-%d.bundle", i)
		data := payload(uint64(7000+i), size)
		// Cut at half the body: past any request headers, before the end.
		p := NewCutProxy(t, target, int64(size/2))
		cut := via(t, p.Addr)
		err := cut.Create(context.Background(), name, data)
		if err == nil {
			t.Fatalf("Create(%q) of %d bytes through a connection cut at %d bytes on %s succeeded", name, size, size/2, cut)
		}
		if errors.Is(err, teamsync.ErrExists) {
			t.Fatalf("Create(%q) through a cut connection on %s: %v", name, cut, err)
		}
		t.Logf("cut at %d of %d bytes: %v", size/2, size, err)
		if checkWholeOrNone(t, direct, name, data) {
			t.Fatalf("a Create cut at half its body left an object %q on %s", name, direct)
		}
		if err := direct.Create(context.Background(), name, data); err != nil {
			t.Fatalf("Create(%q) after a cut upload on %s: %v", name, direct, err)
		}
		mustGet(t, context.Background(), direct, name, data)
		p.Close()
	}
}
