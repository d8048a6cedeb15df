// Package store is Chancery's system of record: every note, contact, organisation,
// document, briefing and incident, in one SQLite file (modernc.org/sqlite, pure Go) in the
// user's data folder.
//
// What it owns and promises:
//
//   - The truth. Everything else (the search index, exports) is derived from it and can be
//     rebuilt from it.
//   - An identity. Each database has a random Identity, made once and kept in it (and in
//     the marker file chancery.id beside it), so that what is derived from it can tell
//     another database from its own. A data folder whose database is missing or empty while
//     the marker or the search index is there is damaged: Open fails with ErrDamaged,
//     naming the folder, and changes nothing, instead of making a new knowledge base.
//   - One process at a time. Open locks the data folder; a second process gets ErrLocked at
//     once instead of waiting. The lock dies with its process, so a crash leaves none.
//     LockFolder takes the same lock without opening the database, for a tool that changes
//     the folder itself (the bench).
//   - Whole writes. SaveAll writes many items in one transaction, all or none; what a
//     committed transaction wrote survives a crash (WAL, synchronous=FULL).
//   - History. Every save that changes an item keeps the previous version as a revision;
//     Delete moves an item to the trash, from which Restore brings it back; only EmptyTrash
//     removes items for good, with their revisions, links and originals, leaving none of
//     their text in the files (secure_delete on every connection, the WAL checkpointed
//     and truncated after it).
//   - A change feed. Every write takes the next change sequence number; EachChange lists
//     the items changed after a number (including trashed and purged ones), so a derived
//     index can catch up after any interruption.
//   - Announced commits. Subscribe gives a channel signalled after every committed
//     transaction that moved the change sequence, whoever the writer (a save, an import,
//     trash and restore, EmptyTrash, MergeContacts, RestoreRevision: all write through one
//     transaction helper, tx, which announces). Signals coalesce in a buffer of one and
//     never hold a writer up; cancel is idempotent and closes the channel, and Close closes
//     every subscription's channel (announce.go). The search index follows the store by it.
//   - Vocabulary. Countries are ISO 3166-1 alpha-3 codes (LookupCountry also reads alpha-2
//     codes and names; LookupCountryName reads a name in any of the six UN languages or a
//     demonym, NamesOf gives them: countrylang.go, generated data in countrynames.go);
//     topics come from a taxonomy seeded by a migration and extensible
//     with AddTopic; classification markings come from a ranked scheme (UNCLASSIFIED <
//     RESTRICTED < CONFIDENTIAL < SECRET by default). Items breaking these rules are refused
//     with ErrInvalid.
//   - Dossiers. Dossier reads what the knowledge base holds about one country: its contacts
//     (most recently contacted first), organisations, and latest notes and documents
//     (dossier.go).
//   - Browsing. List and Count page through the items of a kind, tag, country or topic, or
//     the trash; Titles lists every live title (for quick-open and links); TermCounts
//     counts the tags, countries, topics and sources in use (browse.go).
//   - A ceiling. OpenWith takes Options from the administrator's policy (see cmd/chancery/policy):
//     a classification scheme the knowledge base is made to hold (refused when items carry
//     a marking it lacks), the highest marking allowed on this machine, and the marking of
//     items saved without one (DefaultClass, else the lowest). Every save (Save, SaveAll
//     and so every import, RestoreRevision) of an item marked above it fails
//     with ErrAboveCeiling, which is also an ErrInvalid, naming the item and both markings;
//     so does Restore of such an item from the trash. AboveCeiling lists the items saved
//     above it before it was set, those in the trash too (said to be there).
//   - Originals as imported. A document's original file is kept under its SHA-256;
//     Original refuses bytes that no longer match it (ErrDamaged, naming the item), and
//     Check verifies every original and names each item whose original is altered or
//     missing.
//   - Sane lengths. An item with a field far longer than any real one (a title over 2,000
//     bytes, a name over 500, more than 1,000 tags or emails...) is refused with ErrInvalid
//     naming the item and the field (limits.go; Item.CheckLengths).
//   - Re-imports. SaveImported saves what an import read from files: it records per item
//     (in settings, "import:ID") the revision the import left and a hash of what it read,
//     so that a re-import never overwrites an edit made in the app nor lowers a marking;
//     when both the file and the item changed, the app's version stays current and the
//     file's becomes a revision. ImportReport (ImportedFile, ImportFailure) is what an
//     import did, the one model the command line prints and the window shows (the store
//     only defines it: the importer fills it).
//   - Knowledge packs. ApplyPack writes a pack's items (read by store/pack) in one
//     transaction, keeping their IDs: a newer version updates, an edit made here is never
//     overwritten (the pack's version becomes a revision, reported as a conflict), and
//     nothing above the ceiling gets in (packapply.go). Versions are known by
//     Item.ContentHash; Item.Without is the one redaction of references to withheld
//     items. A contact's age key (Contact.AgeKey) is checked on save (ParseAgeKey).
//     A pack's incident records (ApplyOptions.Records) are written in the same
//     transaction, keeping their IDs: timeline entries append-only, issued reports
//     never changed, a call sheet row, action or position replaced only by a newer
//     one with the version here kept on the timeline (packrecords.go).
//   - Team sync, the store's side (syncapply.go, conflicts.go, syncstate.go; migration
//     sync). ApplyPack with ApplyOptions.Sync applies the versions another desk sent
//     (ApplyOptions.Desk), all or nothing, in one transaction with the engine's cursors
//     (ApplyOptions.State, read with SyncState). Versions are known by ContentHash and
//     form a graph: each names the versions it was made from (Incoming.Parents; kept in
//     sync_parents for what sync wrote and for every version of an item sync touched,
//     else the revision before a version's first appearance; VersionParents, which
//     store/pack writes; ResolutionMarkers, the "resolved:C:O" markers alone, which team
//     sync compares with what a remote holds). Per item: the same version, or one this one is made from,
//     changes nothing; a version made from the one here updates it; otherwise it is a
//     conflict, decided the same way on every desk: the version with the longer history
//     (the longest line of versions it is made from) wins, then the greater ContentHash
//     (ConflictWinner), never by clocks or desks: the winner is current, the loser kept as
//     a revision and recorded as an open Conflict (once: the same versions again change
//     nothing). Contacts merge field by field from the newest version both sides are
//     made from: a field one side changed takes that side's value, a field both changed
//     the winner's (and a Conflict names it); the merge names both as parents and is
//     the same on every desk (same ContentHash); a desk that receives a merge with such
//     a field records the same Conflict. Every version sent that is not here is kept as
//     a revision, so nothing typed on any desk is dropped. ResolveConflict saves the
//     user's choice as a version made from both sides (and the version now), naming a
//     marker "resolved:CURRENT:OTHER" too: on another desk it is an update and closes
//     the conflict between the same versions. Two versions that name each other (two
//     desks resolved one conflict differently, each keeping a version already there)
//     are decided as a conflict. Deletions travel as trash marks (TrashMark, TrashMarks:
//     per version, a generation each Delete and Restore raises, odd when deleted; the
//     higher wins; a save of a version that was deleted, over the trash or by
//     RestoreRevision, raises its mark to a restore): an item is in the trash when the
//     mark of its current version is odd; a version made from a deleted one brings the item back (the change wins) and
//     is recorded as a Conflict ("Deleted") on the desks that meet it; a tombstone of an
//     item never here is remembered. ApplyWithdrawal hides an item another desk raised
//     above the remote's ceiling (the trash, with the reason, Withdrawals; what arrives
//     of it later is not applied, and store/pack sends nothing of it). Sync applies,
//     resolutions and withdrawals are in the audit trail. Limits: a save that brings
//     back the exact content of an earlier version is that version again (versions are
//     known by content); EmptyTrash removes an item's conflicts with it.
//   - An audit trail (audit.go). Audit appends an event (export, import, purge, backup,
//     restore, pack, policy or ceiling change, marking lowered) with its time in UTC and
//     the OS user; AuditLog lists them; VerifyAudit walks the hash chain (each row's hash
//     covers its canonical form and the previous row's hash) and names, in words, every
//     row changed, deleted or inserted outside Chancery. The table is append-only
//     (triggers refuse UPDATE and DELETE); the last row is also kept in chancery.audit
//     beside the database ("pending" before a commit, "committed" after), so rows cut from
//     the end are found and a crash between the two is not taken for tampering. The store
//     records in the writing transaction what it knows itself: EmptyTrash (the IDs and the
//     highest marking, never the text), a save that lowers a marking, and, at OpenWith,
//     the scheme, ceiling and default marking when they differ from those recorded last
//     (AuditState, which callers use for the administrator's policy). Inside the store,
//     auditTx records within a transaction of its own (a backup, a pack import).
//   - Snapshots. Snapshot writes a consistent copy of the whole knowledge base (originals
//     included) to a new file while it stays in use (SQLite's VACUUM INTO: one
//     transaction's view, never a copy of the live files). CheckSnapshot opens one
//     read-only and runs Check's checks on it, refusing one with a newer schema (ErrNewer);
//     InstallSnapshot makes one the database of a folder that holds none (snapshot.go,
//     used by store/backup). A database SQLite finds corrupt, or not a database, opens as
//     ErrDamaged naming the folder, and is left as it is (damaged.go). Open first finishes
//     a restore cut off between its two renames (no DIR, a knowledge base in
//     DIR.restoring: FinishRestore, restoring.go), never making a new, empty one there.
//   - Kept searches. KeepSearch, KeptSearches, IncidentSearches, DeleteKeptSearch keep
//     standing searches (a name, a query in the product's query language, optionally the
//     incident item they belong to) and when each was last opened (MarkKeptSeen: the change
//     sequence it was seen at). FreshSince lists the live items written after a change,
//     each new (inserted after it) or changed (it existed then), told by the
//     change sequence, never by timestamps; which of them a query matches is the search
//     index's to say (kept.go). Kept searches are not items: they move no change sequence.
//   - Settings. Setting and SetSetting keep small facts about the knowledge base itself
//     (such as "the seed folder has been imported").
//   - Incidents (incident*.go). An incident is an item of KindIncident (Item.Incident:
//     type, status and closing time, exercise flag, zero hour, place, affected countries
//     in downstream order, severity, lead and lead organisation, operational period; its
//     river, operator, treaties and earlier incidents are Links with RelRiver,
//     RelOperator, RelTreaty, RelEarlierIncident). An unknown affected country is
//     ErrInvalid naming the incident and the code; the affected countries are added to
//     its Countries. What it holds are records in tables of their own, each with its own
//     marking (checked against the scheme and the ceiling like an item's): timeline
//     entries (never edited: a correction is a new entry naming the one it corrects,
//     which then reads as corrected), call sheet rows, actions, positions and numbered
//     situation reports. Every write of a record is one transaction through tx that
//     moves the incident's change sequence (so the index and the screens refresh) and
//     keeps its marking at least the highest of what it holds (raising it, as a new
//     revision; HeldClass). Bad input (an unknown incident, country or zone, a call for
//     a contact in the trash, a report issued twice or changed once issued) is refused
//     naming the item, and nothing changes. LogCall writes a call entry, moves the row's
//     status forward and sets the contact's own Contact.LastContact (a revision of the
//     contact); a row's LastContact is derived from the timeline. A report is drafted
//     (DraftSitrep) from what changed since the last issued one, edited (SaveSitrep),
//     issued (IssueSitrep: frozen, its canonical content's SHA-256 recorded, SitrepHash)
//     and amended only by a new number (AmendSitrep). Records are read with their
//     incident in the trash, but nothing is written to it there and lists across
//     incidents (Incidents, CountryPositions) leave it out; EmptyTrash removes them with
//     it, leaving none of their text in the files.
//
// The schema is in numbered SQL files under migrations/, embedded and applied in order,
// each with its version bump in one transaction. A shipped migration is never edited.
// Only this package speaks SQL.
package store
