// Package teamsync shares one knowledge base between the desks of a team through storage
// the ministry already runs (S3 or WebDAV, or a shared folder), used as a dumb mailbox:
// each desk keeps its own store and index as its working copy and exchanges encrypted,
// signed bundles of changes. There is no server of ours, no lock file, and no object
// written by two desks.
//
// The protocol is written down here before the code (issue 16); see Remote for the
// storage contract every remote meets (create-once objects, get, list).
//
// # Desks and the team
//
// A desk is one knowledge base (one data folder). On its first sync it makes its
// identity (Identity): an ed25519 signing key (crypto/ed25519) and an age X25519
// identity, kept in the file "teamsync.key" in the key folder (the data folder), mode
// 0600 (a key file readable by others is refused), never in the knowledge base. Its desk ID is the first 16 bytes, in hex, of the
// SHA-256 of its ed25519 public key: a desk cannot choose another desk's folder.
// `chancery sync key` prints the desk's public line,
//
//	chancery-desk <name> ed25519:<base64 public key> <age1... recipient>
//
// which the administrator puts in the policy: the ed25519 keys of the team's desks
// (Config.Team: who may write bundles that are applied) and the age recipients of the
// team plus the ministry's recovery key (Config.Recipients: who can read them).
//
// # Layout on the remote
//
//	team.json                           written once, by the first desk
//	desks/<deskid>/key                  the desk's public keys, written once
//	desks/<deskid>/000000000001.bundle  its bundles, numbered from 1, never overwritten
//	originals/<sha256>                  original files, content-addressed, encrypted, once
//
// team.json is {"format":"chancery-team","version":1,"team":ID,"created":RFC3339}; ID is
// random. A desk remembers the team ID it joined; a remote whose team.json is missing or
// names another team is refused (emptied or replaced), nothing applied, nothing pushed.
//
// desks/<deskid>/key is {"format":"chancery-desk","desk":ID,"name":TEXT,
// "ed25519":BASE64,"age":"age1..."}. It is informative only: a desk's bundles are
// verified with the key the configuration (Config.Team) gives for that desk ID, never
// with the key on the remote.
//
// # Bundles
//
// A bundle object is three parts:
//
//	chancery-bundle 1\n
//	HEADER\n
//	AGE
//
// HEADER is one line of JSON: {"team":ID,"desk":ID,"number":N,"prev":HEX,
// "created":RFC3339,"payload":HEX,"size":N,"key":BASE64,"sig":BASE64}. "prev" is the
// SHA-256 of the desk's previous bundle object, all its bytes ("" for number 1): a
// desk's bundles form a hash chain. "payload" and "size" are the SHA-256 and length of
// AGE. "key" is the signing public key and "sig" the ed25519 signature of the HEADER
// JSON with "sig" empty (the fields in the order above). The hash of a bundle is the
// SHA-256 of the whole object.
//
// AGE is an age file (standard binary format) encrypted to Config.Recipients (the team's
// desks and the recovery key) and to the desk itself. Its plaintext is one line of JSON,
//
//	{"type":"sync","desk":ID,"number":N,"upto":SEQ,
//	 "tombstones":[{"id":ID,"hash":HEX}],"withdrawals":[ID...]}
//
// (desk and number repeat the header's: the plaintext is bound to its place), followed,
// when the bundle holds items, by a knowledge pack's records (store/pack: header, items
// with their history and the parents of every version, incident records, end record)
// without "original" records: originals travel once, as objects of their own. "upto" is
// the desk's change sequence the bundle covers. An item in the trash travels as a pack
// item whose current version is marked "deleted" with its trash generation ("gen",
// store.TrashMark): a tombstone, applied by the store so that deletions and restores end
// the same on every desk. "tombstones" name items purged on the desk (no version left to
// send) with the ContentHash of the version the remote holds; "withdrawals" name items
// the remote holds that are now marked above its ceiling (IDs only, no text).
//
// originals/<sha256> is an age file (same recipients) of the original's bytes; the name
// is the SHA-256 of the plaintext, checked after decryption. The name tells the storage
// that a file with that hash is held (not its content).
//
// # Sync: push, then pull
//
// Push reads the store's change feed (store.DB.EachChange) after the last change pushed,
// and packs the items changed, live or in the trash (pack.Collect at the remote's ceiling
// with Options.Trash, so nothing above it is in any record: items, earlier revisions,
// links, titles of links, incident records, originals), leaving out versions the remote
// already holds (the same ContentHash, resolution markers among the version's parents
// (store.DB.ResolutionMarkers: a resolution that kept the version current changes only
// those) and trash state as last sent or received) and items
// another desk withdrew (store.DB.Withdrawals). Items purged that the remote holds become
// "tombstones"; items the remote holds that are now above the ceiling become
// withdrawals. The originals the pack names that are not yet uploaded are created first,
// then the bundle (number last+1, prev = the hash of the last), then the cursors saved.
//
// Pull lists desks/, and for every other desk applies its bundles after the last one
// applied, in number order, each verified before anything is written:
//
//   - the desk's ID must be in Config.Team, and the bundle's "key" the one the team gives
//     for it, else it is foreign;
//   - the signature, "payload" and "size" must hold, the age file must open and its
//     inner "desk" and "number" match the header, else it is altered;
//   - "prev" must be the hash of the bundle applied before it, else the chain forks;
//   - a number missing while a later one is there is a gap;
//   - a desk whose bundles applied here are no longer on the remote is reported.
//
// Any of these stops that desk's pull at that bundle and is reported (Report.Problems,
// Status.Desks), nothing of it applied; other desks go on. A verified bundle's
// withdrawals are applied first (store.DB.ApplyWithdrawal: hidden in the trash, with
// the reason the user is told); then its items, with the originals it names that are
// not here (fetched from originals/, decrypted, checked against their name), go through
// store.DB.ApplyPack in Sync mode (ApplyOptions.Sync: one winner on every desk, the
// version with the longer history, then the greater hash (store.ConflictWinner), the
// other version kept and listed by store.DB.Conflicts,
// contacts merged field by field, tombstones and restores by trash generation), in one
// transaction together with the desk's new cursor (ApplyOptions.State). Applying a bundle
// again changes nothing.
// A round's report (Report.Conflicts) names only the conflicts still open when it ends:
// one that a bundle made and a later bundle of the same round resolved is not news.
//
// Deletion travels only as a tombstone and lands in the receiving desk's trash. An
// empty, missing or unreadable remote, a team.json gone or replaced, or this desk's own
// bundles gone, stops the round with an error before anything is applied or sent; no
// absence of objects is ever read as a deletion.
//
// # Crash safety
//
// The cursors (the last bundle number and hash of this desk, the last change pushed, per
// desk the last bundle applied and its hash, the versions the remote holds, the last
// sync and its error, per-desk problems) are kept in the knowledge base itself
// (store.DB.SyncState, key "teamsync " + Remote.String()), so they always match the
// store they count: a knowledge base restored from a backup brings its own (a change
// sequence behind the cursor restarts the push from the beginning; what the remote
// holds arrives unchanged). A desk killed at any point goes on correctly at the next
// sync:
//
//   - killed before its bundle was created: the changes are still after the cursor and
//     are pushed again (originals already uploaded answer ErrExists, which is fine);
//   - killed after the bundle was created but before the cursors were saved: the next
//     Create of that number answers ErrExists; the desk reads the object, checks it is its
//     own (its signature, its chain), takes it as its last bundle and pushes the same
//     changes in the next number (applying them twice is harmless);
//   - killed while applying: the bundle and the cursor are one transaction.
//
// A half-written object is one a remote never shows (Remote.Create's contract) or one
// whose hash or signature fails (altered, reported).
//
// # Ceilings
//
// Each remote has a ceiling (Config.Ceiling, from the policy). Nothing above it is
// written to that remote: pack.Collect releases items, revisions, links, briefings and
// incident records up to it, originals are uploaded only for the versions it keeps, and
// tombstones and withdrawals name only items the remote already holds (by ID and hash,
// no text).
//
// Every round that sends or applies something, finds a problem or fails is recorded in
// the audit trail (action "sync": the remote, the ceiling, what was pushed and applied,
// the problems); each bundle applied is also recorded by the store ("sync-apply"), and
// each withdrawal ("sync-withdrawal"). A quiet round (nothing to send or apply) is not.
package teamsync
