package teamsync_test

import (
	"path/filepath"
	"testing"

	"chancery/store/teamsync"
	"chancery/store/teamsync/remotetest"
)

// TestDirRemoteConformance: the folder remote meets the Remote contract.
func TestDirRemoteConformance(t *testing.T) {
	remotetest.Run(t, func(t *testing.T) teamsync.Remote {
		r, err := teamsync.NewDirRemote(filepath.Join(t.TempDir(), "remote"))
		if err != nil {
			t.Fatal(err)
		}
		return r
	})
}
