package teamsync

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// StateFile is the name of the sync cursors' file in the key folder.
const StateFile = "teamsync.state"

// deskCursor is how far a desk's bundles were applied here.
type deskCursor struct {
	Number int64  `json:"number"`
	Hash   string `json:"hash"`
}

// state is what sync remembers between rounds (see "Crash safety" in the package doc).
type state struct {
	Remote     string                `json:"remote"`
	Team       string                `json:"team"`
	Number     int64                 `json:"number"` // this desk's last bundle
	Hash       string                `json:"hash"`
	Pushed     int64                 `json:"pushed"` // the last change sequence pushed
	Desks      map[string]deskCursor `json:"desks"`
	Shared     map[string]string     `json:"shared"` // item ID → ContentHash the remote holds
	Originals  map[string]bool       `json:"originals"`
	LastSync   time.Time             `json:"last_sync"`
	LastError  string                `json:"last_error,omitempty"`
	Problems   map[string]string     `json:"problems,omitempty"` // desk ID → problem
	KeyWritten bool                  `json:"key_written"`
}

func loadState(dir string) (*state, error) {
	path := filepath.Join(dir, StateFile)
	st := &state{}
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("teamsync: read the sync state %s: %w", path, err)
	default:
		if err := json.Unmarshal(data, st); err != nil {
			return nil, fmt.Errorf("teamsync: the sync state %s is damaged (%v); move it aside to start again from the remote", path, err)
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

// save writes the state to a temporary file, syncs it and renames it into place.
func (st *state) save(dir string) error {
	path := filepath.Join(dir, StateFile)
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("teamsync: write the sync state: %w", err)
	}
	f, err := os.CreateTemp(dir, StateFile+".*.tmp")
	if err != nil {
		return fmt.Errorf("teamsync: write the sync state %s: %w", path, err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o600)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("teamsync: write the sync state %s: %w", path, err)
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
