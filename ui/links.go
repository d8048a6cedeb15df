package ui

import (
	"net/url"
	"regexp"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// Links in a note's text are written [[Title]]. Typing [[ or @ in a note opens a picker
// over every title and writes the link; saving the note links it to the items named
// (Rel "mentions"), so they show it among their backlinks; the note's view shows each
// [[Title]] as a link that opens the item.

// linkMarkup matches [[Title]] in a note's Markdown.
var linkMarkup = regexp.MustCompile(`\[\[([^\[\]\n]+)\]\]`)

// linkedTitles returns the titles written as [[Title]] in md, in order, each once.
func linkedTitles(md string) []string {
	var out []string
	for _, m := range linkMarkup.FindAllStringSubmatch(md, -1) {
		t := strings.TrimSpace(m[1])
		if t != "" && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// mentionLinks updates an item's links for a change of its text from oldMD to newMD:
// the "mentions" links to titles no longer written go, links to titles newly written are
// added; other links stay. resolve turns a title into an item ID ("" when none has it).
func mentionLinks(links []store.Link, oldMD, newMD string, resolve func(string) string) []store.Link {
	targets := func(md string) []string {
		var ids []string
		for _, t := range linkedTitles(md) {
			if id := resolve(t); id != "" && !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		return ids
	}
	was, now := targets(oldMD), targets(newMD)
	isMention := func(l store.Link) bool { return l.Rel == "" || l.Rel == "mentions" }
	out := slices.DeleteFunc(slices.Clone(links), func(l store.Link) bool {
		return isMention(l) && slices.Contains(was, l.To) && !slices.Contains(now, l.To)
	})
	for _, id := range now {
		if !slices.ContainsFunc(out, func(l store.Link) bool { return l.To == id && isMention(l) }) {
			out = append(out, store.Link{To: id, Rel: "mentions"})
		}
	}
	return out
}

// linkScheme is the URL scheme of links to items inside rendered Markdown.
const linkScheme = "chancery"

// linkedMarkdown renders md with each [[Title]] whose title is in ids as a link that calls
// open with the item's ID; other [[Title]]s are shown in bold. Other links and images are
// made safe by out.markdown.
func linkedMarkdown(out *outside, md string, ids map[string]string, open func(id string)) *widget.RichText {
	md = linkMarkup.ReplaceAllStringFunc(md, func(m string) string {
		title := strings.TrimSpace(m[2 : len(m)-2])
		if id, ok := ids[fold(title)]; ok {
			return "[" + title + "](" + linkScheme + ":" + url.PathEscape(id) + ")"
		}
		return "**" + title + "**"
	})
	return out.markdown(md, open)
}

// bodyEntry is the Markdown editor of a note: typing [[ or @ (at the start of a word)
// calls onLinkTrigger with what was typed.
type bodyEntry struct {
	widget.Entry
	onLinkTrigger func(trigger string)
}

func newBodyEntry() *bodyEntry {
	e := &bodyEntry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune types r, then offers a link when r completes [[ or starts a word with @.
func (e *bodyEntry) TypedRune(r rune) {
	e.Entry.TypedRune(r)
	if e.onLinkTrigger == nil || (r != '[' && r != '@') {
		return
	}
	before := []rune(e.Text)[:min(e.CursorTextOffset(), len([]rune(e.Text)))]
	n := len(before)
	switch {
	case r == '[' && n >= 2 && before[n-2] == '[' && (n == 2 || before[n-3] != '['):
		e.onLinkTrigger("[[")
	case r == '@' && (n == 1 || strings.ContainsRune(" \t\n([", before[n-2])):
		e.onLinkTrigger("@")
	}
}

// replaceBeforeCursor removes trigger just before the cursor, when it is there, and types
// text in its place.
func (e *bodyEntry) replaceBeforeCursor(trigger, text string) {
	before := []rune(e.Text)[:min(e.CursorTextOffset(), len([]rune(e.Text)))]
	if strings.HasSuffix(string(before), trigger) {
		for range []rune(trigger) {
			e.Entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace})
		}
	}
	// Pasted, not typed: the Entry inserts a paste at the cursor as one piece, where typed
	// spaces at the edge of a wrapped row can land out of place.
	e.Entry.TypedShortcut(&fyne.ShortcutPaste{Clipboard: &textClipboard{text: text}})
}

// textClipboard is a clipboard holding one text, to paste it into an entry.
type textClipboard struct{ text string }

func (c *textClipboard) Content() string        { return c.text }
func (c *textClipboard) SetContent(text string) { c.text = text }
