package policy

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"

	"filippo.io/age"

	"chancery/store/teamsync"
)

// DefaultSyncEvery is how often the app and `chancery sync` sync when the policy's sync
// section has no "every".
const DefaultSyncEvery = 5 * time.Minute

// Sync is the policy's [sync] section: the team's remote, its ceiling, who reads and who
// writes. The zero value is no team sync.
//
//	[sync]
//	remote = "s3"                       # s3, webdav or dir
//	endpoint = "https://s3.ministry.example:9000"   # s3: the endpoint; webdav: the URL
//	bucket = "chancery"                 # s3
//	prefix = "crisis-team/"             # s3, optional
//	region = "us-east-1"                # s3, optional
//	path = "/mnt/share/crisis-team"     # dir: the shared folder
//	ceiling = "RESTRICTED"              # the highest marking this remote may hold (required)
//	recipients = ["age1...", "age1..."] # the team's desks (age keys)
//	recovery = ["age1..."]              # the ministry's recovery key(s)
//	team = ["chancery-desk alice ed25519:... age1...", ...]  # as `chancery sync key` prints
//	credentials = "/etc/chancery/sync.credentials"  # a 0600 file, optional
//	every = "5m"                        # how often to sync, optional
//
// Credentials never go in the policy or the knowledge base: they come from the
// environment (CHANCERY_SYNC_ACCESS_KEY, CHANCERY_SYNC_SECRET_KEY for S3;
// CHANCERY_SYNC_USER, CHANCERY_SYNC_PASSWORD for WebDAV) or from the credentials file,
// lines of KEY=VALUE with those same names, readable by its owner only.
type Sync struct {
	Remote      string // "s3", "webdav" or "dir"; "" for no team sync
	Endpoint    string
	Bucket      string
	Prefix      string
	Region      string
	Path        string
	Ceiling     string
	Recipients  []string
	Recovery    []string
	Team        []string
	Credentials string
	Every       time.Duration
}

// Enabled reports whether the policy sets up team sync.
func (s Sync) Enabled() bool { return s.Remote != "" }

// parse reads the [sync] section.
func (s *Sync) parse(v any, scheme []string) error {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("sync must be a section ([sync]) of settings")
	}
	str := func(k string) (string, error) {
		x, ok := m[k].(string)
		if !ok || strings.TrimSpace(x) == "" {
			return "", fmt.Errorf("sync.%s must be a non-empty string in quotes", k)
		}
		return strings.TrimSpace(x), nil
	}
	list := func(k string, check func(string) error) ([]string, error) {
		l, ok := m[k].([]any)
		if !ok {
			return nil, fmt.Errorf("sync.%s must be a list of strings in quotes", k)
		}
		var out []string
		for _, x := range l {
			s, ok := x.(string)
			if !ok || strings.TrimSpace(s) == "" {
				return nil, fmt.Errorf("sync.%s must hold strings in quotes, not %v", k, x)
			}
			s = strings.TrimSpace(s)
			if err := check(s); err != nil {
				return nil, fmt.Errorf("sync.%s: %v", k, err)
			}
			out = append(out, s)
		}
		return out, nil
	}
	ageKey := func(s string) error {
		if _, err := age.ParseX25519Recipient(s); err != nil {
			return fmt.Errorf("%q is not an age recipient (a public key starting age1..., as age-keygen prints it)", s)
		}
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var err error
	for _, k := range keys {
		switch k {
		case "remote":
			if s.Remote, err = str(k); err != nil {
				return err
			}
			s.Remote = strings.ToLower(s.Remote)
			if !slices.Contains([]string{"s3", "webdav", "dir"}, s.Remote) {
				return fmt.Errorf("sync.remote %q is not one of s3, webdav, dir", s.Remote)
			}
		case "endpoint":
			s.Endpoint, err = str(k)
		case "bucket":
			s.Bucket, err = str(k)
		case "prefix":
			s.Prefix, err = str(k)
		case "region":
			s.Region, err = str(k)
		case "path":
			var p string
			if p, err = str(k); err == nil {
				if p, err = expand(p); err == nil && !filepath.IsAbs(p) {
					err = fmt.Errorf("sync.path %q is not an absolute path", p)
				}
				s.Path = filepath.Clean(p)
			}
		case "ceiling":
			var c string
			if c, err = str(k); err == nil {
				s.Ceiling = strings.ToUpper(c)
				if !slices.Contains(scheme, s.Ceiling) {
					err = fmt.Errorf("sync.ceiling %s is not one of the markings %s", s.Ceiling, strings.Join(scheme, ", "))
				}
			}
		case "recipients":
			s.Recipients, err = list(k, ageKey)
		case "recovery":
			s.Recovery, err = list(k, ageKey)
		case "team":
			s.Team, err = list(k, func(x string) error {
				_, err := teamsync.ParseTeamMember(x)
				return err
			})
		case "credentials":
			var p string
			if p, err = str(k); err == nil {
				if p, err = expand(p); err == nil && !filepath.IsAbs(p) {
					err = fmt.Errorf("sync.credentials %q is not an absolute path", p)
				}
				s.Credentials = filepath.Clean(p)
			}
		case "every":
			var d string
			if d, err = str(k); err == nil {
				s.Every, err = time.ParseDuration(d)
				if err != nil || s.Every < 10*time.Second {
					err = fmt.Errorf(`sync.every %q is not a duration of 10s or more, such as "5m"`, d)
				}
			}
		default:
			return fmt.Errorf("unknown setting sync.%s (known: remote, endpoint, bucket, prefix, region, path, ceiling, recipients, recovery, team, credentials, every)", k)
		}
		if err != nil {
			return err
		}
	}
	switch {
	case s.Remote == "":
		return fmt.Errorf("sync.remote is missing (s3, webdav or dir)")
	case s.Ceiling == "":
		return fmt.Errorf("sync.ceiling is missing: each remote has the highest marking it may hold")
	case s.Remote == "s3" && (s.Endpoint == "" || s.Bucket == ""):
		return fmt.Errorf("sync.remote s3 needs sync.endpoint and sync.bucket")
	case s.Remote == "webdav" && s.Endpoint == "":
		return fmt.Errorf("sync.remote webdav needs sync.endpoint (the folder's URL)")
	case s.Remote == "dir" && s.Path == "":
		return fmt.Errorf("sync.remote dir needs sync.path (the shared folder)")
	}
	if s.Every == 0 {
		s.Every = DefaultSyncEvery
	}
	return nil
}

func (s Sync) summary() []string {
	if !s.Enabled() {
		return nil
	}
	where := s.Path
	if s.Remote != "dir" {
		where = s.Endpoint
		if s.Bucket != "" {
			where += " bucket " + s.Bucket
		}
	}
	return []string{fmt.Sprintf("team sync with %s %s up to %s, %d desks", s.Remote, where, s.Ceiling, len(s.Team))}
}

// SyncCredentials are the secrets a remote needs, from the environment or the
// credentials file the policy names; never from the policy or the knowledge base.
type SyncCredentials struct {
	AccessKey, SecretKey string // S3
	User, Password       string // WebDAV
}

// Credentials reads the remote's credentials: the environment first, then the
// credentials file (which must be readable by its owner only).
func (s Sync) ReadCredentials() (SyncCredentials, error) {
	vals := map[string]string{}
	if s.Credentials != "" {
		st, err := os.Stat(s.Credentials)
		if err != nil {
			return SyncCredentials{}, fmt.Errorf("the sync credentials file %s: %w", s.Credentials, err)
		}
		if runtime.GOOS != "windows" && st.Mode().Perm()&0o077 != 0 {
			return SyncCredentials{}, fmt.Errorf("the sync credentials file %s can be read by others (mode %v); make it 0600", s.Credentials, st.Mode().Perm())
		}
		f, err := os.Open(s.Credentials)
		if err != nil {
			return SyncCredentials{}, fmt.Errorf("the sync credentials file %s: %w", s.Credentials, err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			k, v, ok := strings.Cut(line, "=")
			if !ok {
				return SyncCredentials{}, fmt.Errorf("the sync credentials file %s:%d: not KEY=VALUE", s.Credentials, n)
			}
			vals[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
		if err := sc.Err(); err != nil {
			return SyncCredentials{}, fmt.Errorf("the sync credentials file %s: %w", s.Credentials, err)
		}
	}
	get := func(k string) string {
		if v := os.Getenv(k); v != "" {
			return v
		}
		return vals[k]
	}
	return SyncCredentials{AccessKey: get("CHANCERY_SYNC_ACCESS_KEY"), SecretKey: get("CHANCERY_SYNC_SECRET_KEY"),
		User: get("CHANCERY_SYNC_USER"), Password: get("CHANCERY_SYNC_PASSWORD")}, nil
}
