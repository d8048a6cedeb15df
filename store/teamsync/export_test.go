package teamsync

// RandomOfflineEdits is randomOfflineEdits for the tests of the real servers
// (servers_test.go, package teamsync_test, which may import the remotes).
var RandomOfflineEdits = randomOfflineEdits
