package ui

import (
	"context"
	"log/slog"
	"slices"
	"strings"

	"fyne.io/fyne/v2"

	"chancery/store"
)

// env is what the item panes and their editors share: the knowledge base, the hand-over to
// the UI goroutine, the window, the vocabulary the pickers complete from, the drafts, the
// palette, and the ways out of the app. It holds services only: what a pane calls upward
// is in its paneHandlers.
type env struct {
	lib   Library
	do    func(func())
	log   *slog.Logger
	ctx   context.Context
	win   fyne.Window
	vocab *vocab
	// drafts keeps what the editors hold unsaved (drafts.go).
	drafts *draftStore
	// pickTitle opens the palette to choose an item; cancel runs when it is closed
	// without a choice.
	pickTitle func(prompt string, pick func(store.Title), cancel func())
	// out is the way out of the app from an item's text: links, images (outside.go).
	out *outside
	// opened are the copies of originals handed to the system's viewer (originals.go).
	opened *openedCopies
	// wantTitles asks for every title and source to be read with the vocabulary, where a
	// large knowledge base left them out (vocabEager): an editor completes from them.
	// Nil: nothing to ask.
	wantTitles func()
}

// vocabEager is the size of knowledge base (live items) up to which the window reads every
// title and source with the vocabulary: at start and again after every change. Above it,
// they are read only once something that completes from them is opened (an editor, the
// composer: env.wantTitles), and from then on as before; so a window that only searches
// and browses a knowledge base of 234,000 items never reads or holds 234,000 titles (the
// palette reads them itself when it is opened). A var for tests.
var vocabEager = 20000

// vocabTermMax is how many of the tags and sources in use the pickers complete from, the
// most used: 234,000 paragraphs name 234,000 sources.
const vocabTermMax = 5000

// resolveTitle returns the ID of the live item with that title (any case, any accents),
// or "".
func (e *env) resolveTitle(title string) string {
	return e.vocab.byTitle[fold(strings.TrimSpace(title))]
}

// vocab is what the pickers complete from: the classification scheme, the topic taxonomy,
// the tags and sources in use, and every title (for links and organisations).
type vocab struct {
	classes []string
	topics  []store.Topic
	tags    []string
	sources []string
	titles  []store.Title
	// full: the titles and sources were read (see vocabEager).
	full    bool
	byTitle map[string]string      // folded title → ID
	byID    map[string]store.Title // ID → title
	// maxClass is the highest marking allowed on this machine (store.DB.MaxClass), or ""
	// when any is.
	maxClass string

	// defaultClass is the marking new items start at (the policy's default_marking), ""
	// for the lowest.
	defaultClass string
}

// newClass is the marking a new item, or an import, starts at: the policy's default, else
// the lowest; "" before the vocabulary is read.
func (v *vocab) newClass() string {
	if slices.Contains(v.classes, v.defaultClass) {
		return v.defaultClass
	}
	if len(v.classes) > 0 {
		return v.classes[0]
	}
	return ""
}

func emptyVocab() *vocab {
	return &vocab{byTitle: map[string]string{}, byID: map[string]store.Title{}}
}

// loadVocab reads the vocabulary (off the UI goroutine); the titles and sources only when
// full (see vocabEager).
func loadVocab(ctx context.Context, lib Library, full bool) (*vocab, error) {
	v := emptyVocab()
	v.full = full
	var err error
	if v.classes, err = lib.Classes(ctx); err != nil {
		return nil, err
	}
	if c, ok := lib.(interface{ MaxClass() string }); ok {
		v.maxClass = c.MaxClass()
	}
	if d, ok := lib.(interface{ DefaultClass() string }); ok { // *store.DB
		v.defaultClass = d.DefaultClass()
	}
	if v.topics, err = lib.Topics(ctx); err != nil {
		return nil, err
	}
	for _, what := range []string{store.TermTag, store.TermSource} {
		if what == store.TermSource && !full {
			continue
		}
		terms, err := lib.TermCounts(ctx, what)
		if err != nil {
			return nil, err
		}
		terms = mostUsed(terms, vocabTermMax)
		for _, t := range terms {
			if what == store.TermTag {
				v.tags = append(v.tags, t.Value)
			} else {
				v.sources = append(v.sources, t.Value)
			}
		}
	}
	if !full {
		return v, nil
	}
	if v.titles, err = lib.Titles(ctx); err != nil {
		return nil, err
	}
	for _, t := range v.titles {
		v.byID[t.ID] = t
		if _, dup := v.byTitle[fold(t.Title)]; !dup {
			v.byTitle[fold(t.Title)] = t.ID
		}
	}
	return v, nil
}

// allowedClasses are the markings an item may be given here: the scheme's, up to the
// highest allowed.
func (v *vocab) allowedClasses() []string {
	if i := slices.Index(v.classes, v.maxClass); i >= 0 {
		return v.classes[:i+1]
	}
	return v.classes
}

// aboveCeiling reports whether class is above the highest marking allowed here.
func (v *vocab) aboveCeiling(class string) bool {
	m := slices.Index(v.classes, v.maxClass)
	return m >= 0 && slices.Index(v.classes, class) > m
}

func (v *vocab) title(id string) string {
	if t, ok := v.byID[id]; ok {
		return t.Title
	}
	return id
}

func (v *vocab) topicLabel(id string) string {
	for _, t := range v.topics {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}

func (v *vocab) topicSuggestions(q string) []suggestion {
	q = fold(strings.TrimSpace(q))
	var first, then []suggestion
	for _, t := range v.topics {
		s := suggestion{Text: t.Label, Value: t.ID}
		if t.Parent != "" {
			s.Text += " (" + v.topicLabel(t.Parent) + ")"
		}
		switch l := fold(t.Label); {
		case strings.HasPrefix(l, q) || strings.HasPrefix(t.ID, q):
			first = append(first, s)
		case strings.Contains(l, q):
			then = append(then, s)
		}
	}
	return append(first, then...)
}

func (v *vocab) parseTopic(s string) (string, bool) {
	f := fold(strings.TrimSpace(s))
	for _, t := range v.topics {
		if t.ID == f || fold(t.Label) == f {
			return t.ID, true
		}
	}
	return "", false
}

// orgSuggestions offers the organisations whose title matches what is typed.
func (v *vocab) orgSuggestions(q string) []suggestion {
	var orgs []store.Title
	for _, t := range v.titles {
		if t.Kind == store.KindOrganisation {
			orgs = append(orgs, t)
		}
	}
	var out []suggestion
	for _, t := range fuzzyTitles(orgs, q, maxSuggestions) {
		out = append(out, suggestion{Text: t.Title, Value: t.Title})
	}
	return out
}

func (v *vocab) orgTitle(id string) string {
	if id == "" {
		return ""
	}
	return v.title(id)
}

// orgID is the ID of the organisation with that title, or "".
func (v *vocab) orgID(title string) string {
	id := v.byTitle[fold(strings.TrimSpace(title))]
	if t, ok := v.byID[id]; ok && t.Kind == store.KindOrganisation {
		return id
	}
	return ""
}

// mostUsed keeps the n most used of terms (all when fewer), in their order.
func mostUsed(terms []store.Term, n int) []store.Term {
	if len(terms) <= n {
		return terms
	}
	byUse := slices.Clone(terms)
	slices.SortStableFunc(byUse, func(a, b store.Term) int { return b.Count - a.Count })
	keep := make(map[string]bool, n)
	for _, t := range byUse[:n] {
		keep[t.Value] = true
	}
	return slices.DeleteFunc(terms, func(t store.Term) bool { return !keep[t.Value] })
}
