package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// draftAfter is the longest a change typed waits before it is kept as a draft.
var draftAfter = time.Second

// draft is what an editor held and had not saved: kept in the data folder so that it
// survives a failed save, a closed window and a crash, and offered at the next start.
type draft struct {
	// Key names the draft's file: the item's ID, or "new-…" for an item never saved.
	Key string `json:"key"`
	// Written is when it was kept.
	Written time.Time `json:"written"`
	// Item is what the editor held, as far as it could be read (a field that could not be
	// read keeps its value as opened), with the revision it was opened at: saving it later
	// still notices a change made elsewhere meanwhile.
	Item store.Item `json:"item"`
	// Typed is the text of the fields that may not read (the date, the marking, the grade…)
	// exactly as typed.
	Typed map[string]string `json:"typed,omitempty"`
}

// title is how the draft is named to the user.
func (d draft) title() string {
	if t := strings.TrimSpace(d.Typed["title"]); t != "" {
		return t
	}
	if d.Item.Title != "" {
		return d.Item.Title
	}
	return "a new " + strings.ToLower(kindLabel(d.Item.Kind))
}

// draftStore keeps drafts as files drafts/KEY.json in the data folder, each written
// durably (a temporary file written and synced, then renamed over the old one) and
// readable by the user alone. Writes and removals run off the UI goroutine, possibly out
// of order: each carries a sequence number taken on the UI goroutine, and one older than
// the last applied to the same key is dropped, so that a draft written late never comes
// back after the save that made it pointless.
type draftStore struct {
	dir string // "": drafts are not kept

	mu   sync.Mutex
	seq  int            // UI goroutine only
	last map[string]int // key → sequence number of the last write or removal applied
}

func newDraftStore(dataDir string) *draftStore {
	s := &draftStore{last: map[string]int{}}
	if dataDir != "" {
		s.dir = filepath.Join(dataDir, "drafts")
	}
	return s
}

// next numbers an operation (on the UI goroutine).
func (s *draftStore) next() int {
	s.seq++
	return s.seq
}

// validKey reports whether key can name a file: the store's IDs and "new-…" keys can.
func validKey(key string) bool {
	return key != "" && len(key) <= 200 && strings.Trim(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == "" && !strings.HasPrefix(key, ".")
}

func (s *draftStore) path(key string) string { return filepath.Join(s.dir, key+".json") }

// apply reports whether operation seq on key is newer than the last applied, and records it.
func (s *draftStore) apply(key string, seq int) bool {
	if s.last[key] > seq {
		return false
	}
	s.last[key] = seq
	return true
}

// write keeps d (off the UI goroutine).
func (s *draftStore) write(seq int, d draft) error {
	if s.dir == "" {
		return nil
	}
	if !validKey(d.Key) {
		return fmt.Errorf("draft key %q", d.Key)
	}
	if d.Item.Document != nil { // the original file stays in the store
		doc := *d.Item.Document
		doc.Original = nil
		d.Item.Document = &doc
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.apply(d.Key, seq) {
		return nil
	}
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("keep the draft of %s: %w", d.title(), err)
	}
	if err := writeFileSynced(s.path(d.Key), data); err != nil {
		return fmt.Errorf("keep the draft of %s: %w", d.title(), err)
	}
	return nil
}

// remove deletes the draft of key (off the UI goroutine).
func (s *draftStore) remove(seq int, key string) error {
	if s.dir == "" || !validKey(key) {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.apply(key, seq) {
		return nil
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removePurged removes the drafts of items no longer in the knowledge base (purged when
// the trash was emptied): a draft holds its item's text, and purged means gone. Drafts of
// items never saved ("new-…") stay. seq is taken with next, on the UI goroutine, after the
// purge: a draft write numbered before it does not come back.
func (s *draftStore) removePurged(ctx context.Context, items Items, seq int) error {
	ds, err := s.list()
	var errs []error
	if err != nil {
		errs = append(errs, err)
	}
	for _, d := range ds {
		if strings.HasPrefix(d.Key, "new-") {
			continue
		}
		if _, err := items.Get(ctx, d.Key); !errors.Is(err, store.ErrNotFound) {
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		if err := s.remove(seq, d.Key); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// list reads the drafts kept, oldest first; a file that cannot be read is left alone and
// reported.
func (s *draftStore) list() ([]draft, error) {
	if s.dir == "" {
		return nil, nil
	}
	names, err := filepath.Glob(filepath.Join(s.dir, "*.json"))
	if err != nil {
		return nil, err
	}
	var out []draft
	var errs []error
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		var d draft
		if err := json.Unmarshal(data, &d); err != nil || d.Key+".json" != filepath.Base(name) {
			errs = append(errs, fmt.Errorf("draft %s cannot be read: %v", name, err))
			continue
		}
		out = append(out, d)
	}
	slices.SortFunc(out, func(a, b draft) int { return a.Written.Compare(b.Written) })
	return out, errors.Join(errs...)
}

// writeFileSynced writes data to path so that a crash leaves either the old file or the
// new one whole: a temporary file beside it, synced, renamed over it, the folder synced.
func writeFileSynced(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".draft-*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // after the rename: nothing to remove
	if err := f.Chmod(0o600); err != nil && !errors.Is(err, errors.ErrUnsupported) {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync() // not supported everywhere (Windows); the rename is what matters
		d.Close()
	}
	return nil
}

// draftOffer offers, at start, the drafts an earlier session left.
type draftOffer struct {
	drafts *draftStore
	ctx    context.Context
	do     func(func())
	log    *slog.Logger
	win    fyne.Window
	// onRestore opens a draft in an editor, unsaved.
	onRestore func(draft)
}

// offer reads the drafts kept by an earlier session (off the UI goroutine) and offers to
// restore each.
func (o draftOffer) offer() {
	ds, err := o.drafts.list()
	if err != nil {
		o.log.Error("read the drafts", "err", err)
	}
	if len(ds) == 0 {
		return
	}
	o.do(func() { o.show(ds) })
}

// show lists the drafts, each with Restore (it opens in the editor, unsaved) and Discard;
// Later keeps them for the next start.
func (o draftOffer) show(ds []draft) {
	if o.ctx.Err() != nil {
		return
	}
	box := container.NewVBox(&widget.Label{Wrapping: fyne.TextWrapWord,
		Text: "Text typed in an earlier session was not saved. It was kept as a draft: restore it to check it and save it, or discard it."})
	var dlg *dialog.CustomDialog
	for _, d := range ds {
		what := fmt.Sprintf("“%s” (%s), typed %s", d.title(), strings.ToLower(kindLabel(d.Item.Kind)), d.Written.Local().Format("2 Jan 2006 15:04"))
		restore := &widget.Button{Text: "Restore", Importance: widget.HighImportance}
		discard := &widget.Button{Text: "Discard"}
		row := container.NewBorder(nil, nil, nil, container.NewHBox(restore, discard), &widget.Label{Text: what, Wrapping: fyne.TextWrapWord})
		restore.OnTapped = func() {
			dlg.Hide()
			o.onRestore(d)
		}
		discard.OnTapped = func() {
			seq := o.drafts.next()
			box.Remove(row)
			if len(box.Objects) == 1 {
				dlg.Hide()
			}
			go func() {
				if err := o.drafts.remove(seq, d.Key); err != nil {
					o.log.Error("discard a draft", "key", d.Key, "err", err)
				}
			}()
		}
		box.Add(row)
	}
	dlg = dialog.NewCustom("Unsaved text from an earlier session", "Later", box, o.win)
	dlg.Resize(fyne.NewSize(620, 200))
	dlg.Show()
}
