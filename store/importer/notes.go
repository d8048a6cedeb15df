package importer

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"chancery/store"
	"chancery/store/extract"
)

// maxNoteSize is the largest file imported as a note.
const maxNoteSize = 16 << 20

// ImportNotes imports Markdown and text files as notes. A note's title is its front
// matter's title, else its first heading, else the file's name. Front matter (title, date,
// tags, countries, topics, class, source), #tags and [[wikilinks]] to other notes of the
// same import become the note's fields, tags and links. A file that cannot be read is
// reported in store.ImportReport.Failed and the rest goes on.
func ImportNotes(ctx context.Context, db *store.DB, paths []string, opt Options) (store.ImportReport, error) {
	type parsed struct {
		item  store.Item
		links []string // wikilink targets
	}
	var notes []parsed
	var failed []store.ImportFailure
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			abs = p
		}
		it, links, err := readNote(abs)
		if err != nil {
			failed = append(failed, store.ImportFailure{Path: p, Err: err})
			continue
		}
		notes = append(notes, parsed{it, links})
	}
	// Give every note its ID before saving, so links can point forward across transactions.
	keys := make([]string, len(notes))
	for i, n := range notes {
		keys[i] = n.item.SourceKey
	}
	ids, err := db.SourceKeyIDs(ctx, keys)
	if err != nil {
		return store.ImportReport{Failed: failed}, err
	}
	byName := map[string]string{}
	for i := range notes {
		it := &notes[i].item
		if id, ok := ids[it.SourceKey]; ok {
			it.ID = id
		} else {
			it.ID = store.NewID()
		}
		base := strings.TrimSuffix(filepath.Base(strings.TrimPrefix(it.SourceKey, "file:")), filepath.Ext(it.SourceKey))
		for _, name := range []string{base, it.Title} {
			if _, dup := byName[strings.ToLower(name)]; !dup {
				byName[strings.ToLower(name)] = it.ID
			}
		}
	}
	s := &saver{ctx: ctx, db: db, opt: opt, total: len(notes), failed: failed}
	for _, n := range notes {
		for _, target := range n.links {
			if id, ok := byName[strings.ToLower(target)]; ok && id != n.item.ID {
				n.item.Links = append(n.item.Links, store.Link{To: id, Rel: "mentions"})
			}
		}
		if err := s.add(n.item); err != nil {
			return s.report(), fmt.Errorf("import notes: %w", err)
		}
	}
	if err := s.flush(); err != nil {
		return s.report(), fmt.Errorf("import notes: %w", err)
	}
	return s.report(), nil
}

var (
	headingRE  = regexp.MustCompile(`(?m)^#{1,6}\s+(.+?)\s*#*\s*$`)
	hashtagRE  = regexp.MustCompile(`(?:^|[\s(])#([\p{L}\p{N}][\p{L}\p{N}_/-]*)`)
	wikilinkRE = regexp.MustCompile(`\[\[([^\]|#\n]+)(?:#[^\]|\n]*)?(?:\|[^\]\n]*)?\]\]`)
	fenceRE    = regexp.MustCompile("(?ms)^```.*?^```")
)

// readNote reads one file as a note, with the targets of its wikilinks.
func readNote(path string) (store.Item, []string, error) {
	raw, err := readLimited(path, maxNoteSize)
	if err != nil {
		return store.Item{}, nil, err
	}
	// Any common encoding: UTF-8, UTF-16, Windows-1252, the Cyrillic code pages.
	text, err := extract.DecodeText(raw)
	if err != nil {
		return store.Item{}, nil, err
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	it := store.Item{
		Kind:      store.KindNote,
		Note:      &store.Note{},
		SourceKey: "file:" + path,
		Source:    "Imported from " + filepath.Base(path),
	}
	body, fm := splitFrontMatter(text)
	it.Body = strings.TrimSpace(body)
	it.Title = fm["title"]
	if it.Title == "" {
		if m := headingRE.FindStringSubmatch(it.Body); m != nil {
			it.Title = m[1]
		}
	}
	if it.Title == "" {
		it.Title = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if d, ok := fm["date"]; ok {
		for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02 15:04"} {
			if t, err := time.Parse(layout, d); err == nil {
				it.Date = t
				break
			}
		}
	}
	it.Tags = append(list(fm["tags"]), list(fm["tag"])...)
	prose := fenceRE.ReplaceAllString(it.Body, "")
	for _, m := range hashtagRE.FindAllStringSubmatch(prose, -1) {
		it.Tags = append(it.Tags, m[1])
	}
	for _, c := range append(list(fm["countries"]), list(fm["country"])...) {
		if ctry, ok := store.LookupCountry(c); ok {
			it.Countries = append(it.Countries, ctry.Alpha3)
		}
	}
	it.Topics = append(list(fm["topics"]), list(fm["topic"])...)
	it.Class = fm["class"]
	if s := fm["source"]; s != "" {
		it.Source = s
	}
	it.Language = fm["lang"]
	if it.Language == "" {
		it.Language = store.DetectLanguage(it.Title + "\n" + it.Body)
	}
	var links []string
	for _, m := range wikilinkRE.FindAllStringSubmatch(prose, -1) {
		links = append(links, strings.TrimSpace(m[1]))
	}
	return it, links, nil
}

// splitFrontMatter separates YAML-style front matter ("---" lines) from the body, reading
// the simple "key: value" and "key: [a, b]" or "- item" list forms.
func splitFrontMatter(text string) (string, map[string]string) {
	fm := map[string]string{}
	if !strings.HasPrefix(text, "---\n") {
		return text, fm
	}
	end := strings.Index(text[4:], "\n---")
	if end < 0 {
		return text, fm
	}
	block := text[4 : 4+end]
	rest := text[4+end+4:]
	rest = strings.TrimPrefix(strings.TrimLeft(rest, "-"), "\n")
	var key string
	for _, line := range strings.Split(block, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "- ") && key != "" {
			fm[key] = strings.TrimPrefix(fm[key]+","+unquote(strings.TrimSpace(t[2:])), ",")
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok || strings.HasPrefix(line, " ") {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(k))
		v = strings.TrimSpace(v)
		v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
		fm[key] = unquote(v)
	}
	return rest, fm
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

func list(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(unquote(strings.TrimSpace(v))); v != "" {
			out = append(out, v)
		}
	}
	return out
}
