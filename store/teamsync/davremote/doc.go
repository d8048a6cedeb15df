// Package davremote is a teamsync.Remote on a WebDAV collection (Nextcloud, Apache
// mod_dav, davserver), in plain net/http.
//
// An object "a/b/c" is the resource URL+"a/b/c". Create is a PUT with "If-None-Match: *":
// 201/204 is created, 412 is teamsync.ErrExists; a 409 (parent collection missing) makes the
// folders with MKCOL and tries the PUT once more. Get is a GET (404 is teamsync.ErrNotFound;
// a body cut short is an error). List walks the collections under the prefix with PROPFIND
// Depth 1. The credentials go only into each request's Authorization header (Basic), never
// into String() or an error.
//
// An empty or unreadable remote never looks like "no objects": a 404 on the remote's own
// collection, any status other than 207 to a PROPFIND, or an answer that is not a WebDAV
// multistatus describing the folder asked for is an error. A sub-folder that is not there
// (a desk that has not written yet) is empty, once the collection itself is checked.
//
// Timeouts: connecting and the first byte of an answer are bounded by DialTimeout and
// HeaderTimeout, a whole request by RequestTimeout; the caller's context bounds it further.
//
// What servers do with the conditional create (observed, December 2026):
//   - Debian's apache2 2.4.71, mod_dav + mod_dav_fs: a PUT with "If-None-Match: *" on an
//     existing resource gets 412; litmus 0.13 passes 104 of 104 (basic, copymove, props,
//     locks, http; two warnings). But the check is not atomic with the write: of 16
//     concurrent conditional PUTs of one new 2 MB name, 2 or 3 got 201 in 4 of 8 rounds. A cut
//     upload leaves nothing (mod_dav_fs stages the body in a ".davfs.tmp…" file beside the
//     target, hidden from PROPFIND, and renames it when complete).
//   - golang.org/x/net/webdav v0.63.0 ignores If-None-Match on PUT and writes in place;
//     store/teamsync/davserver puts a shim in front that makes the conditional create
//     atomic (link(2)) and the upload all-or-nothing. The conformance suite runs whole
//     against davserver, and against Apache without its concurrent-create part.
//
// Why that is still safe for sync: each desk writes only under its own prefix, one
// process per desk, so two writers of one name happen only when a desk re-uploads after
// a crash; the sync engine must read a name it finds taken (ErrExists, or an error from a
// Create whose answer was lost) back before it trusts it.
package davremote
