package remotetest

import (
	"context"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"chancery/store/teamsync/davserver"
)

// RequireEnv is the environment variable that turns a missing server into a failure: CI
// sets CHANCERY_REQUIRE_SERVERS=1 so that the conformance tests cannot quietly skip there.
const RequireEnv = "CHANCERY_REQUIRE_SERVERS"

// VersityGWVersion is the versitygw that .ci/run installs.
const VersityGWVersion = "v1.8.0"

// missing skips the test, or fails it when RequireEnv is 1.
func missing(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if os.Getenv(RequireEnv) == "1" {
		t.Fatalf("%s (%s=1: the real servers must run here)", msg, RequireEnv)
	}
	t.Skip(msg)
}

// freeAddr returns a loopback host:port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// findBinary looks for name on PATH, then in each of dirs.
func findBinary(name string, dirs ...string) string {
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		p := filepath.Join(d, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// moduleBin is the bin/ folder at the root of this module, where .ci/run installs tools.
func moduleBin() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "bin")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

func goBinDirs() []string {
	dirs := []string{moduleBin(), os.Getenv("GOBIN")}
	if gp := os.Getenv("GOPATH"); gp != "" {
		for _, p := range filepath.SplitList(gp) {
			dirs = append(dirs, filepath.Join(p, "bin"))
		}
	}
	if home, err := os.UserHomeDir(); err == nil {
		dirs = append(dirs, filepath.Join(home, "go", "bin"))
	}
	return dirs
}

// process is a server started by a test; stop ends it (SIGTERM, then SIGKILL after 10 s).
type process struct {
	cmd  *exec.Cmd
	done chan error
	log  string
}

func start(t *testing.T, logFile string, name string, args ...string) *process {
	t.Helper()
	lf, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		lf.Close()
		t.Fatalf("start %s: %v", name, err)
	}
	p := &process{cmd: cmd, done: make(chan error, 1), log: logFile}
	go func() { p.done <- cmd.Wait(); lf.Close() }()
	t.Cleanup(p.stop)
	return p
}

func (p *process) stop() {
	pid := p.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		<-p.done
	}
}

func (p *process) logText() string {
	b, _ := os.ReadFile(p.log)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// waitHTTP polls url until the server answers anything, for at most 30 s.
func (p *process) waitHTTP(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			return
		}
		select {
		case werr := <-p.done:
			p.done <- werr
			t.Fatalf("%s exited before it answered (%v); its log:\n%s", p.cmd.Path, werr, p.logText())
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not answer at %s within 30 s: %v; its log:\n%s", p.cmd.Path, url, err, p.logText())
		}
	}
}

// S3Server is a running S3 server with one account; tests create their buckets.
type S3Server struct {
	Endpoint             string // http://127.0.0.1:port
	Region               string
	AccessKey, SecretKey string
	Dir                  string // the folder it serves; a bucket is a folder in it
}

// StartVersityGW runs versitygw's posix backend over a temporary folder on a free loopback
// port until the test ends. It looks for the binary on PATH, in the module's bin/, $GOBIN,
// $GOPATH/bin and ~/go/bin.
func StartVersityGW(t *testing.T) S3Server {
	t.Helper()
	bin := findBinary("versitygw", goBinDirs()...)
	if bin == "" {
		missing(t, "versitygw is not installed: go install github.com/versity/versitygw/cmd/versitygw@%s", VersityGWVersion)
	}
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o755); err != nil {
		t.Fatal(err)
	}
	s := S3Server{Region: "us-east-1", AccessKey: "chancerytest", SecretKey: "chancery-test-secret-key-0123456789", Dir: data}
	addr := freeAddr(t)
	s.Endpoint = "http://" + addr
	p := start(t, filepath.Join(dir, "versitygw.log"), bin,
		"--port", addr, "--access", s.AccessKey, "--secret", s.SecretKey, "--region", s.Region,
		"--quiet", "posix", data)
	p.waitHTTP(t, s.Endpoint)
	return s
}

// DAVServer is a running WebDAV server: URL is a collection the user may write in.
type DAVServer struct {
	URL            string // http://127.0.0.1:port/dav/
	User, Password string
	Dir            string // the folder behind URL
}

// StartApacheDAV runs Debian's apache2 with mod_dav and mod_dav_fs, in the foreground from a
// temporary configuration, on a free loopback port, with Basic authentication, until the
// test ends.
func StartApacheDAV(t *testing.T) DAVServer {
	t.Helper()
	bin := findBinary("apache2", "/usr/sbin")
	mods := "/usr/lib/apache2/modules"
	if bin == "" {
		missing(t, "apache2 is not installed: apt-get install apache2 (.ci/deps.sh)")
	}
	if _, err := os.Stat(filepath.Join(mods, "mod_dav_fs.so")); err != nil {
		missing(t, "apache2's mod_dav_fs is not in %s: apt-get install apache2", mods)
	}
	// Not t.TempDir: Apache's children run as www-data when started by root and must reach
	// the folder, and t.TempDir's folders are private.
	dir, err := os.MkdirTemp("", "chancery-apache-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	davDir, lockDir := filepath.Join(dir, "dav"), filepath.Join(dir, "lock")
	for _, d := range []string{davDir, lockDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	runAs := ""
	if os.Geteuid() == 0 {
		u, err := user.Lookup("www-data")
		if err != nil {
			t.Fatalf("apache2 as root needs the www-data user: %v", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		for _, d := range []string{davDir, lockDir} {
			if err := os.Chown(d, uid, gid); err != nil {
				t.Fatal(err)
			}
		}
		runAs = "User www-data\nGroup www-data\n"
	}
	s := DAVServer{User: "desk", Password: "dav-test-password"}
	sum := sha1.Sum([]byte(s.Password))
	htpasswd := filepath.Join(dir, "htpasswd")
	if err := os.WriteFile(htpasswd, []byte(s.User+":{SHA}"+base64.StdEncoding.EncodeToString(sum[:])+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	s.URL = "http://" + addr + "/dav/"
	s.Dir = davDir
	var conf strings.Builder
	fmt.Fprintf(&conf, "ServerRoot %s\nDefaultRuntimeDir %s\nPidFile %s\nListen %s\nServerName 127.0.0.1\n",
		dir, dir, filepath.Join(dir, "httpd.pid"), addr)
	for _, m := range []string{"mpm_event", "authn_core", "authn_file", "authz_core", "authz_user",
		"auth_basic", "alias", "dav", "dav_fs"} {
		fmt.Fprintf(&conf, "LoadModule %s_module %s/mod_%s.so\n", m, mods, m)
	}
	conf.WriteString(runAs)
	fmt.Fprintf(&conf, `ErrorLog %s
LogLevel warn
DavLockDB %s
DocumentRoot %s
Alias /dav %s
<Directory %s>
  Dav On
  AuthType Basic
  AuthName "chancery"
  AuthUserFile %s
  Require valid-user
</Directory>
`, filepath.Join(dir, "error.log"), filepath.Join(lockDir, "lockdb"), davDir, davDir, davDir, htpasswd)
	confFile := filepath.Join(dir, "httpd.conf")
	if err := os.WriteFile(confFile, []byte(conf.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	p := start(t, filepath.Join(dir, "stderr.log"), bin, "-f", confFile, "-DFOREGROUND")
	p.log = filepath.Join(dir, "error.log")
	p.waitHTTP(t, "http://"+addr+"/")
	return s
}

// StartGoDAV serves a temporary folder with davserver (x/net/webdav behind the conditional,
// all-or-nothing PUT shim) on a free loopback port, in this process, until the test ends.
func StartGoDAV(t *testing.T) DAVServer {
	t.Helper()
	dir := t.TempDir()
	s := DAVServer{User: "desk", Password: "dav-test-password", Dir: filepath.Join(dir, "files")}
	h, err := davserver.New(dir, "/dav", s.User, s.Password)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("davserver: %v", err)
		}
	})
	s.URL = "http://" + ln.Addr().String() + "/dav/"
	return s
}

// Litmus runs Debian's litmus (the WebDAV server test suite) against s, with the suites
// named (for example "basic copymove props locks http"), and fails the test if any of its
// tests fails. It returns litmus's summary lines.
func Litmus(t *testing.T, s DAVServer, suites string) []string {
	t.Helper()
	bin := findBinary("litmus")
	if bin == "" {
		missing(t, "litmus is not installed: apt-get install litmus (.ci/deps.sh)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "--keep-going", s.URL, s.User, s.Password)
	cmd.Env = append(os.Environ(), "TESTS="+suites)
	cmd.Dir = t.TempDir() // litmus writes debug.log where it runs
	out, err := cmd.CombinedOutput()
	var summary []string
	for line := range strings.SplitSeq(string(out), "\n") {
		if strings.Contains(line, "summary for") || strings.Contains(line, "FAIL") || strings.Contains(line, "WARNING") {
			summary = append(summary, strings.TrimSpace(line))
		}
	}
	// With --keep-going litmus exits 0 whatever failed: read its summaries.
	ran, failed := 0, false
	for _, l := range summary {
		if strings.Contains(l, "summary for") {
			ran++
			failed = failed || !strings.Contains(l, " 0 failed.")
		}
	}
	if err != nil || failed || ran != len(strings.Fields(suites)) {
		t.Fatalf("litmus %s against %s: %v, %d suites summarised, some failed: %v\n%s", suites, s.URL, err, ran, failed, strings.Join(summary, "\n"))
	}
	return summary
}
