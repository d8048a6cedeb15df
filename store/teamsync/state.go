package teamsync

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"chancery/store"
)

// deskCursor is how far a desk's bundles were applied here.
type deskCursor struct {
	Number int64  `json:"number"`
	Hash   string `json:"hash"`
}

// state is what sync remembers between rounds (see "Crash safety" in the package doc).
type state struct {
	Remote    string                `json:"remote"`
	Team      string                `json:"team"`
	Number    int64                 `json:"number"` // this desk's last bundle
	Hash      string                `json:"hash"`
	Pushed    int64                 `json:"pushed"` // the last change sequence pushed
	Desks     map[string]deskCursor `json:"desks"`
	Shared    map[string]string     `json:"shared"` // item ID → ContentHash the remote holds
	Originals map[string]bool       `json:"originals"`
	LastSync  time.Time             `json:"last_sync"`
	LastError string                `json:"last_error,omitempty"`
	Problems  map[string]string     `json:"problems,omitempty"` // desk ID → problem
}

// stateKey is where the state of sync with remote is kept in the store's sync state.
func stateKey(remote Remote) string { return "teamsync " + remote.String() }

// loadState reads the cursors from the knowledge base itself (store.DB.SyncState), so
// that they always match the store they count (a restored backup brings its own).
func loadState(ctx context.Context, db *store.DB, key string) (*state, error) {
	st := &state{}
	data, err := db.SyncState(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("teamsync: read the sync state: %w", err)
	}
	if data != "" {
		if err := json.Unmarshal([]byte(data), st); err != nil {
			return nil, fmt.Errorf("teamsync: the sync state %q is damaged (%v)", key, err)
		}
	}
	if st.Desks == nil {
		st.Desks = map[string]deskCursor{}
	}
	if st.Shared == nil {
		st.Shared = map[string]string{}
	}
	if st.Originals == nil {
		st.Originals = map[string]bool{}
	}
	if st.Problems == nil {
		st.Problems = map[string]string{}
	}
	return st, nil
}

func (st *state) encode() string {
	b, _ := json.Marshal(st)
	return string(b)
}

// save writes the state into the store (one transaction).
func (st *state) save(ctx context.Context, db *store.DB, key string) error {
	if err := db.SetSyncState(ctx, key, st.encode()); err != nil {
		return fmt.Errorf("teamsync: write the sync state: %w", err)
	}
	return nil
}
