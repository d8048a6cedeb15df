package ui

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
	"chancery/store/backup"
	"chancery/store/storetest"
)

// makeBackups is what cmd/chancery wires: real backups of db into folder.
// testWorkFactor makes the tests' passphrase backups cheap to open: age's default scrypt
// cost takes tens of seconds under the race detector, past waitFor's patience.
const testWorkFactor = 10

func makeBackups(db *store.DB, folder string, recoveryKeys []string) Backups {
	return Backups{Folder: folder, RecoveryKeys: len(recoveryKeys),
		Make: func(ctx context.Context, req BackupRequest, progress func(step, steps int, what string)) (BackupResult, error) {
			path := filepath.Join(folder, "kb"+backup.Ext)
			m, err := backup.Create(ctx, db, path, backup.Options{App: "Chancery test", Passphrase: req.Passphrase,
				Recipients: append(req.Recipients, recoveryKeys...), Progress: progress, WorkFactor: testWorkFactor})
			if err != nil {
				return BackupResult{}, err
			}
			st, _ := os.Stat(path)
			return BackupResult{File: path, Bytes: st.Size(), Summary: m.Summary()}, nil
		}}
}

// TestBackUpDialog: File → Back Up… sits before Settings…; two different passphrases are
// refused in words; a passphrase typed twice makes a real backup, shown with its file and
// what it holds, which opens with that passphrase.
func TestBackUpDialog(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.Resize(fyne.NewSize(800, 600))
	w.SetMainMenu(fyne.NewMainMenu(fyne.NewMenu("File", fyne.NewMenuItem("Import…", nil), fyne.NewMenuItem("Settings…", nil))))
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Spill", Body: "oil"})
	folder := t.TempDir()
	b := makeBackups(db, folder, nil)
	AddBackups(w, b)
	if items := w.MainMenu().Items[0].Items; len(items) != 3 || items[1].Label != "Back Up…" {
		t.Fatalf("File menu: %+v", items)
	}

	loop := newUILoop(t)
	d := newBackupDialog(w, b, loop.do, context.Background())
	d.show()
	test.Type(d.pass, "river delta")
	test.Type(d.same, "river delte")
	test.Tap(d.ok)
	if !strings.Contains(d.msg.Text, "differ") {
		t.Errorf("different passphrases: %q", d.msg.Text)
	}
	d.same.SetText("river delta")
	test.Tap(d.ok)
	loop.waitFor(t, "the backup", func() bool { return d.done || d.msg.Importance == widget.DangerImportance })
	path := filepath.Join(folder, "kb"+backup.Ext)
	if !d.done || !strings.Contains(d.msg.Text, "Backed up to "+path) || !strings.Contains(d.msg.Text, "1 note") || d.ok.Text != "Close" {
		t.Fatalf("result: %q", d.msg.Text)
	}
	if _, problems, err := backup.Verify(context.Background(), path, backup.Keys{Passphrase: "river delta"}, nil); err != nil || len(problems) > 0 {
		t.Errorf("the backup does not verify: %q, %v", problems, err)
	}
	test.Tap(d.ok)
	if w.Canvas().Overlays().Top() != nil {
		t.Error("Close does not close the dialog")
	}
}

// TestBackUpDialogRecoveryKeys: under a policy with recovery keys the dialog says so and
// offers keys only; with none typed, the backup goes to the recovery keys alone.
func TestBackUpDialogRecoveryKeys(t *testing.T) {
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.Resize(fyne.NewSize(800, 600))
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Spill", Body: "oil"})
	folder := t.TempDir()
	loop := newUILoop(t)
	d := newBackupDialog(w, makeBackups(db, folder, []string{"age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"}), loop.do, context.Background())
	d.show()
	if !d.mode.Disabled() || d.mode.Selected != byKeys || d.pass.Visible() || !strings.Contains(allText(w.Canvas().Overlays().Top()), "1 recovery keys") {
		t.Fatalf("recovery keys: mode %q disabled %v, passphrase shown %v", d.mode.Selected, d.mode.Disabled(), d.pass.Visible())
	}
	test.Tap(d.ok)
	loop.waitFor(t, "the backup", func() bool { return d.done || d.msg.Importance == widget.DangerImportance })
	if !d.done {
		t.Fatalf("result: %q", d.msg.Text)
	}
}

// TestRestoreOffer: offered the latest backup of a damaged knowledge base, a wrong
// passphrase is refused in words, and the right one restores it, saying where the damaged
// folder went.
func TestRestoreOffer(t *testing.T) {
	ctx := context.Background()
	a := test.NewTempApp(t)
	w := a.NewWindow("Chancery")
	w.Resize(fyne.NewSize(700, 500))
	db := storetest.Open(t, store.Item{Kind: store.KindNote, Title: "Spill", Body: "oil"})
	file := filepath.Join(t.TempDir(), "kb"+backup.Ext)
	if _, err := backup.Create(ctx, db, file, backup.Options{Passphrase: "river delta", WorkFactor: testWorkFactor}); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "kb")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, store.FileName), []byte("garbage"), 0o600)
	offer := RestoreOffer{Backup: file, Restore: func(ctx context.Context, pass, ident string, progress func(int, int, string)) (string, error) {
		r, err := backup.Restore(ctx, file, dir, backup.Keys{Passphrase: pass}, progress)
		if err != nil {
			return "", err
		}
		return "Restored; the damaged folder was moved to " + r.MovedAside + ".", nil
	}}
	loop := newUILoop(t)
	r := newRestorePanel(w, store.ErrDamaged, offer, loop.do)
	w.SetContent(r.content)
	if shown := allText(r.content); !strings.Contains(shown, "The latest backup is "+file) {
		t.Fatalf("the offer shows:\n%s", shown)
	}
	test.Type(r.pass, "wrong")
	test.Tap(r.restore)
	loop.waitFor(t, "the refusal", func() bool { return r.msg.Importance == widget.DangerImportance })
	if !strings.Contains(r.msg.Text, "passphrase is wrong") || r.restored {
		t.Fatalf("wrong passphrase: %q", r.msg.Text)
	}
	r.pass.SetText("river delta")
	test.Tap(r.restore)
	loop.waitFor(t, "the restore", func() bool { return r.restored || r.msg.Importance == widget.DangerImportance })
	if !r.restored || !strings.Contains(r.msg.Text, dir+".before-restore-") {
		t.Fatalf("restore: %q", r.msg.Text)
	}
	rdb, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if st, _ := rdb.Stats(ctx); st.Live != 1 {
		t.Errorf("restored %d items, want 1", st.Live)
	}
}

// TestBackupStatusInStatusLine: what an automatic backup did shows in the status line,
// after the knowledge base's folder.
func TestBackupStatusInStatusLine(t *testing.T) {
	k := openTestKB(t)
	mw, loop := openWindow(t, k.deps())
	mainWindows[mw.win] = mw
	t.Cleanup(func() { delete(mainWindows, mw.win) })
	loop.drain()
	ShowBackupStatus(mw.win, "Backed up at 14:02")
	if got := mw.search.index.Text; got != "Knowledge base: "+k.db.Dir()+" · Backed up at 14:02" {
		t.Errorf("status line %q", got)
	}
}
