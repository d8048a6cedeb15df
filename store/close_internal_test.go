package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCloseWaitsForTheAuditHead: Close returns only once a commit under way has written
// the audit trail's head beside the database. A test that removed the folder as soon as
// Close returned once found the head file written into it afterwards ("directory not
// empty").
func TestCloseWaitsForTheAuditHead(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	it, err := db.Save(ctx, Item{Kind: KindNote, Title: "To purge"})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Delete(ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	reached, release := make(chan struct{}), make(chan struct{})
	afterAuditCommit = func() {
		close(reached)
		<-release
	}
	t.Cleanup(func() { afterAuditCommit = nil })
	purged := make(chan error, 1)
	go func() {
		_, err := db.EmptyTrash(ctx) // appends to the audit trail
		purged <- err
	}()
	<-reached // committed; its head not yet written
	afterAuditCommit = nil
	closed := make(chan error, 1)
	go func() { closed <- db.Close() }()
	select {
	case err := <-closed:
		t.Errorf("Close returned (%v) while a commit's audit head was still to be written", err)
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	// The purge commits, then checkpoints the database's log: the checkpoint may meet the
	// database closed, which fails only the checkpoint.
	if err := <-purged; err != nil && !strings.Contains(err.Error(), "database is closed") {
		t.Fatal(err)
	}
	if err := <-closed; err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, AuditHeadName))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "pending") {
		t.Errorf("the head file still says a commit is pending:\n%s", b)
	}
}
