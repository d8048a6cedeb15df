package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"chancery/store/backup"
)

// TestAutoBackups: under a policy with backup_every, the app's loop makes a backup when the
// latest in the folder is older than that, encrypted to the recovery key, says so for the
// status line, and keeps the newest backup_keep.
func TestAutoBackups(t *testing.T) {
	tmp := t.TempDir()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	folder := filepath.Join(tmp, "backups")
	pol := filepath.Join(tmp, "policy.toml")
	text := "backup_recipients = [\"" + id.Recipient().String() + "\"]\nbackup_folder = \"" + folder + "\"\nbackup_every = \"24h\"\nbackup_keep = 2\n"
	if err := os.WriteFile(pol, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CHANCERY_POLICY", pol)
	if err := os.MkdirAll(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-72 * time.Hour)
	for i := range 3 {
		os.WriteFile(filepath.Join(folder, backup.FileName(old.Add(time.Duration(i)*time.Hour))), nil, 0o600)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kb, err := openKB(ctx, filepath.Join(tmp, "kb"))
	if err != nil {
		t.Fatal(err)
	}
	defer kb.Close()
	shown := make(chan string, 4)
	done := make(chan struct{})
	go func() {
		kb.autoBackups(ctx, 0, func(s string) { shown <- s }, slog.New(slog.DiscardHandler))
		close(done)
	}()
	var said string
	select {
	case said = <-shown:
	case <-time.After(30 * time.Second):
		t.Fatal("no automatic backup")
	}
	cancel()
	<-done
	if !strings.HasPrefix(said, "Backed up at ") {
		t.Errorf("status line: %q", said)
	}
	names, _ := backup.List(folder)
	if len(names) != 2 {
		t.Fatalf("the folder holds %q, want the newest 2", names)
	}
	if _, problems, err := backup.Verify(context.Background(), names[1], backup.Keys{Identities: id.String()}, nil); err != nil || len(problems) > 0 {
		t.Errorf("the automatic backup does not open with the recovery key: %q, %v", problems, err)
	}
}
