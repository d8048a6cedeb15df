package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"time"

	"chancery/store"

	"fyne.io/fyne/v2"
)

// What the window remembers between runs about a knowledge base (the place shown, the
// item open there, the last search) is kept in that knowledge base, through Memory (the
// store's settings table, in the data folder): never in Fyne's preferences, which live in
// the user's profile (roaming on Windows) and would carry queries and item IDs off the
// machine. Fyne's preferences keep only the window's size and layout, and the theme.
// Under a policy with remember_searches = false (Deps.ForgetSearches) nothing of a search
// is kept: not its text, not the item opened from it.

// Memory keeps small facts in the knowledge base: *store.DB is one.
type Memory interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
}

// Keys of what is remembered, in the knowledge base's settings.
const (
	memPlace = "ui.place" // the navigation place: "search", "kind:note", "tag:oil-spill"...
	memItem  = "ui.item"  // the item open there
	memQuery = "ui.query" // the last search
)

// rememberTimeout bounds reading or writing what is remembered.
const rememberTimeout = 5 * time.Second

// remembered is where the last session was.
type remembered struct {
	place       place
	item, query string
}

// recall reads where the last session was (off the UI goroutine). A fact not found is
// empty.
func recall(ctx context.Context, mem Memory, forgetSearches bool) (remembered, error) {
	var r remembered
	var where string
	for _, f := range []struct {
		key string
		to  *string
	}{{memPlace, &where}, {memItem, &r.item}, {memQuery, &r.query}} {
		v, err := mem.Setting(ctx, f.key)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return remembered{}, err
		}
		*f.to = v
	}
	r.place = searchPlace // when none is remembered, or one this version does not know
	if p, ok := parsePlace(where); ok {
		r.place = p
	}
	if forgetSearches {
		r = r.withoutSearch()
	}
	return r, nil
}

// withoutSearch is r keeping nothing of a search: not its text, not the item opened from it.
func (r remembered) withoutSearch() remembered {
	r.query = ""
	if r.place == searchPlace {
		r.item = ""
	}
	return r
}

// keep writes where the window is (off the UI goroutine). Under forgetSearches the search
// and the item opened from it are written empty, wiping what an earlier run kept.
func keep(ctx context.Context, mem Memory, r remembered, forgetSearches bool) error {
	if forgetSearches {
		r = r.withoutSearch()
	}
	for _, kv := range [][2]string{{memPlace, r.place.String()}, {memItem, r.item}, {memQuery, r.query}} {
		if err := mem.SetSetting(ctx, kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// legacyPrefs are the preferences earlier versions kept per knowledge base (name@folder):
// they are removed when the window opens.
var legacyPrefs = []string{"place", "item", "query"}

// removeLegacyPrefs removes what earlier versions remembered of the knowledge base in
// dataDir in Fyne's preferences.
func removeLegacyPrefs(p fyne.Preferences, dataDir string) {
	for _, name := range legacyPrefs {
		p.RemoveValue(name + "@" + dataDir)
		p.RemoveValue(name)
	}
}

// restorePlace goes to the search at once, then (once read from the knowledge base) to
// where the last session was: the place, its search, its item, unless the person has
// gone elsewhere meanwhile.
func (mw *mainWindow) restorePlace() {
	mw.goTo(searchPlace)
	mem := mw.deps.Memory
	if mem == nil {
		return
	}
	go func() {
		ctx, cancel := context.WithTimeout(mw.ctx, rememberTimeout)
		defer cancel()
		r, err := recall(ctx, mem, mw.deps.ForgetSearches)
		if mw.ctx.Err() != nil {
			return
		}
		mw.do(func() {
			if err != nil {
				mw.log.Warn("read where the last session was", "err", errKind(err))
				return
			}
			if mw.ctx.Err() != nil || mw.place != searchPlace || mw.search.entry.Text != "" || mw.search.pane.has {
				return // the person has moved on
			}
			mw.showRemembered(r)
		})
	}()
}

// showRemembered goes to the place r names, with its search and item.
func (mw *mainWindow) showRemembered(r remembered) {
	if r.place == searchPlace {
		if r.query != "" {
			mw.search.entry.SetText(r.query)
		}
		if r.item != "" {
			mw.search.pane.open(r.item)
		}
		return
	}
	mw.openAt(r.place, r.item)
}

// remember writes where the window is into the knowledge base, off the UI goroutine;
// onClosed waits for it before the store is closed.
func (mw *mainWindow) remember() {
	mem := mw.deps.Memory
	if mem == nil {
		return
	}
	r := remembered{place: mw.place, query: mw.search.entry.Text}
	if pane := mw.pane(); pane.has {
		r.item = pane.item.ID
	}
	done := make(chan struct{})
	mw.remembering = done
	forget := mw.deps.ForgetSearches
	go func() {
		defer close(done)
		ctx, cancel := context.WithTimeout(context.Background(), rememberTimeout)
		defer cancel()
		if err := keep(ctx, mem, r, forget); err != nil {
			mw.log.Warn("remember where the window was", "err", errKind(err))
		}
	}()
}

// waitRemembered waits (a little at most) for remember to finish.
func (mw *mainWindow) waitRemembered() {
	if mw.remembering == nil {
		return
	}
	select {
	case <-mw.remembering:
	case <-time.After(rememberTimeout):
	}
}

// errKind names the kind of err for the log. Error texts may quote what was searched or
// the paths of the files imported, and logs must carry neither: they say what went wrong
// in kind, with counts.
func errKind(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.Canceled):
		return "cancelled"
	case errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.Is(err, syscall.ENOSPC):
		return "disk full"
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, store.ErrNotFound):
		return "not found"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, store.ErrConflict):
		return "conflict"
	case errors.Is(err, store.ErrAboveCeiling):
		return "above the ceiling"
	case errors.Is(err, store.ErrInvalid):
		return "invalid item"
	case errors.Is(err, store.ErrLocked):
		return "locked"
	}
	// The innermost error's type names its kind without its text.
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", err), "*")
}
