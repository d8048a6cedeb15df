package store

import (
	"context"
	"strings"
	"testing"
)

// TestDocumentStatusCountsByIndex checks that counting and listing the documents of one
// import status reads the status index, not every document's row (whose body comes before
// data), and that the counts are right.
func TestDocumentStatusCountsByIndex(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for i, st := range []string{StatusOK, StatusOK, StatusEmpty, StatusFailed, StatusOK} {
		if _, err := db.Save(ctx, Item{Kind: KindDocument, Title: "Statement " + string(rune('A'+i)), Body: strings.Repeat("text ", 2000),
			Document: &Document{Status: st}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Save(ctx, Item{Kind: KindNote, Title: "A note"}); err != nil {
		t.Fatal(err)
	}
	for st, want := range map[string]int{StatusOK: 3, StatusEmpty: 1, StatusFailed: 1, "": 5} {
		opt := ListOptions{Kind: KindDocument, Status: st}
		if n, err := db.Count(ctx, opt); err != nil || n != want {
			t.Errorf("count of %q: %d, %v; want %d", st, n, err, want)
		}
		if st == "" {
			continue
		}
		where, args := listWhere(opt)
		rows, err := db.sql.QueryContext(ctx, "EXPLAIN QUERY PLAN SELECT count(*) FROM items i WHERE "+where, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "items_doc_status") {
			t.Errorf("counting %q documents: %s; want the items_doc_status index", st, p)
		}
	}
}
