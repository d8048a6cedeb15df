// Package teamsync shares one knowledge base between the desks of a team through storage
// the ministry already runs (S3 or WebDAV), used as a dumb mailbox: each desk keeps its own
// store and index as its working copy and exchanges encrypted, signed bundles of changes.
//
// The protocol is written down here before the code (issue 16); see Remote for the
// storage contract every remote meets.
package teamsync
