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
	"strings"
	"time"

	"filippo.io/age"

	"chancery/store"
)

// What a refused backup is, for callers that branch on it (errors.Is on an *Error).
var (
	// ErrWrongKey: the passphrase or keys given do not open it.
	ErrWrongKey = errors.New("wrong passphrase or key")
	// ErrDamaged: truncated, altered, or not a backup at all.
	ErrDamaged = errors.New("damaged")
	// ErrNewer: written in a newer format, or holding a newer schema (store.ErrNewer).
	ErrNewer = store.ErrNewer
)

// Error is a backup refused, saying in words what is wrong with it.
type Error struct {
	File   string
	Reason string // "cannot be opened with this passphrase: ..."
	Kind   error  // ErrWrongKey, ErrDamaged or ErrNewer
}

func (e *Error) Error() string { return "the backup " + e.File + " " + e.Reason }

func (e *Error) Unwrap() error { return e.Kind }

// Keys open a backup: its passphrase, or age identities (the AGE-SECRET-KEY-1... lines of
// an identity file, as `age-keygen` writes them), or both.
type Keys struct {
	Passphrase string
	Identities string
}

// Checked is a backup decrypted into a work folder and checked: its manifest, and the
// snapshot ready to install. Close removes the work folder.
type Checked struct {
	File     string
	Manifest Manifest
	Snapshot string   // the snapshot's path in the work folder
	Problems []string // what the checks found wrong, in words; none when sound
	work     string
}

// Close removes what Open wrote in its work folder.
func (c *Checked) Close() error { return os.RemoveAll(c.work) }

// Progress hears of each step of a long operation: step of steps, and what it was.
type Progress func(step, steps int, what string)

func (p Progress) report(step, steps int, what string) {
	if p != nil {
		p(step, steps, what)
	}
}

// openSteps is how many steps Open reports.
const openSteps = 4

// Open decrypts the backup in path with keys into a new folder inside workDir (the
// system's temporary folder when ""), checks its manifest and every part's size and
// SHA-256, and checks the snapshot (store.CheckSnapshot). A backup that cannot be read
// whole fails with an *Error saying why (wrong key, truncated or altered, newer format);
// one that reads whole but whose snapshot the checks find wrong is returned with its
// Problems. Nothing is written outside the work folder, which is removed on failure.
func Open(ctx context.Context, path string, keys Keys, workDir string, progress Progress) (*Checked, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	defer f.Close()
	refuse := func(kind error, format string, a ...any) error {
		return &Error{File: path, Reason: fmt.Sprintf(format, a...), Kind: kind}
	}

	ids, err := keys.identities()
	if err != nil {
		return nil, err
	}
	seen := &stanzaTypes{}
	ar, err := age.Decrypt(f, append(ids, seen)...)
	if err != nil {
		var nm *age.NoIdentityMatchError
		if errors.As(err, &nm) {
			return nil, refuse(ErrWrongKey, "%s", seen.why(keys))
		}
		return nil, refuse(ErrDamaged, "is not an age-encrypted Chancery backup, or its beginning is damaged (%v)", err)
	}
	progress.report(1, openSteps, "the key given opens it")

	removeStale(workDir, ".chancery-restore-")
	work, err := os.MkdirTemp(workDir, ".chancery-restore-")
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	c := &Checked{File: path, work: work}
	ok := false
	defer func() {
		if !ok {
			c.Close()
		}
	}()

	src := &errReader{r: ar}
	readFailed := func(what string, err error) error {
		if src.err != nil {
			return refuse(ErrDamaged, "is truncated or altered: its encrypted content does not authenticate (%v)", src.err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return refuse(ErrDamaged, "is damaged: %s: %v", what, err)
	}
	gz, err := gzip.NewReader(ctxReader{ctx, src})
	if err != nil {
		return nil, readFailed("not a compressed archive", err)
	}
	tr := tar.NewReader(gz)
	h, err := tr.Next()
	if err != nil {
		return nil, readFailed("its archive cannot be read", err)
	}
	if h.Name != ManifestName || h.Size > maxManifest {
		return nil, refuse(ErrDamaged, "is not a Chancery backup: it begins with %q, not %s", h.Name, ManifestName)
	}
	raw, err := io.ReadAll(tr)
	if err != nil {
		return nil, readFailed("its manifest cannot be read", err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, refuse(ErrDamaged, "is damaged: its manifest is not valid JSON (%v)", err)
	}
	switch {
	case m.Format > FormatVersion:
		return nil, refuse(ErrNewer, "was made by a newer Chancery (%s) in backup format %d; this one reads up to format %d: use a newer Chancery", cmpOr(m.App, "unknown version"), m.Format, FormatVersion)
	case m.Format < 1:
		return nil, refuse(ErrDamaged, "is damaged: its manifest has no format version")
	case m.Schema > store.SchemaVersion():
		return nil, refuse(ErrNewer, "was made by a newer Chancery (%s): its knowledge base has schema version %d, this one knows up to %d: use a newer Chancery", cmpOr(m.App, "unknown version"), m.Schema, store.SchemaVersion())
	}
	c.Manifest = m
	progress.report(2, openSteps, "manifest read: "+m.Summary())

	want := map[string]Part{}
	for _, p := range m.Parts {
		if p.Name != DatabaseName {
			return nil, refuse(ErrDamaged, "is damaged: its manifest lists a part %q this Chancery does not know", p.Name)
		}
		want[p.Name] = p
	}
	if _, ok := want[DatabaseName]; !ok {
		return nil, refuse(ErrDamaged, "is damaged: its manifest lists no %s", DatabaseName)
	}
	got := map[string]bool{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readFailed("its archive cannot be read", err)
		}
		p, listed := want[h.Name]
		if !listed || got[h.Name] {
			return nil, refuse(ErrDamaged, "is altered: it holds %q, which its manifest does not list", h.Name)
		}
		got[h.Name] = true
		if err := extract(tr, filepath.Join(work, p.Name), p); err != nil {
			var mis *mismatch
			if errors.As(err, &mis) {
				return nil, refuse(ErrDamaged, "is altered: %s", mis)
			}
			return nil, readFailed(p.Name+" cannot be read", err)
		}
	}
	for name := range want {
		if !got[name] {
			return nil, refuse(ErrDamaged, "is truncated: %s, listed in its manifest, is missing", name)
		}
	}
	// Read to the end, so that a cut or altered last chunk is found (age authenticates
	// every chunk, and marks the last).
	if _, err := io.Copy(io.Discard, gz); err != nil {
		return nil, readFailed("its archive has trailing damage", err)
	}
	if _, err := io.Copy(io.Discard, src); err != nil {
		return nil, readFailed("its end cannot be read", err)
	}
	c.Snapshot = filepath.Join(work, DatabaseName)
	progress.report(3, openSteps, fmt.Sprintf("%s extracted (%d bytes, SHA-256 matches)", DatabaseName, want[DatabaseName].Size))

	info, problems, err := store.CheckSnapshot(ctx, c.Snapshot)
	if errors.Is(err, store.ErrNewer) {
		return nil, refuse(ErrNewer, "holds a knowledge base made by a newer Chancery (%v)", err)
	}
	if err != nil {
		return nil, refuse(ErrDamaged, "is damaged: its snapshot cannot be read (%v)", err)
	}
	c.Problems = append(c.Problems, problems...)
	if info.LastSeq != m.LastSeq || info.Identity != m.Identity || info.Schema != m.Schema {
		c.Problems = append(c.Problems, fmt.Sprintf("the manifest (change %d, schema %d, identity %s) does not describe the snapshot (change %d, schema %d, identity %s)",
			m.LastSeq, m.Schema, m.Identity, info.LastSeq, info.Schema, info.Identity))
	}
	have := map[string]int64{}
	for _, o := range info.Originals {
		have[o.SHA256] = o.Size
	}
	for _, o := range m.Originals {
		if size, ok := have[o.SHA256]; !ok {
			c.Problems = append(c.Problems, fmt.Sprintf("the original file with SHA-256 %s, listed in the manifest, is missing from the snapshot", o.SHA256))
		} else if size != o.Size {
			c.Problems = append(c.Problems, fmt.Sprintf("the original file with SHA-256 %s is %d bytes in the snapshot, %d in the manifest", o.SHA256, size, o.Size))
		}
		delete(have, o.SHA256)
	}
	for sum := range have {
		c.Problems = append(c.Problems, fmt.Sprintf("the snapshot holds an original file (SHA-256 %s) the manifest does not list", sum))
	}
	slices.Sort(c.Problems[len(problems):])
	what := "snapshot checked: sound"
	if len(c.Problems) > 0 {
		what = fmt.Sprintf("snapshot checked: %d problems", len(c.Problems))
	}
	progress.report(4, openSteps, what)
	ok = true
	return c, nil
}

// mismatch is a part whose size or SHA-256 is not the manifest's.
type mismatch struct{ name, what string }

func (m *mismatch) Error() string { return m.name + " " + m.what }

// extract writes the part from r to path, checking its size and SHA-256.
func extract(r io.Reader, path string, p Part) error {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), r)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != p.Size {
		return &mismatch{p.Name, fmt.Sprintf("is %d bytes, not the %d its manifest records", n, p.Size)}
	}
	if sum := hex.EncodeToString(h.Sum(nil)); sum != p.SHA256 {
		return &mismatch{p.Name, "does not match the SHA-256 its manifest records"}
	}
	return nil
}

// Verify opens the backup in path with keys (Open), in the system's temporary folder, and
// returns its manifest and what is wrong with it, in words: nothing when it is sound.
// A backup that cannot be read whole is an *Error.
func Verify(ctx context.Context, path string, keys Keys, progress Progress) (Manifest, []string, error) {
	c, err := Open(ctx, path, keys, "", progress)
	if err != nil {
		return Manifest{}, nil, err
	}
	defer c.Close()
	return c.Manifest, c.Problems, nil
}

// Restored is what Restore did.
type Restored struct {
	Manifest Manifest
	// MovedAside is where the knowledge base that was in the folder went; "" when the
	// folder held none.
	MovedAside string
}

// restoreSteps is how many steps Restore reports.
const restoreSteps = openSteps + 2

// Restore restores the backup in path into the data folder dir: it opens and checks the
// backup whole first (Open; in a work folder beside dir), refusing it, with dir unchanged,
// when it cannot be read or its checks find anything wrong. A knowledge base in dir is
// then moved aside, whole, to dir.before-restore-TIMESTAMP (which fails with
// store.ErrLocked when a Chancery process has it open), and the snapshot becomes dir's
// database. The search index is the caller's to rebuild.
func Restore(ctx context.Context, path, dir string, keys Keys, progress Progress) (Restored, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return Restored{}, err
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return Restored{}, fmt.Errorf("restore: %w", err)
	}
	// A restore cut off between its renames is finished first (store.FinishRestore); a
	// restored folder left beside dir by one cut off before them is stale.
	if err := store.FinishRestore(dir); err != nil {
		return Restored{}, err
	}
	pending := dir + store.RestoringSuffix
	if err := os.RemoveAll(pending); err != nil {
		return Restored{}, fmt.Errorf("restore: remove %s, left by a restore cut off: %w", pending, err)
	}
	// Refuse at once a folder in use, before the long decryption.
	if unlock, err := lockIfThere(dir); err != nil {
		return Restored{}, err
	} else {
		unlock()
	}
	c, err := Open(ctx, path, keys, parent, func(step, _ int, what string) { progress.report(step, restoreSteps, what) })
	if err != nil {
		return Restored{}, err
	}
	defer c.Close()
	if len(c.Problems) > 0 {
		return Restored{}, &Error{File: path, Kind: ErrDamaged,
			Reason: "is not restored: its checks found " + strings.Join(c.Problems, "; ") + ". Nothing was changed"}
	}
	r := Restored{Manifest: c.Manifest}
	// The new folder is made whole beside the old one first (dir.restoring), so that the
	// swap is two renames: a restore killed at any point leaves the old folder in place,
	// or the new one, or (between the renames) the new one in dir.restoring, which the
	// next Open puts in place (store.FinishRestore); nothing is ever lost.
	fresh := filepath.Join(c.work, "data")
	if err := store.InstallSnapshot(ctx, c.Snapshot, fresh); err != nil {
		return r, err
	}
	if err := os.Rename(fresh, pending); err != nil {
		return r, fmt.Errorf("restore: %w", err)
	}
	syncDir(parent)
	fresh = pending
	progress.report(openSteps+1, restoreSteps, "database installed in a new folder")
	if ents, err := os.ReadDir(dir); err == nil && holdsAnything(ents) {
		unlock, err := lockIfThere(dir)
		if err != nil {
			return Restored{}, err
		}
		stamp := time.Now().UTC().Format("20060102-150405")
		aside := dir + ".before-restore-" + stamp
		for i := 2; ; i++ {
			if _, err := os.Lstat(aside); errors.Is(err, os.ErrNotExist) {
				break
			}
			aside = fmt.Sprintf("%s.before-restore-%s-%d", dir, stamp, i)
		}
		err = os.Rename(dir, aside)
		unlock()
		if err != nil {
			return Restored{}, fmt.Errorf("restore: move the knowledge base in %s aside: %w", dir, err)
		}
		r.MovedAside = aside
	} else if err == nil {
		// Empty, or only the lock file (which the check for a process using it made).
		_ = os.Remove(filepath.Join(dir, store.LockName))
		if err := os.Remove(dir); err != nil {
			return Restored{}, fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.Rename(fresh, dir); err != nil {
		return r, fmt.Errorf("restore: put the restored knowledge base in %s: %w", dir, err)
	}
	syncDir(parent)
	what := "database restored in " + dir
	if r.MovedAside != "" {
		what += "; the knowledge base that was there moved to " + r.MovedAside
	}
	progress.report(restoreSteps, restoreSteps, what)
	return r, nil
}

// holdsAnything reports whether a folder's entries are more than the knowledge base's
// lock file.
func holdsAnything(ents []os.DirEntry) bool {
	for _, e := range ents {
		if e.Name() != store.LockName {
			return true
		}
	}
	return false
}

// lockIfThere takes the knowledge base's lock in dir when dir exists.
func lockIfThere(dir string) (unlock func(), err error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return func() {}, nil
	}
	return store.LockFolder(dir)
}

func (k Keys) identities() ([]age.Identity, error) {
	var ids []age.Identity
	if k.Passphrase != "" {
		id, err := age.NewScryptIdentity(k.Passphrase)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if strings.TrimSpace(k.Identities) != "" {
		more, err := age.ParseIdentities(strings.NewReader(k.Identities))
		if err != nil {
			return nil, fmt.Errorf("the identity file holds no age identity (AGE-SECRET-KEY-1... lines): %v", err)
		}
		ids = append(ids, more...)
	}
	return ids, nil
}

// stanzaTypes is an identity that opens nothing but notes what the file is encrypted to,
// to say why the keys given did not open it.
type stanzaTypes struct{ types []string }

func (s *stanzaTypes) Unwrap(stanzas []*age.Stanza) ([]byte, error) {
	for _, st := range stanzas {
		s.types = append(s.types, st.Type)
	}
	return nil, age.ErrIncorrectIdentity
}

func (s *stanzaTypes) why(k Keys) string {
	scrypt := slices.Contains(s.types, "scrypt")
	ident := strings.TrimSpace(k.Identities) != ""
	switch {
	case scrypt && k.Passphrase != "":
		return "cannot be opened with this passphrase: the passphrase is wrong. Nothing was changed"
	case scrypt:
		return "is encrypted to a passphrase: give it (--passphrase-file, or CHANCERY_PASSPHRASE). Nothing was changed"
	case ident:
		return fmt.Sprintf("is encrypted to %d age keys, and none of the identities given is one of them. Nothing was changed", len(s.types))
	default:
		return fmt.Sprintf("is encrypted to %d age keys, not to a passphrase: give the identity file of one of them (--identity). Nothing was changed", len(s.types))
	}
}

// errReader keeps the first error its reader returned other than io.EOF.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF && e.err == nil {
		e.err = err
	}
	return n, err
}

func cmpOr(s, alt string) string {
	if s == "" {
		return alt
	}
	return s
}
