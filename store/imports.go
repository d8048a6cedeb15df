package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ImportOutcome says what SaveImported did with one item read from a file.
type ImportOutcome int

const (
	// ImportAdded: the item was new.
	ImportAdded ImportOutcome = iota + 1
	// ImportUpdated: only the file changed since the last import: the item was updated (a
	// trashed item is also brought back).
	ImportUpdated
	// ImportUnchanged: the file did not change since the last import: nothing was written,
	// and edits made in the app since are kept.
	ImportUnchanged
	// ImportBoth: the file and the item in the app both changed since the last import: the
	// app's version stays current, the file's is kept as a revision (see DB.Revisions).
	ImportBoth
)

// Imported is what SaveImported did with one item: the item as it now stands, and how.
type Imported struct {
	Item    Item
	Outcome ImportOutcome
}

// importKey is the settings key under which the store keeps, for an item an import wrote,
// the item's revision as the import left it and a hash of what the import read: "rev hash".
func importKey(id string) string { return "import:" + id }

// SaveImported stores items read from files by an import (known by their SourceKey, or by
// ID), in one transaction, all or none. Unlike SaveAll it never overwrites an edit made in
// the app and never lowers a marking: it remembers, for each item, what the last import
// read and the revision it left, so that a re-import
//   - adds what is new (ImportAdded),
//   - writes nothing when the file did not change (ImportUnchanged), whatever the app did,
//   - updates the item when only the file changed (ImportUpdated), keeping the higher of
//     the stored and the file's marking,
//   - and when both changed keeps the app's version current and the file's as a revision
//     (ImportBoth).
//
// An item stored by an import before the store kept this record counts as edited in the app
// unless it equals what the file now holds.
func (db *DB) SaveImported(ctx context.Context, items []Item) ([]Imported, error) {
	return writeItems(ctx, db, items, (*itemWriter).saveImported)
}

func (w *itemWriter) saveImported(ctx context.Context, it Item) (Imported, error) {
	if it.ID == "" && it.SourceKey != "" {
		err := w.queryRow(ctx, "SELECT id FROM items WHERE source_key = ?", it.SourceKey).Scan(&it.ID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return Imported{}, err
		}
	}
	if it.ID == "" {
		it.ID = NewID()
	}
	it.Rev = 0
	if it.Class == "" {
		it.Class = w.db.defaultClass
	}
	if err := it.normalize(w.classes, w.topics); err != nil {
		return Imported{}, err
	}
	sum, err := importHash(it)
	if err != nil {
		return Imported{}, err
	}
	old, err := scanItem(w.queryRow(ctx, selectItems(true)+" WHERE i.id = ?", it.ID))
	if errors.Is(err, sql.ErrNoRows) {
		saved, err := w.save(ctx, it)
		if err != nil {
			return Imported{}, err
		}
		return Imported{saved, ImportAdded}, w.recordImport(ctx, saved.ID, saved.Rev, sum)
	}
	if err != nil {
		return Imported{}, err
	}
	if old.Kind != it.Kind {
		return Imported{}, fmt.Errorf("%w: %s is a %s, not a %s", ErrInvalid, it.ID, old.Kind, it.Kind)
	}
	rev, last, known, err := w.importRecord(ctx, old.ID)
	if err != nil {
		return Imported{}, err
	}
	fileChanged := !known || last != sum
	appChanged := known && old.Rev != rev
	if !known && sameContent(old, it) {
		fileChanged, rev = false, old.Rev
		if err := w.recordImport(ctx, old.ID, rev, sum); err != nil {
			return Imported{}, err
		}
	} else if !known {
		appChanged = true // no record of what the import wrote: keep the stored version
	}
	if rank := w.classes[old.Class]; rank > w.classes[it.Class] {
		it.Class = old.Class // a re-import never lowers a marking
	}
	switch {
	case !fileChanged:
		if old.SourceKey != it.SourceKey && it.SourceKey != "" {
			// An item imported under an earlier kind of key takes the current one.
			if _, err := w.exec(ctx, "UPDATE items SET source_key = ? WHERE id = ?", it.SourceKey, old.ID); err != nil {
				return Imported{}, err
			}
			old.SourceKey = it.SourceKey
		}
		if old.Deleted == nil {
			return Imported{old, ImportUnchanged}, nil
		}
		// In the trash, and asked for again: back it comes, as it was.
		old.Rev = 0
		saved, err := w.save(ctx, old)
		if err != nil {
			return Imported{}, err
		}
		return Imported{saved, ImportUpdated}, w.recordImport(ctx, saved.ID, saved.Rev, sum)
	case !appChanged:
		saved, err := w.save(ctx, it)
		if err != nil {
			return Imported{}, err
		}
		outcome := ImportUpdated
		if saved.Rev == old.Rev && old.Deleted == nil {
			outcome = ImportUnchanged // what changed made no difference (a lower marking)
		}
		return Imported{saved, outcome}, w.recordImport(ctx, saved.ID, saved.Rev, sum)
	}
	// Both changed: the file's version becomes a revision, the app's stays current.
	if _, err := w.save(ctx, it); err != nil {
		return Imported{}, err
	}
	app := old
	app.Rev = 0
	if it.SourceKey != "" {
		app.SourceKey = it.SourceKey
	}
	saved, err := w.save(ctx, app)
	if err != nil {
		return Imported{}, err
	}
	// The revision the import left stays the one recorded: the app's edit is still an edit.
	return Imported{saved, ImportBoth}, w.recordImport(ctx, saved.ID, rev, sum)
}

// importRecord reads what the last import of item id wrote: the item's revision then and
// the hash of what it read.
func (w *itemWriter) importRecord(ctx context.Context, id string) (rev int, sum string, ok bool, err error) {
	var v string
	err = w.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", importKey(id)).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, nil
	}
	if err != nil {
		return 0, "", false, err
	}
	r, s, _ := strings.Cut(v, " ")
	rev, err = strconv.Atoi(r)
	if err != nil || s == "" {
		return 0, "", false, nil // unreadable: as if none
	}
	return rev, s, true, nil
}

func (w *itemWriter) recordImport(ctx context.Context, id string, rev int, sum string) error {
	_, err := w.exec(ctx, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
		importKey(id), strconv.Itoa(rev)+" "+sum)
	return err
}

// importHash is a hash of what an import read for an item (normalised), leaving out what the
// store sets.
func importHash(it Item) (string, error) {
	it.ID, it.Created, it.Updated, it.Rev, it.Seq, it.Deleted = "", time.Time{}, time.Time{}, 0, 0, nil
	links := make([]Link, len(it.Links))
	for i, l := range it.Links {
		links[i] = Link{To: l.To, Rel: l.Rel}
	}
	it.Links = links
	b, err := json.Marshal(it)
	if err != nil {
		return "", err
	}
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:]), nil
}

// ImportReport says what an import of files did (the importer's Import returns it): the
// command line prints it and the window shows it, from the same fields.
type ImportReport struct {
	Saved  int             // items written, new or changed (notes, contacts, documents...)
	Failed []ImportFailure // files or records that could not be imported
	// Both names the items ("Title (ID)") changed both in the app and in their file since
	// the last import: the app's version is kept current, the file's saved as a revision.
	Both []string
	// Documents says what became of each document file (PDF, DOCX, HTML), in the order
	// their reading ended (files are read in parallel). A refused document is also kept,
	// with StatusFailed and the reason.
	Documents []ImportedFile
}

// ImportedFile is what became of one file an import read.
type ImportedFile struct {
	Path string
	// ItemID is the item the file is kept as (new, or the one an earlier import made);
	// empty when nothing was kept.
	ItemID string
	Status string // StatusOK, StatusEmpty or StatusFailed
	Reason string // why it has no text, or was refused, in words
	Again  bool   // the same file (by content) was imported before; nothing was added
}

// ImportFailure is a file (or a record of a corpus) that could not be imported, and why.
type ImportFailure struct {
	Path string
	Err  error
}

func (e ImportFailure) Error() string { return e.Path + ": " + e.Err.Error() }

// Files are the document files read and every other file or record that could not be
// imported (StatusFailed, with the reason), each once: a document refused when it was saved
// is listed as read. Notes and contacts imported are only counted (Saved).
func (r ImportReport) Files() []ImportedFile {
	files := slices.Clone(r.Documents)
	listed := map[string]bool{}
	for _, f := range r.Documents {
		listed[f.Path] = true
	}
	for _, f := range r.Failed {
		if !listed[f.Path] {
			files = append(files, ImportedFile{Path: f.Path, Status: StatusFailed, Reason: f.Err.Error()})
		}
	}
	return files
}
