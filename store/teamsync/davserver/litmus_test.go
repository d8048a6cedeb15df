package davserver_test

import (
	"testing"

	"chancery/store/teamsync/remotetest"
)

// davserver against litmus: the suites Chancery relies on pass. Not run: props
// (x/net/webdav's Dir keeps no dead properties: PROPPATCH is 403) and locks (the PUT shim
// does not enforce WebDAV locks; Chancery never takes them).
func TestLitmus(t *testing.T) {
	s := remotetest.StartGoDAV(t)
	for _, line := range remotetest.Litmus(t, s, "basic copymove http") {
		t.Log(line)
	}
}
