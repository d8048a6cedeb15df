package davremote_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"chancery/store/teamsync"
	"chancery/store/teamsync/davremote"
	"chancery/store/teamsync/remotetest"
)

var folders atomic.Int64

// newFolder returns a fresh, empty sub-collection of the server for each subtest.
func newFolder(t *testing.T, s remotetest.DAVServer) func(t *testing.T) teamsync.Remote {
	return func(t *testing.T) teamsync.Remote {
		t.Helper()
		url := fmt.Sprintf("%st%d/", s.URL, folders.Add(1))
		req, _ := http.NewRequest("MKCOL", url, nil)
		req.SetBasicAuth(s.User, s.Password)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("MKCOL %s: %s", url, resp.Status)
		}
		r, err := davremote.New(davremote.Config{URL: url, User: s.User, Password: s.Password})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

// via returns the same folder reached through another host:port (the cutting proxy).
func via(s remotetest.DAVServer, folder string) func(t *testing.T, hostport string) teamsync.Remote {
	return func(t *testing.T, hostport string) teamsync.Remote {
		u := strings.Replace(s.URL, hostAt(s.URL), hostport, 1) + folder
		r, err := davremote.New(davremote.Config{URL: u, User: s.User, Password: s.Password})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
}

func hostAt(u string) string {
	rest := strings.TrimPrefix(u, "http://")
	return rest[:strings.Index(rest, "/")]
}

// davserver: x/net/webdav behind the conditional-PUT shim, the whole suite.
func TestConformanceGoDAV(t *testing.T) {
	s := remotetest.StartGoDAV(t)
	remotetest.Run(t, newFolder(t, s))
	t.Run("CutUpload", func(t *testing.T) {
		remotetest.CutUpload(t, hostAt(s.URL), via(s, ""))
	})
}

// Apache's mod_dav checks If-None-Match before it writes, not atomically with it: the
// concurrent-create part is known to fail there (see the package doc).
func TestConformanceApache(t *testing.T) {
	s := remotetest.StartApacheDAV(t)
	remotetest.RunExcept(t, newFolder(t, s), map[string]string{
		"ConcurrentCreate": "Apache mod_dav checks If-None-Match before the body and publishes after: concurrent PUTs of one new name can all get 201",
	})
	t.Run("CutUpload", func(t *testing.T) {
		remotetest.CutUpload(t, hostAt(s.URL), via(s, ""))
	})
	t.Run("ConditionalPut", func(t *testing.T) {
		// The sequential case Apache does honour: a second conditional PUT gets 412.
		r := newFolder(t, s)(t)
		ctx := context.Background()
		if err := r.Create(ctx, "a/b", []byte("1")); err != nil {
			t.Fatal(err)
		}
		if err := r.Create(ctx, "a/b", []byte("2")); !errors.Is(err, teamsync.ErrExists) {
			t.Fatalf("second create on Apache: %v, want ErrExists (412)", err)
		}
	})
}

func TestStringHasNoCredentials(t *testing.T) {
	for _, cfg := range []davremote.Config{
		{URL: "https://cloud.example/dav/team", User: "alice", Password: "s3cret-pw"},
		{URL: "https://alice:s3cret-pw@cloud.example/dav/team/"},
	} {
		r, err := davremote.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if s := r.String(); strings.Contains(s, "s3cret-pw") || strings.Contains(s, "alice") || s != "webdav https://cloud.example/dav/team/" {
			t.Errorf("String() = %q", s)
		}
		_, err = r.Get(context.Background(), "bad name")
		if err == nil || strings.Contains(err.Error(), "s3cret-pw") {
			t.Errorf("Get of a bad name: %v", err)
		}
	}
	for _, bad := range []string{"", "ftp://x/", "no-scheme/path", "http:///nohost"} {
		if _, err := davremote.New(davremote.Config{URL: bad}); err == nil {
			t.Errorf("New(%q) succeeded", bad)
		}
	}
}

// A server that errs or answers garbage is an error, never an empty list; names are checked.
func TestBrokenServer(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"500": func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", 500) },
		"garbage": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMultiStatus)
			w.Write([]byte("<html>not dav</html>"))
		},
		"empty207": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMultiStatus)
		},
		"nomultistatus-self": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusMultiStatus)
			w.Write([]byte(`<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"></D:multistatus>`))
		},
		"200html": func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("<html>login</html>")) },
		"redirect": func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/login" {
				w.Write([]byte("<html>login</html>"))
				return
			}
			http.Redirect(w, r, "/login", http.StatusFound)
		},
		"404root": func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) },
		"401":     func(w http.ResponseWriter, r *http.Request) { http.Error(w, "who are you", http.StatusUnauthorized) },
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h)
			defer srv.Close()
			r, err := davremote.New(davremote.Config{URL: srv.URL + "/dav/", User: "u", Password: "pw-secret"})
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			for _, p := range []string{"", "desks/d1/"} {
				names, err := r.List(ctx, p)
				if err == nil {
					t.Fatalf("List(%q) = %q, nil; want an error", p, names)
				}
				if !strings.Contains(err.Error(), r.String()) || strings.Contains(err.Error(), "pw-secret") {
					t.Errorf("error %q: should name %s and hide the password", err, r)
				}
			}
			if name != "404root" && name != "200html" {
				if _, err := r.Get(ctx, "desks/d1/x"); err == nil || errors.Is(err, teamsync.ErrNotFound) || !strings.Contains(err.Error(), "desks/d1/x") {
					t.Errorf("Get: %v", err)
				}
			}
			if err := r.Create(ctx, "desks/d1/x", []byte("x")); err == nil || errors.Is(err, teamsync.ErrExists) {
				t.Errorf("Create: %v", err)
			}
		})
	}
	r, _ := davremote.New(davremote.Config{URL: "http://127.0.0.1:1/dav/"})
	for _, n := range []string{"/abs", "a//b", "a/../b", "a b", "ä", "a/", "."} {
		if err := r.Create(context.Background(), n, nil); err == nil || !strings.Contains(err.Error(), "create") {
			t.Errorf("Create(%q): %v", n, err)
		}
	}
}

// Apache qualified with litmus: every suite passes.
func TestLitmusApache(t *testing.T) {
	s := remotetest.StartApacheDAV(t)
	for _, line := range remotetest.Litmus(t, s, "basic copymove props locks http") {
		t.Log(line)
	}
}

// On a real server: a remote whose collection is not there lists an error, not nothing,
// and a create fails; a sub-folder nobody wrote yet is empty.
func TestMissingCollection(t *testing.T) {
	servers := map[string]func(*testing.T) remotetest.DAVServer{
		"davserver": remotetest.StartGoDAV,
		"apache":    remotetest.StartApacheDAV,
	}
	for name, start := range servers {
		t.Run(name, func(t *testing.T) {
			s := start(t)
			ctx := context.Background()
			gone, err := davremote.New(davremote.Config{URL: s.URL + "nosuchfolder/", User: s.User, Password: s.Password})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range []string{"", "desks/", "desks/d1/"} {
				if names, err := gone.List(ctx, p); err == nil {
					t.Errorf("List(%q) on a missing collection: %q, nil", p, names)
				} else if !strings.Contains(err.Error(), gone.String()) {
					t.Errorf("error %q does not name the remote", err)
				}
			}
			if err := gone.Create(ctx, "desks/d1/a", []byte("a")); err == nil {
				t.Error("Create under a missing collection succeeded")
			}
			wrong, _ := davremote.New(davremote.Config{URL: s.URL, User: s.User, Password: "wrong-password"})
			if _, err := wrong.List(ctx, ""); err == nil || !strings.Contains(err.Error(), "401") || strings.Contains(err.Error(), "wrong-password") {
				t.Errorf("List with a wrong password: %v", err)
			}
			r := newFolder(t, s)(t)
			if names, err := r.List(ctx, "desks/nobody/"); err != nil || len(names) != 0 {
				t.Errorf("List of a folder nobody wrote: %q, %v", names, err)
			}
		})
	}
}
