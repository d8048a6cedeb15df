package search

import "chancery/store"

// The index is opened on a *store.DB (cmd/chancery): it must stay a Source.
var _ Source = (*store.DB)(nil)
