package ui

import (
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"chancery/search"
	"chancery/store"
)

// classColors are the fill and text colours of each classification marking: the same in
// light and dark themes, so a marking always looks the same.
var classColors = map[string][2]color.Color{
	"UNCLASSIFIED": {color.NRGBA{0x2e, 0x7d, 0x32, 0xff}, color.White}, // green
	"RESTRICTED":   {color.NRGBA{0xff, 0xb3, 0x00, 0xff}, color.Black}, // amber
	"CONFIDENTIAL": {color.NRGBA{0xe6, 0x51, 0x00, 0xff}, color.White}, // orange
	"SECRET":       {color.NRGBA{0xc6, 0x28, 0x28, 0xff}, color.White}, // red
}

// classColor returns the fill and text colour for a marking; grey for markings of a
// scheme this table does not know.
func classColor(class string) (fill, text color.Color) {
	if c, ok := classColors[strings.ToUpper(class)]; ok {
		return c[0], c[1]
	}
	return color.NRGBA{0x61, 0x61, 0x61, 0xff}, color.White
}

// kindIcon is the icon shown beside an item of kind k.
func kindIcon(k store.Kind) fyne.Resource {
	switch k {
	case store.KindContact:
		return theme.AccountIcon()
	case store.KindOrganisation:
		return theme.HomeIcon()
	case store.KindDocument:
		return theme.FileTextIcon()
	case store.KindBriefing:
		return theme.ListIcon()
	case store.KindIncident:
		return theme.WarningIcon()
	}
	return theme.DocumentIcon()
}

// kindLabel is a kind's name for people: "Note", "Contact"...
func kindLabel(k store.Kind) string {
	s := string(k)
	if s == "" {
		return "Item"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// countryNames turns codes into names: "Nigeria, Benin"; codes it does not know stay codes.
func countryNames(codes []string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		if ct, ok := store.LookupCountry(c); ok && ct.Name != "" {
			names = append(names, ct.Name)
		} else {
			names = append(names, c)
		}
	}
	return strings.Join(names, ", ")
}

// formatDate is how dates are shown: "3 Nov 2026", or "1957" for a date that stands for a
// year; empty for the zero time.
func formatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if store.YearOnly(t) {
		return t.UTC().Format("2006")
	}
	return t.Format("2 Jan 2006")
}

// thousands writes n with comma separators: 10952 → "10,952".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

// plural is "1 item", "2 items", "1,234 items".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

// formatTook is a search's duration as people read it: "0.4 ms", "12 ms", "1.2 s".
func formatTook(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	switch {
	case ms < 0.1:
		return "0.1 ms"
	case ms < 10:
		return fmt.Sprintf("%.1f ms", ms)
	case ms < 1000:
		return fmt.Sprintf("%.0f ms", ms)
	}
	return fmt.Sprintf("%.1f s", ms/1000)
}

// snippetContext is how many characters of text a result row keeps before the first match.
const snippetContext = 48

// snippetSegments turns a snippet into rich text segments with the matches in bold and the
// theme's primary colour. A long lead-in before the first match is cut (at a word) so the
// match shows in a one-line row.
func snippetSegments(sn search.Snippet) []widget.RichTextSegment {
	spans := trimLeadIn(sn, snippetContext)
	segs := make([]widget.RichTextSegment, 0, len(spans))
	for _, sp := range spans {
		if sp.Text == "" {
			continue
		}
		style := widget.RichTextStyleInline
		style.ColorName = theme.ColorNameForeground
		if sp.Match {
			style.TextStyle = fyne.TextStyle{Bold: true}
			style.ColorName = theme.ColorNamePrimary
		}
		segs = append(segs, &widget.TextSegment{Text: sp.Text, Style: style})
	}
	return segs
}

// trimLeadIn cleans a snippet for a one-line row: Markdown markers go, runs of spaces
// collapse, a word cut in half at the start goes, and the text before the first match is
// shortened to about keep runes, starting at a word, with an ellipsis.
func trimLeadIn(sn search.Snippet, keep int) search.Snippet {
	out := make(search.Snippet, 0, len(sn))
	for _, sp := range sn {
		text := collapseSpaces(sp.Text)
		if !sp.Match {
			text = stripMarkdown(text)
		}
		out = append(out, search.Span{Text: text, Match: sp.Match})
	}
	if len(out) == 0 || out[0].Match || !slices.ContainsFunc(out, func(sp search.Span) bool { return sp.Match }) {
		return out // nothing matched (an item's lead): it reads from its start
	}
	lead := strings.TrimLeftFunc(out[0].Text, unicode.IsSpace)
	cut := false
	if rest, ok := strings.CutPrefix(lead, "…"); ok {
		// The index cut the text here ("… ords Nigeria's"), likely inside a word: start at
		// the next one.
		cut = true
		lead = strings.TrimPrefix(rest, " ")
		if i := strings.IndexFunc(lead, unicode.IsSpace); i > 0 && len(out) > 1 {
			lead = lead[i:]
		}
	}
	lead = strings.TrimLeftFunc(lead, unicode.IsSpace)
	if r := []rune(lead); len(r) > keep {
		i := len(r) - keep
		for i < len(r) && !unicode.IsSpace(r[i]) {
			i++
		}
		lead = strings.TrimLeftFunc(string(r[i:]), unicode.IsSpace)
		cut = true
	}
	for _, bullet := range []string{"- ", "* ", "+ "} {
		lead = strings.TrimPrefix(lead, bullet) // a list item's marker
	}
	if cut {
		lead = "… " + lead
	}
	out[0].Text = lead
	return out
}

var (
	markdownMarks   = strings.NewReplacer("**", "", "__", "", "`", "", "[[", "", "]]", "")
	markdownHeading = regexp.MustCompile(`(^|\s)#{1,6}\s`)
)

// stripMarkdown drops the Markdown markers that would show as noise in a snippet.
func stripMarkdown(s string) string {
	return markdownHeading.ReplaceAllString(markdownMarks.Replace(s), "$1")
}

func collapseSpaces(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// languageNames turns ISO 639-1 codes into English names: "en, ha" → "English, Hausa";
// codes it does not know stay codes.
func languageNames(codes ...string) string {
	names := make([]string, 0, len(codes))
	for _, c := range codes {
		name := ""
		if tag, err := language.Parse(c); err == nil {
			name = display.English.Languages().Name(tag)
		}
		if name == "" {
			name = c
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// reliabilityWords spells out an Admiralty grade: "B2" → "B2 — usually reliable source,
// information probably true".
func reliabilityWords(grade string) string {
	if grade == "" {
		return ""
	}
	sources := map[byte]string{
		'A': "completely reliable source", 'B': "usually reliable source", 'C': "fairly reliable source",
		'D': "source not usually reliable", 'E': "unreliable source", 'F': "source reliability cannot be judged",
	}
	infos := map[byte]string{
		'1': "confirmed by other sources", '2': "probably true", '3': "possibly true",
		'4': "doubtful", '5': "improbable", '6': "truth cannot be judged",
	}
	var parts []string
	if s, ok := sources[grade[0]]; ok {
		parts = append(parts, s)
	}
	if len(grade) > 1 {
		if s, ok := infos[grade[1]]; ok {
			parts = append(parts, "information "+s)
		}
	}
	if len(parts) == 0 {
		return grade
	}
	return grade + " — " + strings.Join(parts, ", ")
}
