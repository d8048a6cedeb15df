package importer

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"chancery/store"
)

// Statement is one statement of the UN General Debate corpus.
type Statement struct {
	ID      string `json:"id"`
	Country string `json:"country"`
	Session int    `json:"session"`
	Year    int    `json:"year"`
	Text    string `json:"text"`
}

// ImportCorpus imports a UN General Debate corpus file (JSON lines, gzipped when its name
// ends in .gz) as documents, one per statement, with the speaking country and the year.
// A malformed line is reported in store.ImportReport.Failed and the rest goes on.
func ImportCorpus(ctx context.Context, db *store.DB, path string, opt Options) (store.ImportReport, error) {
	total, err := countLines(path)
	if err != nil {
		return store.ImportReport{}, err
	}
	s := &saver{ctx: ctx, db: db, opt: opt, total: total}
	failed, err := EachStatement(ctx, path, func(where string, rec Statement) error {
		it, err := rec.item()
		if err != nil {
			s.failed = append(s.failed, store.ImportFailure{Path: where, Err: err})
			return nil
		}
		return s.add(it)
	})
	if err == nil {
		err = s.flush()
	}
	s.failed = append(s.failed, failed...)
	if err != nil {
		return s.report(), fmt.Errorf("import %s: %w", path, err)
	}
	return s.report(), nil
}

// EachStatement reads a UN General Debate corpus file (JSON lines, gzipped when its name ends
// in .gz) and calls fn with each statement and where it is ("file line N"). Lines that are
// not statements are returned as failures and skipped; an error from fn stops the reading.
func EachStatement(ctx context.Context, path string, fn func(where string, st Statement) error) ([]store.ImportFailure, error) {
	r, closeFn, err := openMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	defer closeFn()
	var failed []store.ImportFailure
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(strings.TrimSpace(sc.Text())) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return failed, err
		}
		var rec Statement
		where := fmt.Sprintf("%s line %d", path, line)
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			failed = append(failed, store.ImportFailure{Path: where, Err: fmt.Errorf("not a corpus record: %w", err)})
			continue
		}
		if err := fn(where, rec); err != nil {
			return failed, err
		}
	}
	if err := sc.Err(); err != nil {
		failed = append(failed, store.ImportFailure{Path: fmt.Sprintf("%s line %d", path, line+1), Err: err})
	}
	return failed, nil
}

func (rec Statement) item() (store.Item, error) {
	if rec.ID == "" || rec.Country == "" || rec.Year == 0 {
		return store.Item{}, fmt.Errorf("record lacks its id, country or year")
	}
	c, ok := store.LookupCountry(rec.Country)
	if !ok {
		return store.Item{}, fmt.Errorf("record %s has unknown country %q", rec.ID, rec.Country)
	}
	text := strings.TrimSpace(rec.Text)
	status := store.StatusOK
	if text == "" {
		status = store.StatusEmpty
	}
	return store.Item{
		Kind:      store.KindDocument,
		Title:     fmt.Sprintf("%s — General Debate %d (session %d)", c.Name, rec.Year, rec.Session),
		Date:      time.Date(rec.Year, time.January, 1, 0, 0, 0, 0, time.UTC),
		Countries: []string{c.Alpha3},
		Tags:      []string{"un-general-debate"},
		Topics:    []string{"political"},
		Source:    "UN General Debate Corpus (Baturo, Dasandi, Mikhaylov; Jankin et al.), statement " + rec.ID,
		Language:  store.DetectLanguage(text),
		Body:      text,
		SourceKey: "ungd:" + rec.ID,
		Document: &store.Document{
			FileName: rec.ID + ".txt",
			MIME:     "text/plain",
			Status:   status,
		},
	}, nil
}

func openMaybeGzip(path string) (io.Reader, func(), error) {
	f, err := openFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("import: %w", err)
	}
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = fmt.Errorf("not a regular file: not read")
		}
		return nil, nil, fmt.Errorf("import %s: %w", path, err)
	}
	if !strings.HasSuffix(strings.ToLower(path), ".gz") {
		return bufio.NewReaderSize(f, 1<<20), func() { f.Close() }, nil
	}
	zr, err := gzip.NewReader(bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		f.Close()
		return nil, nil, fmt.Errorf("import %s: not a gzip file: %w", path, err)
	}
	return zr, func() { zr.Close(); f.Close() }, nil
}

// countLines counts the records in a corpus file, for progress.
func countLines(path string) (int, error) {
	r, closeFn, err := openMaybeGzip(path)
	if err != nil {
		return 0, err
	}
	defer closeFn()
	buf := make([]byte, 1<<20)
	n := 0
	for {
		k, err := r.Read(buf)
		for _, b := range buf[:k] {
			if b == '\n' {
				n++
			}
		}
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, nil // the import itself reports the damage where it meets it
		}
	}
}
