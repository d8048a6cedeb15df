package ui

import (
	"context"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// docStatuses are the choices of the Documents' status filter, in order.
var docStatuses = []struct{ status, label, none string }{
	{"", "All", "No documents yet: import files with File > Import… (Ctrl+I), or drop them on the window."},
	{store.StatusOK, "Imported", "No document was imported with its text."},
	{store.StatusEmpty, "Without text", "No document lacks its text."},
	{store.StatusFailed, "Refused", "No document was refused."},
}

// statusFilter is the choice, beside the Documents' heading, that keeps documents of one
// import status (All, Imported, Without text, Refused), each with how many there are.
type statusFilter struct {
	sel     *widget.Select
	content fyne.CanvasObject
	status  string // "" for all, or a store.Status...
	counts  map[string]int
	quiet   bool
	changed func()
}

func newStatusFilter(changed func()) *statusFilter {
	f := &statusFilter{changed: changed}
	f.sel = widget.NewSelect(f.labels(), f.onChanged)
	f.sel.SetSelectedIndex(0)
	f.content = container.NewBorder(nil, nil, &widget.Label{Text: "Show", Importance: widget.LowImportance}, nil, f.sel)
	return f
}

// labels are the choices as shown: "Refused (3)" once the counts are known.
func (f *statusFilter) labels() []string {
	out := make([]string, len(docStatuses))
	for i, s := range docStatuses {
		out[i] = s.label
		if n, ok := f.counts[s.status]; ok {
			out[i] += " (" + thousands(n) + ")"
		}
	}
	return out
}

func (f *statusFilter) index() int {
	return slices.IndexFunc(docStatuses, func(s struct{ status, label, none string }) bool { return s.status == f.status })
}

func (f *statusFilter) onChanged(label string) {
	if f.quiet {
		return
	}
	if i := slices.Index(f.sel.Options, label); i >= 0 && docStatuses[i].status != f.status {
		f.status = docStatuses[i].status
		f.changed()
	}
}

// showCounts shows how many documents each choice keeps.
func (f *statusFilter) showCounts(counts map[string]int) {
	f.counts = counts
	f.sel.Options = f.labels()
	f.quiet = true
	f.sel.SetSelectedIndex(f.index())
	f.quiet = false
	f.sel.Refresh()
}

// note is what the Documents' heading adds to its count: how many were refused, while
// all are shown.
func (f *statusFilter) note() string {
	if n := f.counts[store.StatusFailed]; f.status == "" && n > 0 {
		return " · " + thousands(n) + " refused"
	}
	return ""
}

// emptyHint is what the list says when the choice keeps no document.
func (f *statusFilter) emptyHint() string { return docStatuses[f.index()].none }

// countStatuses counts the documents of each status ("" for all of them); off the UI
// goroutine.
func countStatuses(ctx context.Context, lib Library) (map[string]int, error) {
	counts := map[string]int{}
	for _, s := range docStatuses {
		n, err := lib.Count(ctx, store.ListOptions{Kind: store.KindDocument, Status: s.status})
		if err != nil {
			return nil, err
		}
		counts[s.status] = n
	}
	return counts, nil
}
