// Package pack writes and reads encrypted knowledge packs: a selection of items with their
// links, originals and history, released up to a ceiling and encrypted with age
// (filippo.io/age) to recipients (age1... keys, kept with contact cards in
// store.Contact.AgeKey) or a passphrase. Another Chancery imports it with Read and
// store.DB.ApplyPack. Team sync sends the same records as its bundles.
//
// # Format, version 2 (and 1)
//
// A pack file is an age file (the standard binary format, not armored): `age -d` opens it
// with the same passphrase or identity. Its plaintext is a stream of records, one JSON
// object a line (JSON Lines, UTF-8, "\n" after each), in this order:
//
//  1. One header:
//     {"type":"header","format":"chancery-pack","version":1,"created":RFC3339,
//     "from":IDENTITY,"ceiling":MARKING,"classes":[MARKING...],"selection":TEXT,
//     "topics":[{"id":ID,"label":TEXT,"parent":ID}...]}
//     "from" is the exporting knowledge base's store.DB.Identity; "classes" is its
//     classification scheme, lowest first; "ceiling" the highest marking the pack may
//     hold; "selection" says in words what was asked for; "topics" the topics the
//     pack's versions use, with their parents (ApplyOptions adds those the receiving
//     taxonomy lacks). A reader refuses a pack whose format is not "chancery-pack" or
//     whose version is above the one it knows (FormatVersion), before reading further.
//     "version" is 2 when the pack holds incident records (step 3), else 1: version 2
//     only adds the "records" record, so a pack without one is written as version 1 and
//     older readers open it; this reader reads both.
//  2. Originals, each once, content-addressed:
//     {"type":"original","sha256":HEX,"size":N,"data":BASE64}
//     The reader refuses a pack in which the SHA-256 of data is not sha256, or size is not
//     its length. Originals come before the versions that name them (Document.SHA256).
//  3. Per item, its history oldest first, then its current version:
//     {"type":"revision","id":ID,"rev":N,"saved":RFC3339,"hash":HEX,"parent":HEX,"item":ITEM}
//     {"type":"item","id":ID,"hash":HEX,"parent":HEX,"item":ITEM}
//     ITEM is a store.Item as JSON (its exported fields) with Seq, Deleted and SourceKey
//     cleared: they are local bookkeeping. "hash" is store.Item.ContentHash of the version:
//     the SHA-256 of what a person can see of it (not its times, revision number or change
//     sequence). "parent" is the hash of the version it was made from (the revision
//     before it on the exporting machine), empty for a first version; it names a revision
//     the pack withheld too. The reader recomputes every hash and refuses a mismatch.
//     Optional fields, for team sync (older readers ignore them; absent means none):
//     "parents":[HEX...] lists every version it was made from when that is not just
//     "parent" (a merge or a conflict's resolution names two or more, and a resolution
//     also a marker "resolved:HEX:HEX"; "parent" is then the first that is a hash; from
//     store.DB.VersionParents); on the "item" record, "gen":N is the trash generation of
//     the version (store.TrashMark: odd when deleted, even when restored) and
//     "deleted":true says the item is in the trash there (a tombstone: Options.Trash
//     packs such items; without it they are left out).
//     Right after the "item" record of an incident, version 2 has its records:
//     {"type":"records","incident":ID,"records":RECORDS}
//     RECORDS is a store.IncidentRecords as JSON: "Incident", "Timeline", "CallSheet",
//     "Actions", "Positions", "Sitreps", each record with its ID, its own marking
//     ("Class") and its Created and Updated times (LastContact and CorrectedBy, which
//     the store derives, empty). The reader refuses records that do not follow their
//     incident's item record, that name another incident, that lack an ID or repeat
//     one, an incident's records twice, "records" in a version 1 pack, and an issued
//     situation report whose content does not match its SHA256 (store.SitrepHash).
//  4. One end record, last:
//     {"type":"end","records":N,"sha256":HEX}
//     N is the number of records before it; sha256 the SHA-256 of every byte before its
//     line. A stream without it, or with anything after it, is refused as truncated or
//     altered (age already refuses a truncated or altered file; this guards the records
//     themselves).
//
// Unknown fields in a record are ignored; an unknown record type is refused (a newer
// format raises FormatVersion). Records hold no other text: nothing is said about what
// was withheld (beyond a briefing section's placeholder, store.WithheldSection).
//
// # The ceiling
//
// Collect leaves out everything above the pack's ceiling (and whatever carries a marking
// the scheme lacks): items marked above it, and revisions that were marked above it (an
// item whose marking was lowered travels without its earlier, higher versions). In what
// remains, every reference to an item above the ceiling is removed: links, a note's
// participants, a contact's organisation, an organisation's parent, and a briefing
// section that includes one (its heading, its excerpt text and its reference are
// emptied, the section kept as a placeholder so the numbering holds). Items in the trash
// are not packed. Packs carry no titles of items they do not hold, no excerpts of them,
// no cards, no file metadata: only IDs of items at or below the ceiling.
//
// An incident (IncidentIDs selects one with what it and its records link to) travels
// with its records, released the same way (release): a record marked above the ceiling
// is left out, and so is every trace of it: a call logged on a withheld call sheet row
// (its text quotes the row), a situation report line drafted from a withheld record or
// marked above the ceiling, a correction's and an amendment's reference to it. A call
// sheet row whose contact is above the ceiling goes with the contact (a row copies the
// card: name, phone, email); a timeline entry's link and a position's statement that
// name an item above the ceiling are dropped. An issued situation report never changes,
// so one that would lose a line is left out whole. Since the store marks an incident at
// least as high as anything it holds, an incident holding a record above the ceiling is
// itself above it and left out whole, with all its records; release guards the records
// of the incidents that go all the same. The person exporting sees what was withheld
// (Pack.Withheld, by kind, ID and marking); the pack says nothing of it.
//
// # Import
//
// Read decrypts and checks the whole pack (hashes, end record) before anything is
// written; store.DB.ApplyPack then writes it in one transaction, all or nothing, keeping
// item IDs. Its rules (see there): a new item is added with its history; a version the
// local item descends from updates it (a newer revision updates an older one); a local
// item that changed since the version the pack's was made from is a conflict: the local
// version stays current and the pack's is kept as a revision of it, and reported;
// nothing above the receiving machine's ceiling gets in (incident records and report
// lines included). An incident's records are written in the same transaction, after the
// items, by store.DB.ApplyPack's rules for them (store/packrecords.go): records keep
// their IDs and times; timeline entries are append-only (one already here is left as
// it is); an issued situation report never changes (another issued report, or another
// report with the same number, is a conflict reported in words; a draft here becomes the
// pack's issued report of its ID, the draft kept on the timeline); a call sheet row,
// action or position is replaced only by a newer one (a later Updated), the version here
// then kept as an observation on the incident's timeline, marked as it was; an older one
// changes nothing and is reported. A pack made at a lower ceiling
// than one taken before is no conflict: versions are also compared as the pack would show
// them, and an update keeps what the pack left out.
//
// In team sync (store.ApplyOptions.Sync) the same records are applied by the sync rules
// instead (store/syncapply.go): a conflict is decided alike on every desk, contacts merge
// field by field, a "deleted" item lands in the trash, and Incoming carries each
// version's parents, the tombstone and its generation.
//
// Collect puts in the original of every version it packs; ApplyPack also accepts a
// version whose original the receiving machine already holds (for sync, which sends
// originals once), and refuses one whose original is in neither.
//
// Wrong passphrase or identity, a truncated or altered pack, a pack from a newer format,
// and a pack holding items above the receiving ceiling are each refused in words
// (ErrPassphrase, ErrDamaged, ErrNewer; store.ErrAboveCeiling from ApplyPack), before
// anything is written.
package pack
