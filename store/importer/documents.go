package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"chancery/store"
	"chancery/store/extract"
)

// documentBatch is how many documents go into one transaction.
const documentBatch = 20

// DocumentLimits bound what reading one document may cost. Tests lower them.
var DocumentLimits = extract.DefaultLimits

// ImportDocuments imports PDF, DOCX and HTML files as documents: the extracted text is the
// item's body, the original file is kept beside it (DB.Original), and the document's
// status says whether text was found (store.StatusOK), the file was read but holds none
// (store.StatusEmpty: a scan), or it was refused (store.StatusFailed, with the reason; the
// original is kept all the same, so it can still be opened with another program).
//
// A document is known by its content: importing the same bytes again, under any name, adds
// nothing and reports Again. Files are read in parallel, each within DocumentLimits, and
// all within one memory budget (Options.MemoryBudget) that every worker draws on: a file
// waits until what it may use (readCost) is free, and a DOCX may unpack only its share. A
// parser that fails, panics or runs out of time costs only its file. Cancelling ctx stops
// the import after the files already read are committed.
func ImportDocuments(ctx context.Context, db *store.DB, paths []string, opt Options) (store.ImportReport, error) {
	var rep store.ImportReport
	// What is read is committed even when the import is cancelled; reading stops at once.
	// Documents are slow to read, so they are committed a few at a time: progress moves, and
	// a crash loses little.
	s := &saver{ctx: context.WithoutCancel(ctx), db: db, opt: opt, total: len(paths), batch: documentBatch}
	outer := ctx
	ctx, stop := context.WithCancel(ctx)
	defer stop()
	type job struct {
		path    string
		data    []byte
		sum     string
		err     error // reading the file itself failed
		granted int64 // of the import's memory budget, released once read
	}
	mem := opt.MemoryBudget
	if mem <= 0 {
		mem = DefaultMemoryBudget
	}
	budget := newBudget(mem)
	type done struct {
		job
		item store.Item
		res  store.ImportedFile
	}
	// Starting the PDF engine takes seconds; it must not count against the first PDF's time.
	for _, p := range paths {
		if strings.EqualFold(filepath.Ext(p), ".pdf") {
			if err := extract.WarmUpPDF(ctx); err != nil && ctx.Err() != nil {
				return rep, fmt.Errorf("import documents: %w", ctx.Err())
			}
			break
		}
	}
	// Two lanes: PDFs go through as many workers as there are PDF engines, the other
	// formats through workers of their own, so neither waits for the other and a PDF's
	// time limit is not spent queueing for an engine.
	isPDF := func(p string) bool { return strings.EqualFold(filepath.Ext(p), ".pdf") }
	results := make(chan done)
	var wg sync.WaitGroup
	lane := func(take func(string) bool, workers int) {
		jobs := make(chan job)
		for range workers {
			wg.Go(func() {
				for j := range jobs {
					it, res := readDocument(ctx, j.path, j.data, j.sum, j.err, grantedLimits(j.path, j.granted))
					budget.release(j.granted)
					results <- done{j, it, res}
				}
			})
		}
		wg.Go(func() {
			defer close(jobs)
			for _, p := range paths {
				if !take(p) {
					continue
				}
				if ctx.Err() != nil {
					return
				}
				if opt.Reading != nil {
					opt.Reading(p)
				}
				data, err := readLimited(p, DocumentLimits.MaxSize)
				j := job{path: p, data: data, err: err}
				if err == nil {
					h := sha256.Sum256(data)
					j.sum = hex.EncodeToString(h[:])
				}
				// Every worker draws on one budget: a file waits until what it may use
				// is free (a zip bomb, or a large HTML file, is read alone).
				if j.granted, err = budget.acquire(ctx, readCost(p, data)); err != nil {
					return
				}
				select {
				case jobs <- j:
				case <-ctx.Done():
					budget.release(j.granted)
					return
				}
			}
		})
	}
	lane(isPDF, extract.PDFEngines())
	lane(func(p string) bool { return !isPDF(p) }, min(runtime.GOMAXPROCS(0), 4))
	// seen holds the content already in the store or in this import, by source key.
	seen := map[string]string{}
	go func() { wg.Wait(); close(results) }()

	var saveErr error
	for d := range results {
		if saveErr != nil {
			continue // drain
		}
		res := d.res
		if key := d.item.SourceKey; key != "" {
			if id, ok := seen[key]; ok {
				res = store.ImportedFile{Path: d.path, ItemID: id, Again: true, Status: res.Status, Reason: res.Reason}
			} else if ids, err := db.SourceKeyIDs(ctx, []string{key}); err != nil {
				saveErr = err
				continue
			} else if id, ok := ids[key]; ok {
				seen[key] = id
				res, saveErr = again(ctx, db, d.path, id)
			} else {
				d.item.ID = store.NewID()
				res.ItemID = d.item.ID
				seen[key] = d.item.ID
				saveErr = s.add(d.item)
			}
		}
		if saveErr != nil {
			stop()
			continue
		}
		rep.Documents = append(rep.Documents, res)
		if opt.Read != nil {
			opt.Read(res)
		}
	}
	if saveErr == nil {
		saveErr = s.flush()
	}
	rep.Saved, rep.Failed, rep.Both = s.written, s.failed, s.both
	if saveErr == nil {
		saveErr = outer.Err()
	}
	if saveErr != nil {
		// What was not committed is not in the store: drop it from the results.
		var ids []string
		for _, r := range rep.Documents {
			ids = append(ids, r.ItemID)
		}
		stored := map[string]bool{}
		if items, err := db.GetMany(context.WithoutCancel(ctx), ids); err == nil {
			for _, it := range items {
				stored[it.ID] = true
			}
		}
		var kept []store.ImportedFile
		for _, r := range rep.Documents {
			if stored[r.ItemID] {
				kept = append(kept, r)
			}
		}
		rep.Documents = kept
		return rep, fmt.Errorf("import documents: %w", saveErr)
	}
	return rep, nil
}

// again is the result for a file whose content an earlier import stored: its item's status.
// A document in the trash is brought back, since the user asked for it again.
func again(ctx context.Context, db *store.DB, path, id string) (store.ImportedFile, error) {
	it, err := db.Get(ctx, id)
	if err != nil {
		return store.ImportedFile{}, err
	}
	if it.Deleted != nil {
		if err := db.Restore(ctx, id); err != nil {
			return store.ImportedFile{}, err
		}
	}
	r := store.ImportedFile{Path: path, ItemID: id, Again: true}
	if it.Document != nil {
		r.Status, r.Reason = it.Document.Status, it.Document.StatusReason
	}
	return r, nil
}

// readDocument extracts one file's text and builds its item. It never fails: a file that
// cannot be read becomes a refused document (unless it could not even be opened, which
// leaves the item without a source key, so nothing is saved).
func readDocument(ctx context.Context, path string, data []byte, sum string, readErr error, lim extract.Limits) (store.Item, store.ImportedFile) {
	name := filepath.Base(path)
	res := store.ImportedFile{Path: path}
	if readErr != nil {
		res.Status, res.Reason = store.StatusFailed, readErr.Error()
		return store.Item{}, res
	}
	doc := &store.Document{FileName: name, Original: data}
	it := store.Item{
		Kind:      store.KindDocument,
		Title:     strings.TrimSuffix(name, filepath.Ext(name)),
		SourceKey: "sha256:" + sum,
		Source:    "Imported from " + name,
		Document:  doc,
	}
	f, ok := extract.Detect(name, data)
	if ok {
		doc.MIME = f.MIME()
	}
	r, err := extract.File(ctx, name, data, lim)
	var refusal *extract.Refusal
	switch {
	case errors.As(err, &refusal):
		doc.Status, doc.StatusReason = store.StatusFailed, refusal.Reason
	case err != nil: // cancelled
		doc.Status, doc.StatusReason = store.StatusFailed, err.Error()
		if ctx.Err() != nil {
			it.SourceKey = "" // not read: leave it for the next import
		}
	default:
		if t := strings.TrimSpace(r.Title); t != "" && len(t) <= 200 && utf8.ValidString(t) {
			it.Title = t
		}
		it.Date = r.Date
		it.Body = r.Text
		doc.Pages = r.Pages
		doc.Status = store.StatusOK
		if r.Empty {
			doc.Status, doc.StatusReason = store.StatusEmpty, r.Reason
		}
		if it.Body != "" {
			it.Language = store.DetectLanguage(it.Title + "\n" + it.Body)
		}
	}
	res.Status, res.Reason = doc.Status, doc.StatusReason
	return it, res
}

// readLimited reads a whole regular file of at most max bytes; a larger one, a folder, or
// anything else (a named pipe, a device, a socket) is an error saying so: only regular
// files are read, and opening one never waits.
func readLimited(path string, max int64) ([]byte, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		return nil, fmt.Errorf("is a folder")
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s): not read", fileType(st.Mode()))
	}
	if st.Size() > max {
		return nil, fmt.Errorf("too large (%d MB; the limit is %d MB)", st.Size()>>20, max>>20)
	}
	return io.ReadAll(io.LimitReader(f, max+1))
}

// fileType names what a file that is not a regular file is, in words.
func fileType(m os.FileMode) string {
	switch {
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	}
	return "a special file"
}

func isDocumentFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".pdf", ".docx", ".html", ".htm", ".xhtml":
		return true
	}
	return false
}
