// Package davserver is a small WebDAV server over a folder: golang.org/x/net/webdav for
// PROPFIND, MKCOL, GET, DELETE, COPY, MOVE and locks, behind a shim that does PUT itself so
// that conditional creates are atomic and uploads all-or-nothing. It is the real WebDAV
// server the davremote conformance tests run against, and a team without a Nextcloud can
// serve its folder with it.
//
// Why a shim: Apache's mod_dav (Debian's apache2 2.4.71) answers 412 to a PUT with
// "If-None-Match: *" on an existing resource, but it checks before it reads the body and
// publishes after, so two concurrent conditional PUTs of one new name can both get 201
// (observed: 2 or 3 of 16 concurrent PUTs of one name won in 4 of 8 rounds). x/net/webdav
// (v0.63.0) ignores If-None-Match and If-Match on PUT and writes the file in place, so a cut
// upload leaves a partial file.
//
// PUT here: the body is written to a temporary file outside the served tree and synced;
// only a complete body (Content-Length bytes, when given) is published. With
// "If-None-Match: *" it is published with link(2), which fails if the name exists (412), so
// exactly one of many concurrent creators wins. With "If-Match" ("*" or the ETag that
// PROPFIND and GET report) the check and the rename happen under one lock. A missing parent
// collection is 409, as RFC 4918 says. WebDAV locks are not enforced on PUT (Chancery never
// takes them).
package davserver

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/net/webdav"
)

// Server serves one folder over WebDAV; see New.
type Server struct {
	files, tmp string
	user, pass string
	dav        *webdav.Handler
	mu         sync.Mutex // serialises If-Match checks with their renames, and plain PUTs
}

// New serves the folder root (created if missing; its files live in root/files, uploads
// are staged in root/tmp) under URL prefix (for example "/dav"), with HTTP Basic
// authentication for user and password (no authentication when user is empty).
func New(root, prefix, user, password string) (*Server, error) {
	s := &Server{files: filepath.Join(root, "files"), tmp: filepath.Join(root, "tmp"), user: user, pass: password}
	for _, d := range []string{s.files, s.tmp} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("davserver: %w", err)
		}
	}
	s.dav = &webdav.Handler{
		Prefix:     strings.TrimSuffix(prefix, "/"),
		FileSystem: webdav.Dir(s.files),
		LockSystem: webdav.NewMemLS(),
	}
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.user != "" {
		u, p, ok := r.BasicAuth()
		if !ok || subtle.ConstantTimeCompare([]byte(u), []byte(s.user)) != 1 ||
			subtle.ConstantTimeCompare([]byte(p), []byte(s.pass)) != 1 {
			w.Header().Set("WWW-Authenticate", `Basic realm="chancery"`)
			http.Error(w, "authentication required", http.StatusUnauthorized)
			return
		}
	}
	if r.Method == http.MethodPut {
		status, err := s.put(w, r)
		if err != nil {
			http.Error(w, err.Error(), status)
			return
		}
		w.WriteHeader(status)
		return
	}
	s.dav.ServeHTTP(w, r)
}

// local maps a URL path to a file under s.files, or reports it outside the prefix.
func (s *Server) local(urlPath string) (string, bool) {
	p := urlPath
	if s.dav.Prefix != "" {
		var ok bool
		if p, ok = strings.CutPrefix(urlPath, s.dav.Prefix); !ok {
			return "", false
		}
	}
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	p = path.Clean(p)
	if p == "/" {
		return "", false
	}
	return filepath.Join(s.files, filepath.FromSlash(p)), true
}

// etag is the ETag x/net/webdav reports for a file (modification time and size).
func etag(fi os.FileInfo) string {
	return fmt.Sprintf(`"%x%x"`, fi.ModTime().UnixNano(), fi.Size())
}

func (s *Server) put(w http.ResponseWriter, r *http.Request) (int, error) {
	name, ok := s.local(r.URL.Path)
	if !ok {
		return http.StatusNotFound, errors.New("not found")
	}
	ifNone, ifMatch := r.Header.Get("If-None-Match"), r.Header.Get("If-Match")
	if ifNone != "" && ifNone != "*" {
		return http.StatusNotImplemented, errors.New("If-None-Match supports only *")
	}
	if fi, err := os.Stat(filepath.Dir(name)); err != nil || !fi.IsDir() {
		return http.StatusConflict, errors.New("parent collection missing")
	}
	if fi, err := os.Stat(name); err == nil {
		if fi.IsDir() {
			return http.StatusMethodNotAllowed, errors.New("a collection has that name")
		}
		if ifNone == "*" {
			return http.StatusPreconditionFailed, errors.New("exists")
		}
	}
	f, err := os.CreateTemp(s.tmp, "put-")
	if err != nil {
		return http.StatusInternalServerError, err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	n, err := io.Copy(f, r.Body)
	if err == nil && r.ContentLength >= 0 && n != r.ContentLength {
		err = fmt.Errorf("body ended after %d of %d bytes", n, r.ContentLength)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return http.StatusBadRequest, fmt.Errorf("upload incomplete: %w", err)
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		return http.StatusInternalServerError, err
	}
	if ifNone == "*" {
		if err := os.Link(tmp, name); err != nil {
			if errors.Is(err, fs.ErrExist) {
				return http.StatusPreconditionFailed, errors.New("exists")
			}
			return http.StatusInternalServerError, err
		}
		return http.StatusCreated, syncDir(filepath.Dir(name))
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fi, statErr := os.Stat(name)
	exists := statErr == nil
	if ifMatch != "" {
		if !exists || (ifMatch != "*" && ifMatch != etag(fi)) {
			return http.StatusPreconditionFailed, errors.New("If-Match failed")
		}
	}
	if err := os.Rename(tmp, name); err != nil {
		return http.StatusInternalServerError, err
	}
	if err := syncDir(filepath.Dir(name)); err != nil {
		return http.StatusInternalServerError, err
	}
	if fi, err := os.Stat(name); err == nil {
		w.Header().Set("ETag", etag(fi))
	}
	if exists {
		return http.StatusNoContent, nil
	}
	return http.StatusCreated, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
