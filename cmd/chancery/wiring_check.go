package main

import (
	"chancery/search"
	"chancery/store"
	"chancery/ui"
)

// The composition root hands the store and the index to the window as the interfaces ui
// declares (gui.go). These fail the build, not the start, when one of them stops
// satisfying its interface; Memory especially, which the window finds by a type assertion
// on Library (a *store.DB that lost a method would silently remember nothing).
var (
	_ ui.Items    = (*store.DB)(nil)
	_ ui.Library  = (*store.DB)(nil)
	_ ui.Memory   = (*store.DB)(nil)
	_ ui.Searcher = (*search.Index)(nil)
)
