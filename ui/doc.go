// Package ui is Chancery's desktop interface, built with Fyne. It owns the windows, their
// screens and dialogs, and nothing else: no data lives here that the store does not hold.
//
// # Boundaries
//
// The package talks to the knowledge base only through the small interfaces it declares
// itself (Items, Searcher) and the functions in Deps (IsEmpty, LoadDemo, Sync). It uses the
// store's and the search index's value types (store.Item, search.Result...) but never opens,
// closes or configures either: cmd/chancery is the composition root that does, and hands the
// open parts to NewMainWindow. Only this package and cmd import Fyne; no Fyne type leaves it
// except the fyne.Window NewMainWindow returns.
//
// # Threading
//
// Every Fyne callback runs on the one UI goroutine, and widgets are touched only there.
// I/O never runs on it: a handler (onXxx) starts a goroutine that does the work (a search, a
// read from the store) and hands the result back with fyne.Do, where a show method updates
// the widgets. Work that a newer request makes pointless is cancelled through its context,
// and results that arrive late anyway are recognised by a generation number and dropped.
// So the screen's own fields (the hits, the generation, the selection) are only read and
// written on the UI goroutine and need no locks.
//
// # Screens
//
// One file per screen. A screen is a struct holding its widgets and dependencies, built by
// a constructor (newSearchScreen), with onXxx methods as handlers:
//
//   - search.go: the main window's search screen: query box, status line, facet filters,
//     the result list and, beside it, the open item (itemview.go).
//   - itemview.go: the open item beside the results (part of the search screen).
//   - firststart.go: the offer to load the example knowledge base into an empty one.
//   - app.go: the interfaces and Deps, the main window, its menu and keyboard shortcuts,
//     and the index status ticker.
//   - style.go: classification colours and badges, and how counts, dates and snippets are
//     written.
//
// Classification markings are always visible: a coloured badge on every result row and a
// full-width banner above the open item (UNCLASSIFIED green, RESTRICTED amber, CONFIDENTIAL
// orange, SECRET red; grey for markings of another scheme).
package ui
