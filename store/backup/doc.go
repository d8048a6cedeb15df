// Package backup writes, checks and restores backups of a knowledge base: one file,
// encrypted with age (filippo.io/age), that the standard `age` tool opens.
//
// # What it promises
//
//   - A consistent copy of a knowledge base in use. A backup holds a snapshot the store
//     takes with SQLite's VACUUM INTO (store.DB.Snapshot): one transaction's view of the
//     whole database, never a copy of its live files. Writers go on meanwhile.
//   - Everything. The snapshot is the whole knowledge base: every item, its revisions,
//     links, the trash, settings, the original files (kept in the database under their
//     SHA-256) and, where there is one, the audit trail. Backups keep everything (they are
//     the knowledge base): no ceiling applies to them; they are protected by encryption.
//   - Encrypted to a passphrase or to recipients. age cannot encrypt one file to both a
//     passphrase (scrypt) and keys; Options.Passphrase and Options.Recipients (age1... X25519
//     keys, the person's own and the policy's recovery keys) are therefore exclusive.
//   - Checked before anything is written. Verify and Restore decrypt the whole file, check
//     the manifest (its format version first), the SHA-256 and size of every part, and run
//     SQLite's integrity and foreign key checks and the SHA-256 of every original on the
//     snapshot before they say it is sound or change the data folder. A wrong passphrase
//     or key, a truncated or altered file, and a backup from a newer format (or with a newer
//     schema) are refused in words naming the file (Error), and the data folder is left
//     as it was.
//   - Restore never overwrites. An existing knowledge base is first moved aside, whole, to
//     a folder beside it (DIR.before-restore-TIMESTAMP), named in the Restored result; the
//     snapshot becomes the new folder's database (store.InstallSnapshot), made whole in
//     DIR.restoring before the two renames; a restore killed between them is finished by
//     the next Open (store.FinishRestore). The search index
//     is not in a backup: the caller rebuilds it from the restored store (search.Open does
//     when it finds none).
//   - Progress per part. Options.Progress hears of every step (snapshot, manifest, each
//     part, the finished file), so a caller can show it and a test can kill the process
//     at each boundary. Both Create and Restore work in a folder of their own
//     (.chancery-backup-*, .chancery-restore-*, removed after, and when an hour old by the
//     next one) and finish with renames: a backup killed midway leaves no file under the
//     backup's name, and a restore builds the new data folder whole beside the old one and
//     swaps them with two renames, so that a kill leaves the old folder in place or the
//     restored one (the old one moved aside), never none.
//
// # The format (version 1)
//
// The file is an age file (https://age-encryption.org/v1) whose plaintext is a gzip-
// compressed POSIX tar archive (`age -d FILE | tar -xz` opens it) holding, in this order:
//
//	manifest.json   the manifest, described below
//	chancery.db     the snapshot: a SQLite database, as the store keeps it
//
// The manifest is JSON:
//
//	{
//	  "format": 1,                        // this format's version; a reader refuses higher
//	  "app": "Chancery 0.9.0",            // the Chancery that wrote it
//	  "created": "2026-12-06T02:00:00Z",  // when (UTC)
//	  "identity": "9f3c...",              // the knowledge base's store.DB.Identity
//	  "schema": 3,                        // the snapshot's schema version
//	  "last_seq": 41234,                  // the last change sequence it holds
//	  "items": {"note": 12, ...},         // live items by kind
//	  "trash": 2,                         // items in the trash
//	  "parts": [{"name": "chancery.db", "size": 123, "sha256": "..."}],
//	  "originals": [{"sha256": "...", "size": 123}]  // every original in the snapshot
//	}
//
// Every part after the manifest is listed in parts with its size and SHA-256; a part not
// listed, or listed and absent, makes the backup refused. The originals are not stored
// twice: they are in the snapshot's files table, and the manifest lists each one's
// SHA-256, which Verify checks against the bytes in the snapshot. Files are named
// chancery-YYYYMMDD-HHMMSSZ.tar.gz.age (FileName); automatic backups use the same names,
// and Prune keeps the newest N of them in a folder.
//
// The package imports store only; it speaks no SQL.
package backup
