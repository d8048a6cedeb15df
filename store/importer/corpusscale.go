package importer

import (
	"context"
	"fmt"
	"strings"

	"chancery/store"
)

// CorpusOptions chooses what of a UN General Debate corpus file becomes items.
type CorpusOptions struct {
	// Paragraphs adds every paragraph of every statement (a line of its text that is not
	// blank) as a document of its own, after all the statements: the larger corpus of
	// `chancery bench --scale paragraphs` (about 234,000 items from the 10,952 statements).
	Paragraphs bool
	// Limit, when above 0, stops after that many items (statements first, then
	// paragraphs), for the bench's points between the two scales.
	Limit int
}

// EachCorpusItem reads a UN General Debate corpus file and calls fn with each item it
// makes, in the order ImportCorpusItems saves them: every statement (as ImportCorpus makes
// it), then, with Paragraphs, every paragraph of each statement in file order, each with the
// statement's country and year and a source naming the statement and the paragraph's
// number. Malformed lines are returned as failures (once) and skipped.
func EachCorpusItem(ctx context.Context, path string, co CorpusOptions, fn func(where string, it store.Item) error) ([]store.ImportFailure, error) {
	n := 0
	errLimit := fmt.Errorf("limit reached")
	emit := func(where string, it store.Item) error {
		if co.Limit > 0 && n >= co.Limit {
			return errLimit
		}
		n++
		return fn(where, it)
	}
	failed, err := EachStatement(ctx, path, func(where string, rec Statement) error {
		it, err := rec.item()
		if err != nil {
			return nil // reported below, by the failures of the first pass
		}
		return emit(where, it)
	})
	if err == errLimit || (err == nil && co.Limit > 0 && n >= co.Limit) {
		return failed, nil
	}
	if err != nil || !co.Paragraphs {
		return failed, err
	}
	_, err = EachStatement(ctx, path, func(where string, rec Statement) error {
		st, err := rec.item()
		if err != nil {
			return nil
		}
		for i, p := range Paragraphs(rec.Text) {
			if err := emit(where, rec.paragraph(st, i+1, p)); err != nil {
				return err
			}
		}
		return nil
	})
	if err == errLimit {
		err = nil
	}
	return failed, err
}

// Paragraphs splits a statement's text into its paragraphs: its lines that are not blank,
// trimmed.
func Paragraphs(text string) []string {
	var out []string
	for line := range strings.SplitSeq(text, "\n") {
		if p := strings.TrimSpace(line); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// paragraph makes the item of paragraph n (from 1) of a statement whose own item is st.
func (rec Statement) paragraph(st store.Item, n int, text string) store.Item {
	return store.Item{
		Kind:      store.KindDocument,
		Title:     fmt.Sprintf("%s, paragraph %d", st.Title, n),
		Date:      st.Date,
		Countries: st.Countries,
		Tags:      []string{"un-general-debate", "paragraph"},
		Topics:    st.Topics,
		Source:    fmt.Sprintf("%s, paragraph %d", st.Source, n),
		Language:  store.DetectLanguage(text),
		Body:      text,
		SourceKey: fmt.Sprintf("ungd:%s#%d", rec.ID, n),
		Document: &store.Document{
			FileName: fmt.Sprintf("%s-p%d.txt", rec.ID, n),
			MIME:     "text/plain",
			Status:   store.StatusOK,
		},
	}
}

// ImportCorpusItems imports what EachCorpusItem makes of a corpus file, in transactions of
// BatchSize items, as ImportCorpus does.
func ImportCorpusItems(ctx context.Context, db *store.DB, path string, co CorpusOptions, opt Options) (store.ImportReport, error) {
	total, err := countLines(path)
	if err != nil {
		return store.ImportReport{}, err
	}
	if co.Limit > 0 {
		total = co.Limit
	} else if co.Paragraphs {
		total = 0 // unknown until read
	}
	s := &saver{ctx: ctx, db: db, opt: opt, total: total}
	failed, err := EachCorpusItem(ctx, path, co, func(_ string, it store.Item) error { return s.add(it) })
	if err == nil {
		err = s.flush()
	}
	s.failed = append(s.failed, failed...)
	if err != nil {
		return s.report(), fmt.Errorf("import %s: %w", path, err)
	}
	return s.report(), nil
}
