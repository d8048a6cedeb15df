package ui

import (
	"context"
	"slices"
	"testing"

	"chancery/store"
)

// TestNewItemsAndImportsStartAtTheDefaultMarking: under a policy's default marking, a new
// item starts at it (not the lowest), and the import asks for a marking, offering that
// default, and imports with the one chosen.
func TestNewItemsAndImportsStartAtTheDefaultMarking(t *testing.T) {
	k := openTestKBWith(t, t.TempDir(), store.Options{DefaultClass: "RESTRICTED"})
	deps := k.deps()
	got := make(chan string, 1)
	deps.Import = func(_ context.Context, _ []string, class string, _ ImportProgress) (store.ImportReport, error) {
		got <- class
		return store.ImportReport{}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)

	mw.browse.pane.newItem(store.KindNote)
	if c := mw.browse.pane.ed.class.Text; c != "RESTRICTED" {
		t.Errorf("a new note starts marked %q, want the policy's default RESTRICTED", c)
	}
	mw.browse.pane.leaveEditor()

	p := mw.imports
	p.ask([]string{t.TempDir()})
	if p.marking == nil || p.marking.Selected != "RESTRICTED" {
		t.Fatalf("the import's marking choice: %v, want RESTRICTED offered first", p.marking)
	}
	p.marking.SetSelected("CONFIDENTIAL")
	p.onAsked(true)
	if c := <-got; c != "CONFIDENTIAL" {
		t.Errorf("imported with marking %q, want the one chosen, CONFIDENTIAL", c)
	}
}

// L7 with a ceiling: the import's marking choice offers nothing above the highest marking
// allowed here (such an import would only be refused, file by file).
func TestImportMarkingChoiceStopsAtTheCeiling(t *testing.T) {
	k := openTestKBWith(t, t.TempDir(), store.Options{MaxClass: "RESTRICTED"})
	deps := k.deps()
	deps.Import = func(context.Context, []string, string, ImportProgress) (store.ImportReport, error) {
		return store.ImportReport{}, nil
	}
	mw, l := openWindow(t, deps)
	waitReady(t, mw, l)
	p := mw.imports
	p.ask([]string{t.TempDir()})
	if p.marking == nil {
		t.Fatal("no marking asked for")
	}
	if got := p.marking.Options; !slices.Equal(got, []string{"UNCLASSIFIED", "RESTRICTED"}) {
		t.Errorf("markings offered under a RESTRICTED ceiling: %v", got)
	}
}
