package teamsync_test

import (
	"context"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"chancery/store/teamsync"
	"chancery/store/teamsync/davremote"
	"chancery/store/teamsync/remotetest"
	"chancery/store/teamsync/s3remote"
)

// TestRandomOfflineEditsOnRealServers runs the three-desk random test (offline edits,
// deletes, restores, conflicting edits, rounds in random order) against each real server,
// with some rounds cut part-way: half of them by a connection cut mid-request (a TCP proxy
// that closes the connection after a random number of bytes: the network gone, or a desk
// killed mid-upload), half after a few creates. At the end every desk holds the same
// items, every body typed and passes Check. The seeds are the first three of those
// TestRandomOfflineEdits runs in memory.
func TestRandomOfflineEditsOnRealServers(t *testing.T) {
	if testing.Short() {
		t.Skip("starts servers")
	}
	ctx := context.Background()
	host := func(t *testing.T, raw string) string {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		return u.Host
	}
	cutLimit := func(rng *rand.Rand) int64 { return int64(800 + rng.IntN(8000)) }
	type server func(t *testing.T) (teamsync.Remote, func(t *testing.T, rng *rand.Rand) (teamsync.Remote, *remotetest.CutProxy))
	servers := map[string]server{
		"versitygw": func(t *testing.T) (teamsync.Remote, func(*testing.T, *rand.Rand) (teamsync.Remote, *remotetest.CutProxy)) {
			s := remotetest.StartVersityGW(t)
			if err := os.Mkdir(filepath.Join(s.Dir, "team"), 0o755); err != nil {
				t.Fatal(err)
			}
			open := func(endpoint string) (teamsync.Remote, error) {
				return s3remote.New(ctx, s3remote.Config{Endpoint: endpoint, Region: s.Region, Bucket: "team",
					AccessKey: s.AccessKey, SecretKey: s.SecretKey})
			}
			r, err := open(s.Endpoint)
			if err != nil {
				t.Fatal(err)
			}
			return r, func(t *testing.T, rng *rand.Rand) (teamsync.Remote, *remotetest.CutProxy) {
				p := remotetest.NewCutProxy(t, host(t, s.Endpoint), cutLimit(rng))
				r, err := open("http://" + p.Addr)
				if err != nil { // cut while checking the bucket: the round cannot even start
					return downRemote{err}, p
				}
				return r, p
			}
		},
		"apache":    davServer(remotetest.StartApacheDAV, host, cutLimit),
		"davserver": davServer(remotetest.StartGoDAV, host, cutLimit),
	}
	for _, name := range []string{"versitygw", "apache", "davserver"} {
		t.Run(name, func(t *testing.T) {
			var allCuts int64
			for _, seed := range []uint64{0, 1, 2} {
				remote, cut := servers[name](t)
				var proxies []*remotetest.CutProxy
				rounds := 0
				teamsync.RandomOfflineEdits(t, remote, seed, 80, func(t *testing.T, rng *rand.Rand) teamsync.Remote {
					rounds++
					r, p := cut(t, rng)
					proxies = append(proxies, p)
					return r
				})
				var n int64
				for _, p := range proxies {
					n += p.Cuts.Load()
				}
				allCuts += n
				t.Logf("seed %d: %d rounds through a cutting connection, %d connections cut mid-request", seed, rounds, n)
			}
			if allCuts == 0 {
				t.Fatal("no connection was cut mid-request: the test tests too little")
			}
		})
	}
}

func davServer(start func(*testing.T) remotetest.DAVServer, host func(*testing.T, string) string, cutLimit func(*rand.Rand) int64) func(t *testing.T) (teamsync.Remote, func(*testing.T, *rand.Rand) (teamsync.Remote, *remotetest.CutProxy)) {
	return func(t *testing.T) (teamsync.Remote, func(*testing.T, *rand.Rand) (teamsync.Remote, *remotetest.CutProxy)) {
		s := start(t)
		open := func(t *testing.T, raw string) teamsync.Remote {
			r, err := davremote.New(davremote.Config{URL: raw, User: s.User, Password: s.Password})
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		return open(t, s.URL), func(t *testing.T, rng *rand.Rand) (teamsync.Remote, *remotetest.CutProxy) {
			u, _ := url.Parse(s.URL)
			p := remotetest.NewCutProxy(t, host(t, s.URL), cutLimit(rng))
			u.Host = p.Addr
			return open(t, u.String()), p
		}
	}
}

// downRemote is a remote the network has cut off: every request fails.
type downRemote struct{ err error }

func (d downRemote) Create(context.Context, string, []byte) error   { return d.err }
func (d downRemote) Get(context.Context, string) ([]byte, error)    { return nil, d.err }
func (d downRemote) List(context.Context, string) ([]string, error) { return nil, d.err }
func (d downRemote) String() string                                 { return "cut off" }
