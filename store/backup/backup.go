package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"filippo.io/age"

	"chancery/store"
)

// FormatVersion is the version of the backup format this package writes, and the highest
// it reads.
const FormatVersion = 1

// Names of the parts in the archive.
const (
	ManifestName = "manifest.json"
	DatabaseName = "chancery.db"
)

// Ext is the backup file's extension.
const Ext = ".tar.gz.age"

// maxManifest bounds the manifest read before anything else is trusted.
const maxManifest = 64 << 20

// Manifest describes a backup (see the package documentation for its JSON).
type Manifest struct {
	Format    int            `json:"format"`
	App       string         `json:"app"`
	Created   time.Time      `json:"created"`
	Identity  string         `json:"identity"`
	Schema    int            `json:"schema"`
	LastSeq   int64          `json:"last_seq"`
	Items     map[string]int `json:"items"`
	Trash     int            `json:"trash"`
	Parts     []Part         `json:"parts"`
	Originals []Original     `json:"originals"`
}

// Part is one file of the archive after the manifest.
type Part struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Original is an original file held in the snapshot.
type Original struct {
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Summary says in words what the backup holds: "12 notes, 3 documents, ... (2 in the trash,
// 5 original files), change 41234, made 2026-12-06 02:00 UTC by Chancery 0.9.0".
func (m Manifest) Summary() string {
	kinds := make([]string, 0, len(m.Items))
	for k := range m.Items {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	var parts []string
	for _, k := range kinds {
		n := m.Items[k]
		w := k
		if n != 1 {
			w += "s"
		}
		parts = append(parts, fmt.Sprintf("%d %s", n, w))
	}
	if len(parts) == 0 {
		parts = append(parts, "no items")
	}
	return fmt.Sprintf("%s (%d in the trash, %d original files), change %d, made %s by %s",
		strings.Join(parts, ", "), m.Trash, len(m.Originals), m.LastSeq, m.Created.UTC().Format("2006-01-02 15:04 MST"), m.App)
}

// Options say how a backup is made.
type Options struct {
	// App names the Chancery writing it ("Chancery 0.9.0"), for the manifest.
	App string
	// Passphrase encrypts it to a passphrase (age's scrypt). Exclusive with Recipients.
	Passphrase string
	// Recipients are age recipients (age1... X25519 keys) it is encrypted to.
	Recipients []string
	// Progress, when set, hears of each step: step of steps, and what it was.
	Progress func(step, steps int, what string)
	// Now is the clock (time.Now when nil), for the manifest and FileName.
	Now func() time.Time
	// WorkFactor is the passphrase's scrypt work factor (log2 of its cost); 0 is age's
	// default (18, about a second). Only tests lower it, where the race detector makes
	// each second twenty.
	WorkFactor int
}

func (o Options) now() time.Time {
	if o.Now != nil {
		return o.Now().UTC()
	}
	return time.Now().UTC()
}

func (o Options) progress(step, steps int, what string) {
	if o.Progress != nil {
		o.Progress(step, steps, what)
	}
}

// FileName is the name of a backup made at t: chancery-YYYYMMDD-HHMMSSZ.tar.gz.age.
func FileName(t time.Time) string {
	return "chancery-" + t.UTC().Format("20060102-150405") + "Z" + Ext
}

// recipients makes the age recipients of opt, refusing a passphrase with keys and keys
// that are not age recipients, in words.
func (o Options) recipients() ([]age.Recipient, error) {
	switch {
	case o.Passphrase != "" && len(o.Recipients) > 0:
		return nil, fmt.Errorf("a backup is encrypted either to a passphrase or to age keys (%s), not both: age cannot open one file with either", strings.Join(o.Recipients, ", "))
	case o.Passphrase != "":
		r, err := age.NewScryptRecipient(o.Passphrase)
		if err != nil {
			return nil, err
		}
		if o.WorkFactor > 0 {
			r.SetWorkFactor(o.WorkFactor)
		}
		return []age.Recipient{r}, nil
	case len(o.Recipients) == 0:
		return nil, errors.New("a backup needs a passphrase or at least one recipient (an age1... key) to be encrypted to")
	}
	var out []age.Recipient
	for _, s := range o.Recipients {
		s = strings.TrimSpace(s)
		rs, err := age.ParseRecipients(strings.NewReader(s))
		if err != nil || len(rs) != 1 {
			return nil, fmt.Errorf("%q is not an age recipient (a public key starting age1...)", s)
		}
		out = append(out, rs[0])
	}
	return out, nil
}

// Create writes a backup of db to path (a file that must not exist), encrypted as opt
// says. It writes path's folder's temporary file first and renames it into place once
// whole and synced, so that an interrupted backup leaves no file under path. It returns
// the manifest written.
func Create(ctx context.Context, db *store.DB, path string, opt Options) (Manifest, error) {
	rs, err := opt.recipients()
	if err != nil {
		return Manifest{}, err
	}
	if _, err := os.Lstat(path); err == nil {
		return Manifest{}, fmt.Errorf("backup %s: the file exists", path)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return Manifest{}, fmt.Errorf("backup: create folder %s: %w", dir, err)
	}
	const steps = 4
	removeStale(dir, ".chancery-backup-")
	work, err := os.MkdirTemp(dir, ".chancery-backup-")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(work)

	snap := filepath.Join(work, DatabaseName)
	info, err := db.Snapshot(ctx, snap)
	if err != nil {
		return Manifest{}, err
	}
	opt.progress(1, steps, fmt.Sprintf("snapshot taken (%d bytes, change %d)", info.Bytes, info.LastSeq))

	sum, err := hashFile(snap)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	m := Manifest{Format: FormatVersion, App: opt.App, Created: opt.now(), Identity: info.Identity, Schema: info.Schema,
		LastSeq: info.LastSeq, Items: map[string]int{}, Trash: info.Trash,
		Parts: []Part{{Name: DatabaseName, Size: info.Bytes, SHA256: sum}}, Originals: []Original{}}
	for k, n := range info.Kinds {
		m.Items[string(k)] = n
	}
	for _, o := range info.Originals {
		m.Originals = append(m.Originals, Original{SHA256: o.SHA256, Size: o.Size})
	}
	manifest, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}

	tmp := filepath.Join(work, "backup"+Ext)
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	enc, err := age.Encrypt(f, rs...)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: encrypt: %w", err)
	}
	gz, _ := gzip.NewWriterLevel(enc, gzip.BestSpeed)
	tw := tar.NewWriter(gz)
	if err := writeEntry(tw, ManifestName, int64(len(manifest)), m.Created, strings.NewReader(string(manifest))); err != nil {
		return Manifest{}, fmt.Errorf("backup: write %s: %w", tmp, err)
	}
	opt.progress(2, steps, "manifest written")
	sf, err := os.Open(snap)
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: %w", err)
	}
	err = writeEntry(tw, DatabaseName, info.Bytes, m.Created, ctxReader{ctx, sf})
	sf.Close()
	if err != nil {
		return Manifest{}, fmt.Errorf("backup: write %s: %w", tmp, err)
	}
	opt.progress(3, steps, DatabaseName+" written")
	for _, c := range []io.Closer{tw, gz, enc} {
		if err := c.Close(); err != nil {
			return Manifest{}, fmt.Errorf("backup: write %s: %w", tmp, err)
		}
	}
	if err := f.Sync(); err != nil {
		return Manifest{}, fmt.Errorf("backup: write %s: %w", tmp, err)
	}
	if err := f.Close(); err != nil {
		return Manifest{}, fmt.Errorf("backup: write %s: %w", tmp, err)
	}
	if err := ctx.Err(); err != nil {
		return Manifest{}, err
	}
	// Link, not rename, so that a file made meanwhile under path is never replaced.
	if err := os.Link(tmp, path); err != nil {
		if _, serr := os.Lstat(path); serr == nil {
			return Manifest{}, fmt.Errorf("backup %s: the file exists", path)
		}
		if err := os.Rename(tmp, path); err != nil {
			return Manifest{}, fmt.Errorf("backup: %w", err)
		}
	}
	syncDir(dir)
	opt.progress(4, steps, "written to "+path)
	return m, nil
}

func writeEntry(tw *tar.Writer, name string, size int64, mod time.Time, r io.Reader) error {
	if err := tw.WriteHeader(&tar.Header{Name: name, Size: size, Mode: 0o600, ModTime: mod, Typeflag: tar.TypeReg, Format: tar.FormatPAX}); err != nil {
		return err
	}
	n, err := io.Copy(tw, r)
	if err == nil && n != size {
		err = fmt.Errorf("%s: %d bytes, expected %d", name, n, size)
	}
	return err
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		_ = f.Sync()
		f.Close()
	}
}

// Latest is the newest backup (by name, which holds its time) in dir, "" when there is
// none.
func Latest(dir string) (string, error) {
	names, err := List(dir)
	if err != nil || len(names) == 0 {
		return "", err
	}
	return names[len(names)-1], nil
}

// List lists the backups in dir named as FileName names them, oldest first, as paths. A
// folder that does not exist holds none.
func List(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("backup: list %s: %w", dir, err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if _, ok := Time(n); ok && e.Type().IsRegular() {
			out = append(out, filepath.Join(dir, n))
		}
	}
	slices.Sort(out)
	return out, nil
}

// Prune removes the oldest backups in dir (those List lists) beyond the newest keep, and
// returns the paths removed.
func Prune(dir string, keep int) ([]string, error) {
	names, err := List(dir)
	if err != nil || len(names) <= keep || keep < 1 {
		return nil, err
	}
	var removed []string
	for _, p := range names[:len(names)-keep] {
		if err := os.Remove(p); err != nil {
			return removed, fmt.Errorf("backup: remove old backup %s: %w", p, err)
		}
		removed = append(removed, p)
	}
	return removed, nil
}

// Time is when the backup in path was made, read from its name (FileName); false when
// the name is not one FileName makes.
func Time(path string) (time.Time, bool) {
	n := filepath.Base(path)
	if !strings.HasPrefix(n, "chancery-") || !strings.HasSuffix(n, Ext) {
		return time.Time{}, false
	}
	t, err := time.Parse("20060102-150405Z", strings.TrimSuffix(strings.TrimPrefix(n, "chancery-"), Ext))
	return t, err == nil
}

// removeStale removes the work folders (named prefix*) that a backup or restore killed
// midway left in dir more than an hour ago.
func removeStale(dir, prefix string) {
	if dir == "" {
		dir = os.TempDir()
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			_ = os.RemoveAll(filepath.Join(dir, e.Name()))
		}
	}
}
