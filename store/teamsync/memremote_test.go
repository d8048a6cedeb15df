package teamsync_test

import (
	"testing"

	"chancery/store/teamsync"
	"chancery/store/teamsync/remotetest"
)

func TestMemRemoteConformance(t *testing.T) {
	remotetest.Run(t, func(t *testing.T) teamsync.Remote { return teamsync.NewMemRemote("memory") })
}
