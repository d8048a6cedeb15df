package davremote

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"chancery/store/teamsync"
)

// Config names a WebDAV collection and the account that writes in it.
type Config struct {
	URL      string // the collection, for example https://cloud.example/remote.php/dav/files/team/chancery/
	User     string
	Password string
}

// Remote is a teamsync.Remote on a WebDAV collection.
type Remote struct {
	base   *url.URL // ends in "/", no user info
	user   string
	pass   string
	client *http.Client
	name   string
}

var _ teamsync.Remote = (*Remote)(nil)

// Timeouts: a request that cannot connect, or whose server does not start answering, fails
// within these; a whole request (a large original on a slow line) within RequestTimeout.
const (
	DialTimeout    = 15 * time.Second
	HeaderTimeout  = 60 * time.Second
	RequestTimeout = 10 * time.Minute
)

// maxListBody bounds a PROPFIND answer (a folder of about a million names).
const maxListBody = 256 << 20

// New checks cfg and returns the remote; it does not contact the server (List does, and
// reports a collection that is not there).
func New(cfg Config) (*Remote, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil {
		return nil, fmt.Errorf("davremote: URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, fmt.Errorf("davremote: URL %q: want http(s)://host/path/", u.Redacted())
	}
	user, pass := cfg.User, cfg.Password
	if u.User != nil {
		if user == "" {
			user = u.User.Username()
		}
		if p, ok := u.User.Password(); ok && pass == "" {
			pass = p
		}
		u.User = nil
	}
	u.RawQuery, u.Fragment = "", ""
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	u.RawPath = ""
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: DialTimeout, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   DialTimeout,
		ResponseHeaderTimeout: HeaderTimeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConnsPerHost:   8,
		IdleConnTimeout:       90 * time.Second,
	}
	return &Remote{
		base: u,
		user: user,
		pass: pass,
		client: &http.Client{
			Transport: tr,
			Timeout:   RequestTimeout,
			// A redirect (to a login page, say) is an error, not an answer: a PUT
			// redirected and replayed as a GET must not look like a create.
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		name: "webdav " + u.String(),
	}, nil
}

// String names the remote by its URL, without credentials.
func (r *Remote) String() string { return r.name }

func (r *Remote) objURL(name string) string {
	u := *r.base
	u.Path += name
	return u.String()
}

func (r *Remote) do(ctx context.Context, method, target string, body []byte, hdr map[string]string) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.ContentLength = int64(len(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	}
	if r.user != "" || r.pass != "" {
		req.SetBasicAuth(r.user, r.pass)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		// url.Error repeats the URL; it has no credentials (they are in the header).
		return nil, err
	}
	return resp, nil
}

// statusError describes an unexpected answer, with the start of its body.
func statusError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
	msg := strings.Join(strings.Fields(string(b)), " ")
	if msg != "" {
		return fmt.Errorf("server answered %s: %s", resp.Status, msg)
	}
	return fmt.Errorf("server answered %s", resp.Status)
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
}

// Create PUTs the object with "If-None-Match: *": a 412 is ErrExists. A missing parent
// collection (409) is made with MKCOL, then the PUT is tried once more.
func (r *Remote) Create(ctx context.Context, name string, data []byte) error {
	if err := teamsync.ValidName(name); err != nil {
		return fmt.Errorf("davremote: create %s on %s: %w", name, r, err)
	}
	if data == nil {
		data = []byte{}
	}
	for attempt := 0; ; attempt++ {
		resp, err := r.do(ctx, http.MethodPut, r.objURL(name), data, map[string]string{"If-None-Match": "*"})
		if err != nil {
			return fmt.Errorf("davremote: create %s on %s: %w", name, r, err)
		}
		switch {
		case resp.StatusCode == http.StatusCreated || resp.StatusCode == http.StatusNoContent:
			drain(resp)
			return nil
		case resp.StatusCode == http.StatusPreconditionFailed:
			drain(resp)
			return fmt.Errorf("davremote: create %s on %s: %w", name, r, teamsync.ErrExists)
		case (resp.StatusCode == http.StatusConflict || resp.StatusCode == http.StatusNotFound) && attempt == 0 && strings.Contains(name, "/"):
			drain(resp)
			if err := r.mkcols(ctx, name[:strings.LastIndex(name, "/")]); err != nil {
				return fmt.Errorf("davremote: create %s on %s: %w", name, r, err)
			}
		default:
			err := statusError(resp)
			resp.Body.Close()
			return fmt.Errorf("davremote: create %s on %s: %w", name, r, err)
		}
	}
}

// mkcols makes the collection dir and its missing ancestors (405: already there). A 423
// Locked (x/net/webdav locks a folder while another request makes it) is tried again.
func (r *Remote) mkcols(ctx context.Context, dir string) error {
	segs := strings.Split(dir, "/")
	for i := 0; i < len(segs); {
		p := strings.Join(segs[:i+1], "/") + "/"
		for attempt := 1; ; attempt++ {
			resp, err := r.do(ctx, "MKCOL", r.objURL(p), nil, nil)
			if err != nil {
				return fmt.Errorf("make folder %s: %w", p, err)
			}
			if resp.StatusCode == http.StatusLocked && attempt < 10 {
				drain(resp)
				select {
				case <-ctx.Done():
					return fmt.Errorf("make folder %s: %w", p, ctx.Err())
				case <-time.After(time.Duration(attempt) * 20 * time.Millisecond):
				}
				continue
			}
			switch resp.StatusCode {
			case http.StatusCreated, http.StatusOK, http.StatusNoContent, http.StatusMethodNotAllowed:
				drain(resp)
			default:
				err := statusError(resp)
				resp.Body.Close()
				return fmt.Errorf("make folder %s: %w", p, err)
			}
			break
		}
		i++
	}
	return nil
}

// Get GETs the object; 404 is ErrNotFound. A body shorter than its Content-Length is an
// error (net/http reports it).
func (r *Remote) Get(ctx context.Context, name string) ([]byte, error) {
	if err := teamsync.ValidName(name); err != nil {
		return nil, fmt.Errorf("davremote: get %s from %s: %w", name, r, err)
	}
	resp, err := r.do(ctx, http.MethodGet, r.objURL(name), nil, nil)
	if err != nil {
		return nil, fmt.Errorf("davremote: get %s from %s: %w", name, r, err)
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
	case http.StatusNotFound, http.StatusGone:
		return nil, fmt.Errorf("davremote: get %s from %s: %w", name, r, teamsync.ErrNotFound)
	default:
		return nil, fmt.Errorf("davremote: get %s from %s: %w", name, r, statusError(resp))
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("davremote: get %s from %s: %w", name, r, err)
	}
	return b, nil
}

// List walks the collections under prefix with PROPFIND Depth 1. A folder that is not there
// is empty only when the remote's own collection is there: a missing or unreadable
// collection, an unexpected status or an answer that is not a WebDAV multistatus is an
// error, never "no objects".
func (r *Remote) List(ctx context.Context, prefix string) ([]string, error) {
	dir := prefix[:strings.LastIndex(prefix, "/")+1]
	var names []string
	if err := r.walk(ctx, dir, prefix, &names); err != nil {
		return nil, fmt.Errorf("davremote: list %q on %s: %w", prefix, r, err)
	}
	slices.Sort(names)
	return names, nil
}

// walk lists dir ("" or "a/b/") and descends into the folders that can hold prefix's names.
func (r *Remote) walk(ctx context.Context, dir, prefix string, names *[]string) error {
	entries, found, err := r.propfind(ctx, dir)
	if err != nil {
		return err
	}
	if !found {
		if dir == "" {
			return errors.New("the collection is not there (404)")
		}
		// A folder nobody has written yet; but is the remote itself there?
		if _, rootFound, err := r.propfind(ctx, ""); err != nil {
			return err
		} else if !rootFound {
			return errors.New("the collection is not there (404)")
		}
		return nil
	}
	for _, e := range entries {
		if e.dir {
			sub := e.rel + "/"
			if strings.HasPrefix(sub, prefix) || strings.HasPrefix(prefix, sub) {
				if err := r.walk(ctx, sub, prefix, names); err != nil {
					return err
				}
			}
			continue
		}
		if strings.HasPrefix(e.rel, prefix) {
			*names = append(*names, e.rel)
		}
	}
	return nil
}

type entry struct {
	rel string // relative to the remote's collection, without a trailing slash
	dir bool
}

type multistatus struct {
	XMLName   xml.Name `xml:"DAV: multistatus"`
	Responses []struct {
		Href     string `xml:"DAV: href"`
		Propstat []struct {
			Status       string `xml:"DAV: status"`
			ResourceType struct {
				Collection *struct{} `xml:"DAV: collection"`
			} `xml:"DAV: prop>resourcetype"`
		} `xml:"DAV: propstat"`
	} `xml:"DAV: response"`
}

const propfindBody = `<?xml version="1.0" encoding="utf-8"?>
<D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/></D:prop></D:propfind>`

// propfind lists a folder's direct children; found is false for a 404.
func (r *Remote) propfind(ctx context.Context, dir string) (entries []entry, found bool, err error) {
	target := r.objURL(dir)
	resp, err := r.do(ctx, "PROPFIND", target, []byte(propfindBody),
		map[string]string{"Depth": "1", "Content-Type": `application/xml; charset="utf-8"`})
	if err != nil {
		return nil, false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusMultiStatus:
	case http.StatusNotFound:
		return nil, false, nil
	default:
		return nil, false, fmt.Errorf("PROPFIND %s: %w", dir, statusError(resp))
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxListBody+1))
	if err != nil {
		return nil, false, fmt.Errorf("PROPFIND %s: %w", dir, err)
	}
	if len(body) > maxListBody {
		return nil, false, fmt.Errorf("PROPFIND %s: answer larger than %d bytes", dir, maxListBody)
	}
	var ms multistatus
	if err := xml.Unmarshal(body, &ms); err != nil {
		return nil, false, fmt.Errorf("PROPFIND %s: not a WebDAV multistatus: %w", dir, err)
	}
	reqURL, _ := url.Parse(target)
	self := false
	for _, resp := range ms.Responses {
		h, err := url.Parse(strings.TrimSpace(resp.Href))
		if err != nil {
			return nil, false, fmt.Errorf("PROPFIND %s: bad href %q", dir, resp.Href)
		}
		p := reqURL.ResolveReference(h).Path
		rel, ok := strings.CutPrefix(p, r.base.Path)
		if !ok {
			if p+"/" == r.base.Path && dir == "" {
				self = true
				continue
			}
			return nil, false, fmt.Errorf("PROPFIND %s: href %q outside %s", dir, resp.Href, r.base.Path)
		}
		isDir := strings.HasSuffix(rel, "/")
		rel = strings.TrimSuffix(rel, "/")
		for _, ps := range resp.Propstat {
			if ps.ResourceType.Collection != nil {
				isDir = true
			}
		}
		if rel+"/" == dir || rel == strings.TrimSuffix(dir, "/") {
			self = true
			continue
		}
		if !strings.HasPrefix(rel, dir) || strings.Contains(rel[len(dir):], "/") {
			return nil, false, fmt.Errorf("PROPFIND %s: href %q is not a child", dir, resp.Href)
		}
		// mod_dav_fs stages uploads in ".davfs.tmp…" files beside their target.
		if strings.HasPrefix(rel[len(dir):], ".davfs.tmp") {
			continue
		}
		entries = append(entries, entry{rel: rel, dir: isDir})
	}
	if !self {
		return nil, false, fmt.Errorf("PROPFIND %s: the answer does not describe the folder itself", dir)
	}
	return entries, true, nil
}
