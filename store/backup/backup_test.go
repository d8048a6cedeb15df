package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/backup"
)

// kb makes a knowledge base in a new folder with a note, a contact, a document with its
// original and an item in the trash, and returns it open.
func kb(t *testing.T, dir string) (*store.DB, store.Item) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	saved, err := db.SaveAll(ctx, []store.Item{
		{Kind: store.KindNote, Title: "Spill on the river", Body: "Oil reached the intake."},
		{Kind: store.KindContact, Title: "Amina Okafor", Contact: &store.Contact{JobTitle: "Director"}},
		{Kind: store.KindDocument, Title: "Convention", Document: &store.Document{FileName: "c.txt", Original: []byte("Article 1")}},
		{Kind: store.KindNote, Title: "Old draft", Body: "to the trash"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, saved[3].ID); err != nil {
		t.Fatal(err)
	}
	return db, saved[2]
}

func key(t *testing.T) (*age.X25519Identity, backup.Keys) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id, backup.Keys{Identities: id.String() + "\n"}
}

// TestBackupVerifyRestore: a backup of a knowledge base verifies sound with counts by kind,
// its originals and its change sequence; restored over another knowledge base, it moves
// that one aside (saying where) and brings back every item and original as they were.
func TestBackupVerifyRestore(t *testing.T) {
	ctx := context.Background()
	db, doc := kb(t, filepath.Join(t.TempDir(), "kb"))
	id, keys := key(t)
	path := filepath.Join(t.TempDir(), "backups", backup.FileName(time.Now()))
	var steps []string
	m, err := backup.Create(ctx, db, path, backup.Options{App: "Chancery test", Recipients: []string{id.Recipient().String()},
		Progress: func(step, n int, what string) { steps = append(steps, what) }})
	if err != nil {
		t.Fatal(err)
	}
	last, _ := db.LastSeq(ctx)
	if m.Format != backup.FormatVersion || m.LastSeq != last || m.Items["note"] != 1 || m.Items["contact"] != 1 || m.Items["document"] != 1 || m.Trash != 1 ||
		len(m.Originals) != 1 || m.Originals[0].SHA256 != doc.Document.SHA256 || len(m.Parts) != 1 || m.Identity != db.Identity() {
		t.Errorf("manifest %+v", m)
	}
	if len(steps) != 4 {
		t.Errorf("progress %q, want 4 steps", steps)
	}
	if _, err := backup.Create(ctx, db, path, backup.Options{Recipients: []string{id.Recipient().String()}}); err == nil {
		t.Error("a backup was written over another")
	}
	if ents, _ := os.ReadDir(filepath.Dir(path)); len(ents) != 1 {
		t.Errorf("the backup folder holds %d entries, want the backup alone", len(ents))
	}

	vm, problems, err := backup.Verify(ctx, path, keys, nil)
	if err != nil || len(problems) != 0 || vm.LastSeq != m.LastSeq {
		t.Fatalf("Verify = %+v, %q, %v", vm, problems, err)
	}
	if !strings.Contains(vm.Summary(), "1 document") || !strings.Contains(vm.Summary(), "1 original files") {
		t.Errorf("summary %q", vm.Summary())
	}

	// Restore over another knowledge base.
	to := filepath.Join(t.TempDir(), "data")
	other, _ := kb(t, to)
	other.Close()
	r, err := backup.Restore(ctx, path, to, keys, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r.MovedAside == "" || !strings.HasPrefix(r.MovedAside, to+".before-restore-") {
		t.Fatalf("moved aside to %q", r.MovedAside)
	}
	if _, err := os.Stat(filepath.Join(r.MovedAside, store.FileName)); err != nil {
		t.Errorf("the knowledge base moved aside: %v", err)
	}
	rdb, err := store.Open(ctx, to)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if b, err := rdb.Original(ctx, doc.ID); err != nil || string(b) != "Article 1" {
		t.Errorf("restored original %q, %v", b, err)
	}
	st, _ := rdb.Stats(ctx)
	if st.Live != 3 || st.Trash != 1 || rdb.Identity() != db.Identity() {
		t.Errorf("restored: %+v, identity %s", st, rdb.Identity())
	}
	if seq, _ := rdb.LastSeq(ctx); seq != m.LastSeq {
		t.Errorf("restored at change %d, want %d", seq, m.LastSeq)
	}
	// Into an empty folder: nothing to move aside.
	empty := filepath.Join(t.TempDir(), "empty")
	if err := os.Mkdir(empty, 0o700); err != nil {
		t.Fatal(err)
	}
	if r, err := backup.Restore(ctx, path, empty, keys, nil); err != nil || r.MovedAside != "" {
		t.Errorf("restore into an empty folder: %+v, %v", r, err)
	}
	if ents, _ := os.ReadDir(filepath.Dir(empty)); len(ents) != 1 {
		t.Errorf("beside the empty folder: %v", ents)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(to), ".chancery-restore-*"))
	if len(leftovers) > 0 {
		t.Errorf("work folders left: %q", leftovers)
	}
}

// folderState is every file in dir with its SHA-256, to prove nothing changed.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || info.Name() == store.LockName {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		lines = append(lines, p+" "+hex.EncodeToString(sum[:]))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// writeRaw writes an age file to recipient holding a tar.gz of the given entries, for
// backups no Chancery writes.
func writeRaw(t *testing.T, path string, r age.Recipient, entries ...[2]string) {
	t.Helper()
	var buf bytes.Buffer
	enc, err := age.Encrypt(&buf, r)
	if err != nil {
		t.Fatal(err)
	}
	gz := gzip.NewWriter(enc)
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e[0], Size: int64(len(e[1])), Mode: 0o600, Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e[1])); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	gz.Close()
	enc.Close()
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestBadBackupsRefused: a wrong passphrase, no key, a key that is not one of the
// recipients, a backup cut short (at several places), a byte altered, a part altered
// under a valid encryption, and a backup from a newer format or schema are each refused in
// words naming the file, and the knowledge base restored over is left exactly as it was.
func TestBadBackupsRefused(t *testing.T) {
	ctx := context.Background()
	db, _ := kb(t, filepath.Join(t.TempDir(), "kb"))
	id, keys := key(t)
	dir := t.TempDir()
	good := filepath.Join(dir, "good"+backup.Ext)
	if _, err := backup.Create(ctx, db, good, backup.Options{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	byPass := filepath.Join(dir, "pass"+backup.Ext)
	if _, err := backup.Create(ctx, db, byPass, backup.Options{Passphrase: "correct horse"}); err != nil {
		t.Fatal(err)
	}
	if _, err := backup.Create(ctx, db, filepath.Join(dir, "both"), backup.Options{Passphrase: "x", Recipients: []string{id.Recipient().String()}}); err == nil || !strings.Contains(err.Error(), "not both") {
		t.Errorf("passphrase and keys: %v", err)
	}
	if _, err := backup.Create(ctx, db, filepath.Join(dir, "bad"), backup.Options{Recipients: []string{"age1nope"}}); err == nil || !strings.Contains(err.Error(), "age1nope") {
		t.Errorf("bad recipient: %v", err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	variant := func(name string, b []byte) string {
		p := filepath.Join(dir, name+backup.Ext)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	flip := func(at int) []byte {
		b := bytes.Clone(data)
		b[at] ^= 0x40
		return b
	}

	// A backup whose manifest does not match its part, encrypted validly: altered by
	// someone holding the key.
	var m backup.Manifest
	snap := filepath.Join(t.TempDir(), "snap.db")
	info, err := db.Snapshot(ctx, snap)
	if err != nil {
		t.Fatal(err)
	}
	snapBytes, _ := os.ReadFile(snap)
	m = backup.Manifest{Format: 1, App: "Chancery test", Schema: info.Schema, LastSeq: info.LastSeq, Identity: info.Identity,
		Parts: []backup.Part{{Name: backup.DatabaseName, Size: int64(len(snapBytes)), SHA256: strings.Repeat("0", 64)}}}
	manifest := func(m backup.Manifest) string { b, _ := json.Marshal(m); return string(b) }
	altered := filepath.Join(dir, "altered-part"+backup.Ext)
	writeRaw(t, altered, id.Recipient(), [2]string{backup.ManifestName, manifest(m)}, [2]string{backup.DatabaseName, string(snapBytes)})
	newer := m
	newer.Format = backup.FormatVersion + 1
	newFormat := filepath.Join(dir, "newer-format"+backup.Ext)
	writeRaw(t, newFormat, id.Recipient(), [2]string{backup.ManifestName, manifest(newer)}, [2]string{"future.bin", "?"})
	newerSchema := m
	newerSchema.Schema = store.SchemaVersion() + 1
	newSchema := filepath.Join(dir, "newer-schema"+backup.Ext)
	writeRaw(t, newSchema, id.Recipient(), [2]string{backup.ManifestName, manifest(newerSchema)}, [2]string{backup.DatabaseName, string(snapBytes)})
	extra := filepath.Join(dir, "extra"+backup.Ext)
	sum := sha256.Sum256(snapBytes)
	m.Parts[0].SHA256 = hex.EncodeToString(sum[:])
	writeRaw(t, extra, id.Recipient(), [2]string{backup.ManifestName, manifest(m)}, [2]string{backup.DatabaseName, string(snapBytes)}, [2]string{"../evil", "x"})

	_, other := key(t)
	for _, c := range []struct {
		name string
		path string
		keys backup.Keys
		kind error
		says string
	}{
		{"wrong passphrase", byPass, backup.Keys{Passphrase: "wrong horse"}, backup.ErrWrongKey, "passphrase is wrong"},
		{"no passphrase", byPass, backup.Keys{}, backup.ErrWrongKey, "encrypted to a passphrase"},
		{"passphrase for keys", good, backup.Keys{Passphrase: "correct horse"}, backup.ErrWrongKey, "not to a passphrase"},
		{"another key", good, other, backup.ErrWrongKey, "none of the identities"},
		{"not a backup", variant("text", []byte("hello, world\n")), keys, backup.ErrDamaged, "not an age-encrypted"},
		{"cut in the header", variant("cut-header", data[:40]), keys, backup.ErrDamaged, "not an age-encrypted"},
		{"cut in the middle", variant("cut-middle", data[:len(data)/2]), keys, backup.ErrDamaged, "truncated or altered"},
		{"cut at the end", variant("cut-end", data[:len(data)-1]), keys, backup.ErrDamaged, "truncated or altered"},
		{"cut after the header", variant("cut-payload", data[:headerEnd(data)+16]), keys, backup.ErrDamaged, "truncated"},
		{"a byte altered", variant("flipped", flip(len(data)/2)), keys, backup.ErrDamaged, "truncated or altered"},
		{"the header altered", variant("flipped-header", flip(20)), keys, backup.ErrDamaged, ""},
		{"a part altered", altered, keys, backup.ErrDamaged, "does not match the SHA-256"},
		{"a part not listed", extra, keys, backup.ErrDamaged, "does not list"},
		{"a newer format", newFormat, keys, backup.ErrNewer, "newer Chancery"},
		{"a newer schema", newSchema, keys, backup.ErrNewer, "newer Chancery"},
	} {
		t.Run(c.name, func(t *testing.T) {
			to := filepath.Join(t.TempDir(), "data")
			kbHere, _ := kb(t, to)
			kbHere.Close()
			before := folderState(t, to)
			_, err := backup.Restore(ctx, c.path, to, c.keys, nil)
			var be *backup.Error
			if !errors.As(err, &be) || !errors.Is(err, c.kind) || !strings.Contains(err.Error(), c.path) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("Restore: %v; want %v saying %q and naming the file", err, c.kind, c.says)
			}
			if _, _, err := backup.Verify(ctx, c.path, c.keys, nil); !errors.Is(err, c.kind) {
				t.Errorf("Verify: %v; want %v", err, c.kind)
			}
			if after := folderState(t, to); after != before {
				t.Errorf("the knowledge base changed:\n%s\nwas\n%s", after, before)
			}
			if ents, _ := os.ReadDir(filepath.Dir(to)); len(ents) != 1 {
				t.Errorf("left beside the data folder: %v", ents)
			}
		})
	}
}

// headerEnd is the length of an age file's header (up to the payload's nonce).
func headerEnd(b []byte) int {
	i := bytes.Index(b, []byte("\n--- "))
	return i + 1 + bytes.IndexByte(b[i+1:], '\n') + 1
}

// TestVerifyFindsDamagedSnapshot: a backup taken of a knowledge base whose original was
// altered verifies with a problem naming the item, and is not restored.
func TestVerifyFindsDamagedSnapshot(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(t.TempDir(), "kb")
	db, _ := kb(t, dir)
	db.Close()
	// Alter the original's bytes in the database file, as a failing disk (or a person with
	// an editor) would: SQLite's own checks do not see it, the SHA-256 does.
	dbFile := filepath.Join(dir, store.FileName)
	raw, err := os.ReadFile(dbFile)
	if err != nil || bytes.Count(raw, []byte("Article 1")) != 1 {
		t.Fatalf("the original is not in the database file once: %v", err)
	}
	if err := os.WriteFile(dbFile, bytes.Replace(raw, []byte("Article 1"), []byte("Article 9"), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err = store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, keys := key(t)
	path := filepath.Join(t.TempDir(), "b"+backup.Ext)
	if _, err := backup.Create(ctx, db, path, backup.Options{Recipients: []string{id.Recipient().String()}}); err != nil {
		t.Fatal(err)
	}
	_, problems, err := backup.Verify(ctx, path, keys, nil)
	if err != nil || len(problems) != 1 || !strings.Contains(problems[0], "Convention") {
		t.Fatalf("Verify = %q, %v", problems, err)
	}
	to := filepath.Join(t.TempDir(), "data")
	if _, err := backup.Restore(ctx, path, to, keys, nil); err == nil || !strings.Contains(err.Error(), "Convention") {
		t.Errorf("Restore of a damaged snapshot: %v", err)
	}
	if _, err := os.Stat(to); err == nil {
		t.Error("the data folder was made")
	}
}

// TestAgeToolDecrypts: the standard age tool opens a backup with the recipient's identity
// file, and what it gives is a tar.gz holding the manifest and a database that matches it.
func TestAgeToolDecrypts(t *testing.T) {
	if _, err := exec.LookPath("age"); err != nil {
		t.Skip("the age tool is not installed (apt-get install age); skipping")
	}
	ctx := context.Background()
	db, _ := kb(t, filepath.Join(t.TempDir(), "kb"))
	id, _ := key(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "b"+backup.Ext)
	m, err := backup.Create(ctx, db, path, backup.Options{Recipients: []string{id.Recipient().String()}})
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "key.txt")
	if err := os.WriteFile(keyFile, []byte(id.String()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("age", "-d", "-i", keyFile, path).Output()
	if err != nil {
		t.Fatalf("age -d: %v", err)
	}
	gz, err := gzip.NewReader(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var names []string
	var got backup.Manifest
	for {
		h, err := tr.Next()
		if err != nil {
			break
		}
		names = append(names, h.Name)
		b := new(bytes.Buffer)
		b.ReadFrom(tr)
		switch h.Name {
		case backup.ManifestName:
			if err := json.Unmarshal(b.Bytes(), &got); err != nil {
				t.Fatal(err)
			}
		case backup.DatabaseName:
			sum := sha256.Sum256(b.Bytes())
			if hex.EncodeToString(sum[:]) != m.Parts[0].SHA256 || !bytes.HasPrefix(b.Bytes(), []byte("SQLite format 3\x00")) {
				t.Error("the database age gave does not match the manifest")
			}
		}
	}
	if strings.Join(names, ",") != "manifest.json,chancery.db" || got.LastSeq != m.LastSeq {
		t.Errorf("age gave %q, manifest %+v", names, got)
	}
}

// TestPrune keeps the newest backups of a folder.
func TestPrune(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	for i := 0; i < 5; i++ {
		os.WriteFile(filepath.Join(dir, backup.FileName(t0.Add(time.Duration(i)*24*time.Hour))), nil, 0o600)
	}
	os.WriteFile(filepath.Join(dir, "notes.txt"), nil, 0o600)
	removed, err := backup.Prune(dir, 3)
	if err != nil || len(removed) != 2 || !strings.Contains(removed[0], "20261201") {
		t.Fatalf("Prune = %q, %v", removed, err)
	}
	latest, _ := backup.Latest(dir)
	if filepath.Base(latest) != "chancery-20261205-020000Z.tar.gz.age" {
		t.Errorf("Latest = %s", latest)
	}
	if _, err := os.Stat(filepath.Join(dir, "notes.txt")); err != nil {
		t.Error("Prune removed a file that is not a backup")
	}
}
