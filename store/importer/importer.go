package importer

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"chancery/store"
)

// BatchSize is how many items go into one transaction.
const BatchSize = 500

// batchBytes is how many bytes of original files one transaction holds at most (beyond
// one file larger than that), so an import of large documents does not hold them all in
// memory.
const batchBytes = 64 << 20

// Options tune an import.
type Options struct {
	// Progress, when set, is called after each committed transaction with the number of
	// items committed so far and the total expected (0 when unknown).
	Progress func(committed, total int)
	// Reading, when set, is called with each document file's path as its reading begins
	// (from a goroutine of the import's own), and Read, on the goroutine that called the
	// import, with what became of it once it is read (before it is committed).
	Reading func(path string)
	Read    func(store.ImportedFile)
	// Class, when set, is the marking of what this import saves (chancery import --class),
	// instead of the default (store.DB.DefaultClass); an item whose file names a higher
	// marking keeps it.
	Class string
	// MemoryBudget is what the documents being read at one time may use together, shared
	// by every worker of the import; 0 means DefaultMemoryBudget.
	MemoryBudget int64
}

// Import imports each path, and says what it did in a store.ImportReport: a folder (its documents, Markdown, text and vCard files,
// recursively), a document (PDF, DOCX, HTML: see ImportDocuments), a Markdown or text
// file, a UN General Debate corpus file (.jsonl or .jsonl.gz), or a contacts file (vCard
// .vcf, jCard .json, xCard .xml, or an Outlook or Google contacts .csv; see
// ImportContacts). In folders, only .vcf files are taken as contacts.
func Import(ctx context.Context, db *store.DB, paths []string, opt Options) (store.ImportReport, error) {
	var rep store.ImportReport
	var notes, contacts, docs []string
	if _, err := classRanks(ctx, db, opt.Class); err != nil {
		return rep, err
	}
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return rep, fmt.Errorf("import: %w", err)
		}
		switch {
		case st.IsDir():
			root, rerr := filepath.EvalSymlinks(p)
			if rerr != nil {
				root = p
			}
			err := filepath.WalkDir(p, func(path string, d os.DirEntry, err error) error {
				if err != nil {
					rep.Failed = append(rep.Failed, store.ImportFailure{Path: path, Err: err})
					return nil
				}
				if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != p {
					return filepath.SkipDir
				}
				if path != p && !d.IsDir() && !d.Type().IsRegular() {
					// Only regular files are read, and links are not followed: a link
					// inside the folder adds no copy (its target is imported as itself),
					// one out of it could pull in any readable file (~/.ssh/id_rsa).
					if e := notFollowed(root, path, d.Type()); e != nil {
						rep.Failed = append(rep.Failed, store.ImportFailure{Path: path, Err: e})
					}
					return nil
				}
				if !d.IsDir() && isNoteFile(path) {
					notes = append(notes, path)
				}
				if !d.IsDir() && isVCardFile(path) {
					contacts = append(contacts, path)
				}
				if !d.IsDir() && isDocumentFile(path) {
					docs = append(docs, path)
				}
				return nil
			})
			if err != nil {
				return rep, fmt.Errorf("import: %s: %w", p, err)
			}
		case isCorpusFile(p):
			r, err := ImportCorpus(ctx, db, p, opt)
			addReport(&rep, r)
			if err != nil {
				return rep, err
			}
		case isNoteFile(p):
			notes = append(notes, p)
		case isContactsFile(p):
			contacts = append(contacts, p)
		case isDocumentFile(p):
			docs = append(docs, p)
		default:
			rep.Failed = append(rep.Failed, store.ImportFailure{Path: p, Err: fmt.Errorf("not a file Chancery imports: documents (PDF, DOCX, HTML), notes (Markdown, text), contacts (vCard .vcf, .json, .xml; Outlook or Google .csv) or the UN corpus (.jsonl)")})
		}
	}
	if len(notes) > 0 {
		r, err := ImportNotes(ctx, db, notes, opt)
		addReport(&rep, r)
		if err != nil {
			return rep, err
		}
	}
	if len(contacts) > 0 {
		r, err := ImportContacts(ctx, db, contacts, opt)
		addReport(&rep, r)
		if err != nil {
			return rep, err
		}
	}
	if len(docs) > 0 {
		r, err := ImportDocuments(ctx, db, docs, opt)
		addReport(&rep, r)
		if err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// notFollowed says why a file found in a folder that is not a regular file is not read, or
// nil when it need not be said: a file Chancery would not import anyway, or a link to a
// file in the folder (imported as itself).
func notFollowed(root, path string, mode os.FileMode) error {
	if mode&os.ModeSymlink == 0 {
		if !isImportable(path) {
			return nil
		}
		return fmt.Errorf("not a regular file (%s): not read", fileType(mode))
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		if !isImportable(path) {
			return nil
		}
		return fmt.Errorf("a symbolic link to nothing that can be read: not followed")
	}
	st, err := os.Stat(target)
	if err != nil {
		return fmt.Errorf("a symbolic link: not followed: %w", err)
	}
	if !st.IsDir() && !isImportable(path) && !isImportable(target) {
		return nil
	}
	if rel, err := filepath.Rel(root, target); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel) {
		return nil
	}
	return fmt.Errorf("a symbolic link to %s outside the imported folder: not followed", target)
}

// isImportable reports whether a folder's import takes a file of that name.
func isImportable(p string) bool {
	return isNoteFile(p) || isVCardFile(p) || isDocumentFile(p)
}

func isNoteFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".md", ".markdown", ".txt", ".text":
		return true
	}
	return false
}

func isCorpusFile(p string) bool {
	l := strings.ToLower(p)
	return strings.HasSuffix(l, ".jsonl") || strings.HasSuffix(l, ".jsonl.gz")
}

// saver collects items and saves them in transactions of BatchSize.
type saver struct {
	ctx       context.Context
	db        *store.DB
	opt       Options
	pending   []store.Item
	bytes     int // of the pending documents' originals
	batch     int // items per transaction; BatchSize when zero
	committed int // items done (written or not), for progress
	written   int // items added or changed
	both      []string
	ranks     map[string]int // the scheme's markings by rank, when opt.Class is set
	total     int
	failed    []store.ImportFailure
}

// add counts in r, the report of one part of an import.
func addReport(rep *store.ImportReport, r store.ImportReport) {
	rep.Saved += r.Saved
	rep.Failed = append(rep.Failed, r.Failed...)
	rep.Both = append(rep.Both, r.Both...)
	rep.Documents = append(rep.Documents, r.Documents...)
}

// report is what the saver did.
func (s *saver) report() store.ImportReport {
	return store.ImportReport{Saved: s.written, Failed: s.failed, Both: s.both}
}

// classRanks returns the scheme's markings by rank when class (an import's marking) is set,
// or an error when it is not one of them.
func classRanks(ctx context.Context, db *store.DB, class string) (map[string]int, error) {
	if class == "" {
		return nil, nil
	}
	classes, err := db.Classes(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	ranks := map[string]int{}
	for i, c := range classes {
		ranks[c] = i
	}
	if _, ok := ranks[strings.ToUpper(strings.TrimSpace(class))]; !ok {
		return nil, fmt.Errorf("import: marking %q is not one of %s", class, strings.Join(classes, ", "))
	}
	return ranks, nil
}

func (s *saver) add(it store.Item) error {
	if s.opt.Class != "" {
		if s.ranks == nil {
			var err error
			if s.ranks, err = classRanks(s.ctx, s.db, s.opt.Class); err != nil {
				return err
			}
		}
		// The import's marking, unless the file names a higher one.
		class := strings.ToUpper(strings.TrimSpace(s.opt.Class))
		own := strings.ToUpper(strings.TrimSpace(it.Class))
		if rank, known := s.ranks[own]; own == "" || known && rank < s.ranks[class] {
			it.Class = class
		}
	}
	s.pending = append(s.pending, it)
	if it.Document != nil {
		s.bytes += len(it.Document.Original)
	}
	batch := s.batch
	if batch == 0 {
		batch = BatchSize
	}
	if len(s.pending) >= batch || s.bytes >= batchBytes {
		return s.flush()
	}
	return nil
}

func (s *saver) flush() error {
	if len(s.pending) == 0 {
		return nil
	}
	if err := s.ctx.Err(); err != nil {
		return err
	}
	saved, err := s.db.SaveImported(s.ctx, s.pending)
	if errors.Is(err, store.ErrInvalid) {
		// One bad item must not cost the batch: save them one by one, naming the bad ones.
		saved = saved[:0]
		for _, it := range s.pending {
			one, err := s.db.SaveImported(s.ctx, []store.Item{it})
			if errors.Is(err, store.ErrInvalid) {
				s.failed = append(s.failed, store.ImportFailure{Path: strings.TrimPrefix(it.SourceKey, "file:"), Err: err})
				continue
			}
			if err != nil {
				return err
			}
			saved = append(saved, one...)
		}
	} else if err != nil {
		return err
	}
	for _, r := range saved {
		switch r.Outcome {
		case store.ImportBoth:
			s.both = append(s.both, fmt.Sprintf("%s (%s)", r.Item.Title, r.Item.ID))
			s.written++
		case store.ImportAdded, store.ImportUpdated:
			s.written++
		}
	}
	s.committed += len(saved)
	s.pending = s.pending[:0]
	s.bytes = 0
	if s.opt.Progress != nil {
		s.opt.Progress(s.committed, s.total)
	}
	return nil
}
