package store

import (
	"context"
	"database/sql"
	"io/fs"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// TestIncidentMigrationKeepsItems: a knowledge base made before incidents (schema up to the
// migration before 0004_incidents) keeps every item, tag, country, topic, link and revision
// when the items table is rebuilt to admit incidents, and then takes incidents.
func TestIncidentMigrationKeepsItems(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	names, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(names)
	sdb, err := sql.Open("sqlite", "file:"+uriPath(filepath.Join(dir, FileName))+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	version := 0
	for i, n := range names {
		if strings.HasSuffix(n, "_incidents.sql") { // whatever its number
			break
		}
		script, _ := migrations.ReadFile(n)
		if _, err := sdb.ExecContext(ctx, string(script)); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		version = i + 1
	}
	for _, q := range []string{
		"PRAGMA user_version = " + strconv.Itoa(version),
		`INSERT INTO items(id, kind, title, body, class, created, updated, seq) VALUES
			('a', 'note', 'Alpha', 'alpha body', 'RESTRICTED', 1, 2, 1), ('b', 'contact', 'Beta', '', 'UNCLASSIFIED', 1, 2, 2)`,
		"INSERT INTO item_tags VALUES ('a', 'oil')",
		"INSERT INTO item_countries VALUES ('a', 'GHA')",
		"INSERT INTO item_topics VALUES ('a', 'environment')",
		"INSERT INTO links VALUES ('a', 'b', 'mentions')",
		`INSERT INTO revisions VALUES ('a', 1, 2, '{"ID":"a","Kind":"note","Title":"Alpha0"}')`,
		"UPDATE counters SET value = 2 WHERE name = 'seq'",
	} {
		if _, err := sdb.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	sdb.Close()

	db, err := Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a, err := db.Get(ctx, "a")
	if err != nil {
		t.Fatal(err)
	}
	if a.Body != "alpha body" || a.Class != "RESTRICTED" || len(a.Tags) != 1 || len(a.Countries) != 1 || len(a.Topics) != 1 ||
		len(a.Links) != 1 || a.Links[0].To != "b" {
		t.Errorf("item after migration: %+v", a)
	}
	if revs, err := db.Revisions(ctx, "a"); err != nil || len(revs) != 1 || revs[0].Item.Title != "Alpha0" {
		t.Errorf("revisions after migration: %+v, %v", revs, err)
	}
	if bl, err := db.Backlinks(ctx, "b"); err != nil || len(bl) != 1 {
		t.Errorf("backlinks after migration: %+v, %v", bl, err)
	}
	if problems, err := db.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("Check after migration: %v, %v", problems, err)
	}
	inc, err := db.Save(ctx, Item{Kind: KindIncident, Title: "Spill", Incident: &Incident{Affected: []string{"GHA"}}})
	if err != nil {
		t.Fatal(err)
	}
	// Purging still cascades through the rebuilt tables.
	if err := db.Delete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.EmptyTrash(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM item_tags) + (SELECT count(*) FROM links) + (SELECT count(*) FROM revisions)").Scan(&n); err != nil || n != 0 {
		t.Errorf("rows left after purging: %d, %v", n, err)
	}
	if _, err := db.Get(ctx, inc.ID); err != nil {
		t.Error(err)
	}
}
