package importer

import (
	"context"
	"fmt"
	"strings"

	"chancery/store"
)

// CorpusOptions chooses what of a UN General Debate corpus file becomes items.
type CorpusOptions struct {
	// Paragraphs adds every paragraph of every statement (see Paragraphs) as a document
	// of its own, after all the statements: the larger corpus of
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
// number, in the statement's language. Malformed lines are returned as failures (once) and skipped.
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

// paragraphRun is the length from which a run of short lines ends as a paragraph at the
// end of a sentence.
const paragraphRun = 700

// Paragraphs splits a statement's text into its paragraphs. Some statements hold a
// paragraph a line; others are wrapped at a fixed width or hold a sentence a line, with
// blank lines (or none) between paragraphs. So lines are joined into a paragraph until a
// blank line, or until a line that ends a sentence once the paragraph holds 700
// characters: a paragraph-a-line text keeps its paragraphs (most are that long), and a
// wrapped one gets paragraphs of a readable length, with none of its text lost. On the UN
// General Debate corpus this gives 222,571 paragraphs (233,523 items with the statements).
func Paragraphs(text string) []string {
	var out []string
	var b strings.Builder
	end := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			end()
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(line)
		if b.Len() >= paragraphRun && strings.ContainsAny(line[len(line)-1:], ".!?:\"") ||
			b.Len() >= paragraphRun && strings.HasSuffix(line, "”") {
			end()
		}
	}
	end()
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
		Language:  st.Language, // the statement's: one speaker, one language
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
