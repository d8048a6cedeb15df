package main

import (
	"context"
	"fmt"

	"chancery/cmd/chancery/policy"
	"chancery/store/teamsync"
)

// openNetRemote makes an S3 or WebDAV remote. The remotes are built on their own branch
// (store/teamsync/s3remote, store/teamsync/davremote); until they are merged, a policy
// naming one is refused in words.
func openNetRemote(_ context.Context, sp policy.Sync, _ policy.SyncCredentials) (teamsync.Remote, error) {
	return nil, fmt.Errorf("team sync: the %s remote: %w (use remote = \"dir\" for a shared folder)", sp.Remote, errNoNetRemote)
}
