package store_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/store"
)

// auditRows lists the trail, failing the test on error.
func auditRows(t *testing.T, db *store.DB, f store.AuditFilter) []store.AuditEntry {
	t.Helper()
	rows, err := db.AuditLog(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// verifyOK fails the test unless the trail is unbroken and anchored.
func verifyOK(t *testing.T, db *store.DB) store.AuditReport {
	t.Helper()
	r, err := db.VerifyAudit(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !r.OK() || (r.Rows > 0 && !r.Anchored) {
		t.Fatalf("trail not verified: %+v", r)
	}
	return r
}

func TestAuditAppendsAChain(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if r := verifyOK(t, db); r.Rows != 0 {
		t.Fatalf("a new knowledge base has %d audit rows", r.Rows)
	}
	for i, ev := range []store.AuditEvent{
		{Action: store.AuditExport, Subject: "brief-1", Detail: "to pack.pdf up to RESTRICTED", Marking: "RESTRICTED"},
		{Action: store.AuditImport, Subject: "notes/", Detail: "12 items"},
		{Action: store.AuditBackup, Subject: "backup.age", Actor: "cron"},
	} {
		if err := db.Audit(ctx, ev); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
	if err := db.Audit(ctx, store.AuditEvent{}); err == nil {
		t.Error("an event without an action was recorded")
	}
	rows := auditRows(t, db, store.AuditFilter{})
	if len(rows) != 3 {
		t.Fatalf("%d rows, want 3", len(rows))
	}
	for i, e := range rows {
		if e.Seq != int64(i+1) || e.Time.IsZero() || e.Actor == "" || len(e.Hash) != 64 {
			t.Errorf("row %d: %+v", i, e)
		}
		if i > 0 && e.Prev != rows[i-1].Hash {
			t.Errorf("row %d does not chain to row %d", e.Seq, i)
		}
	}
	if rows[0].Prev != "" || rows[2].Actor != "cron" || rows[0].Marking != "RESTRICTED" {
		t.Errorf("rows: %+v", rows)
	}
	if got := auditRows(t, db, store.AuditFilter{Action: store.AuditImport}); len(got) != 1 || got[0].Subject != "notes/" {
		t.Errorf("filter by action: %+v", got)
	}
	if got := auditRows(t, db, store.AuditFilter{After: 1, Limit: 1}); len(got) != 1 || got[0].Seq != 2 {
		t.Errorf("after 1, limit 1: %+v", got)
	}
	r := verifyOK(t, db)
	if r.Rows != 3 || r.Head != 3 || r.HeadHash != rows[2].Hash {
		t.Errorf("report: %+v", r)
	}
}

func TestAuditRecordsPurge(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if n, err := db.EmptyTrash(ctx); err != nil || n != 0 {
		t.Fatal(n, err)
	}
	if rows := auditRows(t, db, store.AuditFilter{}); len(rows) != 0 {
		t.Errorf("emptying an empty trash recorded %+v", rows)
	}
	secret, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Zanzibarquokka plan", Class: "SECRET"})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Plain"})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{secret.ID, plain.ID} {
		if err := db.Delete(ctx, id); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.EmptyTrash(ctx); err != nil || n != 2 {
		t.Fatal(n, err)
	}
	rows := auditRows(t, db, store.AuditFilter{Action: store.AuditPurge})
	if len(rows) != 1 {
		t.Fatalf("purge rows: %+v", rows)
	}
	e := rows[0]
	if e.Marking != "SECRET" || !strings.Contains(e.Detail, "2 items") || !strings.Contains(e.Detail, secret.ID) || !strings.Contains(e.Detail, plain.ID) {
		t.Errorf("purge row: %+v", e)
	}
	if strings.Contains(e.Detail, "Zanzibarquokka") {
		t.Errorf("the purge row keeps a purged title: %q", e.Detail)
	}
	verifyOK(t, db)
}

func TestAuditRecordsLoweredMarking(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	it, err := db.Save(ctx, store.Item{Kind: store.KindNote, Title: "Depot", Class: "CONFIDENTIAL"})
	if err != nil {
		t.Fatal(err)
	}
	it.Class = "SECRET" // raised: not recorded
	if it, err = db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	it.Class = "RESTRICTED"
	if it, err = db.Save(ctx, it); err != nil {
		t.Fatal(err)
	}
	rows := auditRows(t, db, store.AuditFilter{})
	if len(rows) != 1 || rows[0].Action != store.AuditLowered || rows[0].Subject != it.ID || rows[0].Marking != "RESTRICTED" ||
		!strings.Contains(rows[0].Detail, "from SECRET to RESTRICTED") {
		t.Fatalf("rows: %+v", rows)
	}
	// A save that fails records nothing: the audit row is in its transaction.
	it.Class = "UNCLASSIFIED"
	other := store.Item{Kind: store.KindNote, Title: "Bad", Class: "NO-SUCH-MARKING"}
	if _, err := db.SaveAll(ctx, []store.Item{it, other}); err == nil {
		t.Fatal("a save with an unknown marking succeeded")
	}
	if rows := auditRows(t, db, store.AuditFilter{}); len(rows) != 1 {
		t.Errorf("a failed save left audit rows: %+v", rows)
	}
	verifyOK(t, db)
}

func TestAuditRecordsOptionsChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(opt store.Options) []store.AuditEntry {
		t.Helper()
		db, err := store.OpenWith(ctx, dir, opt)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		verifyOK(t, db)
		return auditRows(t, db, store.AuditFilter{Action: store.AuditOptions})
	}
	if rows := open(store.Options{MaxClass: "SECRET"}); len(rows) != 1 || !strings.Contains(rows[0].Detail, "highest marking allowed SECRET") {
		t.Fatalf("first start: %+v", rows)
	}
	if rows := open(store.Options{MaxClass: "SECRET"}); len(rows) != 1 {
		t.Fatalf("the same options recorded again: %+v", rows)
	}
	rows := open(store.Options{MaxClass: "RESTRICTED", DefaultClass: "RESTRICTED"})
	if len(rows) != 2 {
		t.Fatalf("a lowered ceiling: %+v", rows)
	}
	if d := rows[1].Detail; !strings.Contains(d, "was: scheme UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET; highest marking allowed SECRET") ||
		!strings.Contains(d, "now: scheme UNCLASSIFIED < RESTRICTED < CONFIDENTIAL < SECRET; highest marking allowed RESTRICTED; default marking RESTRICTED") {
		t.Errorf("detail: %s", d)
	}
	if rows := open(store.Options{Classes: []string{"PUBLIC", "UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}, MaxClass: "RESTRICTED", DefaultClass: "RESTRICTED"}); len(rows) != 3 || !strings.Contains(rows[2].Detail, "now: scheme PUBLIC < UNCLASSIFIED") {
		t.Errorf("a new scheme: %+v", rows)
	}
}

// rawSQL runs statements on the database file directly, as a SQLite tool would, with the
// knowledge base closed.
func rawSQL(t *testing.T, dir string, stmts ...string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range stmts {
		if _, err := raw.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

// TestAuditFindsTampering changes, deletes and inserts rows with raw SQL on the file (the
// triggers that keep the trail append-only dropped first, as a SQLite tool can) and
// expects VerifyAudit to name the row.
func TestAuditFindsTampering(t *testing.T) {
	const untrigger = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete"
	for _, c := range []struct {
		name   string
		stmts  []string
		expect []string // in the problems, in words
	}{
		{"detail changed", []string{untrigger, "UPDATE audit SET detail = 'nothing to see' WHERE seq = 2"},
			[]string{"row 2 (export of brief-2", "was changed"}},
		{"actor changed", []string{untrigger, "UPDATE audit SET actor = 'someone else' WHERE seq = 1"},
			[]string{"row 1 (export of brief-1", "was changed"}},
		{"time changed", []string{untrigger, "UPDATE audit SET at = '2020-01-01T00:00:00.000000000Z' WHERE seq = 3"},
			[]string{"row 3", "was changed"}},
		{"hash recomputed by hand", []string{untrigger, "UPDATE audit SET hash = '" + strings.Repeat("ab", 32) + "' WHERE seq = 2"},
			[]string{"row 2", "was changed"}},
		{"middle row deleted", []string{untrigger, "DELETE FROM audit WHERE seq = 2"},
			[]string{"row 2 is missing", "row 3 (export of brief-3"}},
		{"first rows deleted", []string{untrigger, "DELETE FROM audit WHERE seq <= 2"},
			[]string{"rows 1 to 2 are missing"}},
		{"last row deleted", []string{untrigger, "DELETE FROM audit WHERE seq = 4"},
			[]string{"rows 4 to 4 are missing at the end"}},
		{"row inserted at the end", []string{"INSERT INTO audit(seq, at, action, subject, detail, actor, marking, prev, hash) SELECT 5, at, 'export', 'brief-9', '', actor, '', hash, hash FROM audit WHERE seq = 4"},
			[]string{"row 5 (export of brief-9", "was changed", "rows 5 to 5 were added"}},
		{"row inserted between", []string{untrigger, "UPDATE audit SET seq = seq + 10 WHERE seq >= 3", "INSERT INTO audit(seq, at, action, subject, detail, actor, marking, prev, hash) SELECT 3, at, 'import', 'x', '', actor, '', hash, hash FROM audit WHERE seq = 2"},
			[]string{"row 3 (import of x", "was changed", "rows 4 to 12 are missing"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			db, err := store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			for i := 1; i <= 4; i++ {
				if err := db.Audit(ctx, store.AuditEvent{Action: store.AuditExport, Subject: fmt.Sprintf("brief-%d", i)}); err != nil {
					t.Fatal(err)
				}
			}
			verifyOK(t, db)
			db.Close()
			rawSQL(t, dir, c.stmts...)
			db, err = store.Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			r, err := db.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			all := strings.Join(r.Problems, "\n")
			if r.OK() {
				t.Fatalf("tampering not found: %+v", r)
			}
			for _, want := range c.expect {
				if !strings.Contains(all, want) {
					t.Errorf("problems do not say %q:\n%s", want, all)
				}
			}
		})
	}
}

// TestAuditIsAppendOnly: the database itself refuses to change or delete a row.
func TestAuditIsAppendOnly(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Audit(ctx, store.AuditEvent{Action: store.AuditExport}); err != nil {
		t.Fatal(err)
	}
	db.Close()
	raw, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, s := range []string{"UPDATE audit SET detail = 'x'", "DELETE FROM audit"} {
		if _, err := raw.Exec(s); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", s, err)
		}
	}
}

// TestAuditHeadAfterACrash: a crash between the commit and the head file's update (the
// file still says "pending") is not taken for tampering; a missing head file is reported.
func TestAuditHeadAfterACrash(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for range 2 {
		if err := db.Audit(ctx, store.AuditEvent{Action: store.AuditImport}); err != nil {
			t.Fatal(err)
		}
	}
	rows := auditRows(t, db, store.AuditFilter{})
	head := filepath.Join(dir, store.AuditHeadName)
	// Committed, head file not yet updated.
	crash := fmt.Sprintf("committed 1 %s\npending 2 %s\n", rows[0].Hash, rows[1].Hash)
	if err := os.WriteFile(head, []byte(crash), 0o600); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	// Not committed: the pending row never made it.
	crash = fmt.Sprintf("committed 2 %s\npending 3 %s\n", rows[1].Hash, strings.Repeat("0", 64))
	if err := os.WriteFile(head, []byte(crash), 0o600); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
	if err := os.Remove(head); err != nil {
		t.Fatal(err)
	}
	r, err := db.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r.OK() || !r.HeadMissing || !strings.Contains(strings.Join(r.Problems, ""), store.AuditHeadName+" beside the database is missing") {
		t.Errorf("a missing head: %+v", r)
	}
	// The next event writes the head again.
	if err := db.Audit(ctx, store.AuditEvent{Action: store.AuditImport}); err != nil {
		t.Fatal(err)
	}
	verifyOK(t, db)
}

// TestAuditConcurrentWriters: events recorded from many goroutines at once chain without
// a gap, and the head file ends at the last row.
func TestAuditConcurrentWriters(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	errs := make(chan error, 40)
	for i := range 40 {
		go func() { errs <- db.Audit(ctx, store.AuditEvent{Action: store.AuditExport, Subject: fmt.Sprint(i)}) }()
	}
	for range 40 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if r := verifyOK(t, db); r.Rows != 40 || r.Head != 40 {
		t.Errorf("report: %+v", r)
	}
}
