package main

import (
	"context"
	"fmt"

	"chancery/cmd/chancery/policy"
	"chancery/store/teamsync"
	"chancery/store/teamsync/davremote"
	"chancery/store/teamsync/s3remote"
)

// openNetRemote makes the S3 or WebDAV remote the policy names, with the credentials
// from the environment or the policy's credentials file.
func openNetRemote(ctx context.Context, sp policy.Sync, creds policy.SyncCredentials) (teamsync.Remote, error) {
	switch sp.Remote {
	case "s3":
		r, err := s3remote.New(ctx, s3remote.Config{Endpoint: sp.Endpoint, Region: sp.Region, Bucket: sp.Bucket, Prefix: sp.Prefix,
			AccessKey: creds.AccessKey, SecretKey: creds.SecretKey})
		if err != nil {
			return nil, fmt.Errorf("team sync: %w", err)
		}
		return r, nil
	case "webdav":
		r, err := davremote.New(davremote.Config{URL: sp.Endpoint, User: creds.User, Password: creds.Password})
		if err != nil {
			return nil, fmt.Errorf("team sync: %w", err)
		}
		return r, nil
	}
	return nil, fmt.Errorf("team sync: the %s remote: %w", sp.Remote, errNoNetRemote)
}
