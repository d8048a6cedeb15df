package teamsync_test

import (
	"context"
	"testing"

	"chancery/store/teamsync"
)

// TestValidName: the protocol's names pass, names that could leave the remote's folder or
// prefix do not, and the folder remote refuses them (and its own temporary files' names).
func TestValidName(t *testing.T) {
	for _, ok := range []string{"team.json", "desks/d-01/000000000001.bundle", "originals/0a1b2c", "desks/A_b.c-d/key"} {
		if err := teamsync.ValidName(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	dir, err := teamsync.NewDirRemote(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "/team.json", "desks//key", "desks/../x", "./team.json", `desks\key`, "desks/key ", "dé/key", "desks/"} {
		if err := teamsync.ValidName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
		if err := dir.Create(context.Background(), bad, []byte("x")); err == nil {
			t.Errorf("the folder remote created %q", bad)
		}
	}
	if err := dir.Create(context.Background(), "desks/.tmp-1", []byte("x")); err == nil {
		t.Error("the folder remote created an object named as its temporary files")
	}
}
