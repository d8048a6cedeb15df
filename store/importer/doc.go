// Package importer brings files into the store: PDF, DOCX and HTML files as documents
// (their text read by package extract, the original kept, a status for each: imported,
// imported without text, or refused with the reason), Markdown and text files (or folders
// of them) as notes, the UN General Debate corpus (JSON lines, optionally gzipped) as
// documents with country and year, and contacts: vCard 2.1/3.0/4.0 files (2.1's
// QUOTED-PRINTABLE and CHARSET are normalised before github.com/emersion/go-vcard parses
// them), jCard (.json) and xCard (.xml), and Outlook or Google contacts CSV exports
// (columns matched by header name, UTF-8 or Windows-1252). ExportVCards exports contacts
// and organisations as vCard 4.0 up to a ceiling (the scheme's lowest marking unless told):
// what is marked above it is left out and reported by ID, an organisation above it is not
// named on a contact's card, and a marked card says its marking in its NOTE, which phones
// show (X-CHANCERY-CLASS alone they drop); reading such a card back drops that line.
//
// Only regular files are read, and opening one never waits: a named pipe, device or socket
// is reported by name. In a folder, symbolic links are not followed: one to a file in the
// folder adds no copy (the file is imported as itself), one out of the folder is reported by
// name. A path named directly (on the command line) is the user's choice and is followed.
//
// A contacts file is read whole (at most 32 MB), a card's property at most 2 MB unfolded
// (photos aside); a card or row with a longer property, or a field above the store's limits
// (store.Item.CheckLengths), is refused by name; a card or row that cannot be read is
// reported naming the file and the card or line, and the others are imported. Parsers never
// panic out: a panic while reading a file becomes that file's error.
//
// Imports write in transactions of a few hundred items, so a large import costs few commits;
// each commit is reported before the next begins, and what was reported committed survives
// a crash. Importing the same file or record again updates the item it made before (matched
// by its SourceKey) instead of adding a duplicate, so an interrupted import is finished by
// running it again. A re-import goes through store.DB.SaveImported: it never lowers a
// marking nor overwrites an edit made in the app; an item changed both in the app and in
// its file keeps the app's version, the file's saved as a revision, and is named in
// store.ImportReport.Both. A contact card without a UID, and every CSV row, is known by its first
// email, else its name, never by its file's name: two "contacts.csv" from two folders are
// both kept.
package importer
