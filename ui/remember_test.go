package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"chancery/store"
)

// prefValues is every key and value in the app's Fyne preferences, as text.
func prefValues(t *testing.T, a fyne.App) string {
	t.Helper()
	r, ok := a.Preferences().(interface{ ReadValues(func(map[string]any)) })
	if !ok {
		t.Fatalf("the test app's preferences cannot be listed")
	}
	var b strings.Builder
	r.ReadValues(func(m map[string]any) {
		for k, v := range m {
			b.WriteString(k)
			b.WriteString(" = ")
			b.WriteString(strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(fmtAny(v), "\n", " "), "\r", " ")))
			b.WriteString("\n")
		}
	})
	return b.String()
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case []string:
		return strings.Join(v, " ")
	}
	return ""
}

// dataFolderHolds tells whether any file in dir holds s.
func dataFolderHolds(t *testing.T, dir, s string) bool {
	t.Helper()
	found := false
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if bytes.Contains(data, []byte(s)) {
			found = true
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// The last search, the place and the item open are remembered in the knowledge base's
// data folder, never in Fyne's preferences (the roaming profile on Windows); a policy
// saying remember_searches = false keeps nothing of the search anywhere.
func TestSearchIsRememberedInTheDataFolderOnly(t *testing.T) {
	const query = "Lokoja zanzibarquux OR Lokoja"
	for _, forget := range []bool{false, true} {
		name := "remembered"
		if forget {
			name = "policy forgets"
		}
		t.Run(name, func(t *testing.T) {
			k := openTestKB(t, riverItems()...)
			deps := k.deps()
			deps.ForgetSearches = forget
			a := test.NewTempApp(t)
			// What an earlier version wrote into the preferences is removed.
			a.Preferences().SetString("query@"+k.db.Dir(), "an earlier secret search")
			a.Preferences().SetString("item@"+k.db.Dir(), "t-doc")
			l := newUILoop(t)
			mw := newMainWindow(a, deps, l.do)
			mw.win.Show()
			waitReady(t, mw, l)
			typeQuery(t, mw, l, query)
			mw.search.list.Select(0)
			l.waitFor(t, "the note", func() bool { return viewTitle(mw.search.pane.view) == "Spill at the Lokoja depot" })
			mw.onCloseRequested()
			l.waitFor(t, "the window closed", func() bool { return mw.ctx.Err() != nil })

			prefs := prefValues(t, a)
			for _, leak := range []string{"zanzibarquux", "t-note", "Lokoja", "an earlier secret search", "t-doc", k.db.Dir()} {
				if strings.Contains(prefs, leak) {
					t.Errorf("Fyne's preferences hold %q:\n%s", leak, prefs)
				}
			}
			if got := dataFolderHolds(t, k.db.Dir(), "zanzibarquux"); got == forget {
				t.Errorf("the data folder holds the search: %v (policy forgets: %v)", got, forget)
			}

			// The next window on this knowledge base (another profile: fresh preferences)
			// comes back to the search and its item, unless the policy forgets.
			mem := &markedMemory{Memory: k.db, name: "recall"}
			deps.Memory = mem
			mw2, l2 := openWindow(t, deps)
			waitReady(t, mw2, l2)
			l2.waitFor(t, "the remembered place read", func() bool { return mem.reads.Load() > 0 })
			l2.waitGone(t, "the remembered place shown", "recall")
			if forget {
				if mw2.search.entry.Text != "" || mw2.search.pane.has {
					t.Errorf("the policy forgets searches, yet the window reopened on %q, item open %v", mw2.search.entry.Text, mw2.search.pane.has)
				}
				return
			}
			if mw2.search.entry.Text != query {
				t.Errorf("reopened with the search %q, want %q", mw2.search.entry.Text, query)
			}
			l2.waitFor(t, "the note again", func() bool { return viewTitle(mw2.search.pane.view) == "Spill at the Lokoja depot" })
		})
	}
}

// errKind names an error's kind without its text, which may quote a title, a query or a
// path.
func TestErrKindKeepsNoText(t *testing.T) {
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("%w: %q is marked SECRET; the highest marking allowed here is RESTRICTED", store.ErrAboveCeiling, "Cable 17 from Lagos"), "above the ceiling"},
		{fmt.Errorf("save %q: %w", "Cable 17 from Lagos", store.ErrConflict), "conflict"},
		{&fs.PathError{Op: "open", Path: "/home/desk/Cable 17 from Lagos.pdf", Err: syscall.EACCES}, "permission denied"},
		{fmt.Errorf("query %q: %w", "Cable 17 from Lagos", context.Canceled), "cancelled"},
		{fmt.Errorf("parse %q: %w", "Cable 17 from Lagos", errors.New("bad")), "errors.errorString"},
	}
	for _, tc := range tests {
		if got := errKind(tc.err); got != tc.want || strings.Contains(got, "Cable") {
			t.Errorf("errKind(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// Logs carry counts and kinds of error, never what was searched or the files imported.
func TestLogsHoldNoQueriesOrImportPaths(t *testing.T) {
	k := openTestKB(t, riverItems()...)
	var logged bytes.Buffer
	deps := k.deps()
	deps.Log = slog.New(slog.NewTextHandler(&logged, nil))
	secret := filepath.Join(t.TempDir(), "minister-private-notes.pdf")
	if err := os.WriteFile(secret, []byte("%PDF-1.4"), 0o600); err != nil {
		t.Fatal(err)
	}
	deps.Import = func(ctx context.Context, paths []string, class string, p ImportProgress) (store.ImportReport, error) {
		_, err := os.Open(filepath.Join(filepath.Dir(paths[0]), "gone", "minister-private-notes.pdf"))
		return store.ImportReport{Failed: []store.ImportFailure{{Path: paths[0], Err: err}}}, errors.Join(errors.New("import "+paths[0]), err)
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	mw.imports.start([]string{secret}, "")
	l.waitFor(t, "the import ended", func() bool { return !mw.imports.running })

	// A search the index fails to answer.
	if err := k.ix.Close(); err != nil {
		t.Fatal(err)
	}
	test.Type(mw.search.entry, "zanzibarquux")
	l.waitFor(t, "the search failed", func() bool { return strings.Contains(logged.String(), "search failed") })

	for _, leak := range []string{"minister-private-notes", filepath.Dir(secret), "zanzibarquux"} {
		if strings.Contains(logged.String(), leak) {
			t.Errorf("the log holds %q:\n%s", leak, logged.String())
		}
	}
}
