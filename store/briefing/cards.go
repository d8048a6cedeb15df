package briefing

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"chancery/store"
)

// excerptSize is about how many characters of a document an excerpt takes when the section
// names none; it is cut at a paragraph.
const excerptSize = 1500

// orgNamer names the organisations a card refers to (a contact's, an organisation's
// parent), as far as the copy may: one marked above the release ceiling is said to be
// withheld, with its marking and without its name. top is the highest rank of what it
// named, for the section's marking.
type orgNamer struct {
	ctx     context.Context
	db      *store.DB
	r       rankFunc
	ceiling int // -1 for a full copy
	top     int
}

// name is what a card prints for organisation id: its name, "organisation withheld
// (SECRET)", or "" when there is none (or it is gone).
func (n *orgNamer) name(id string) string {
	if id == "" {
		return ""
	}
	o, err := n.db.Get(n.ctx, id)
	if err != nil || o.Deleted != nil {
		return ""
	}
	rank := n.r.rank(o.Class)
	if n.ceiling >= 0 && rank > n.ceiling {
		return "organisation withheld (" + n.r.name(o.Class) + ")"
	}
	n.top = max(n.top, rank)
	return o.Title
}

// itemBody is the Markdown an included item contributes to a section. Organisations the
// card names go through n.
func itemBody(n *orgNamer, it store.Item, s store.Section) string {
	switch it.Kind {
	case store.KindContact:
		return contactCard(n, it)
	case store.KindOrganisation:
		return orgCard(n, it)
	case store.KindDocument:
		return documentExcerpt(it, s.Text)
	case store.KindBriefing:
		return strings.TrimSpace(it.Body) + "\n\n*(Another briefing; its sections are not included here.)*\n"
	}
	return it.Body
}

func contactCard(n *orgNamer, it store.Item) string {
	c := it.Contact
	if c == nil {
		c = &store.Contact{}
	}
	var b strings.Builder
	name := strings.TrimSpace(strings.Join(nonEmpty(c.Honorific, c.GivenName, c.FamilyName), " "))
	if c.GivenName == "" && c.FamilyName == "" {
		name = strings.TrimSpace(strings.Join(nonEmpty(c.Honorific, it.Title), " "))
	}
	fmt.Fprintf(&b, "**%s**\n\n", mdEscape(name))
	var lines []string
	role := strings.Join(nonEmpty(c.JobTitle, n.name(c.OrgID)), ", ")
	if role != "" {
		lines = append(lines, mdEscape(role))
	}
	if c.Role != "" {
		lines = append(lines, "Role: "+mdEscape(c.Role))
	}
	if cs := countryNames(it.Countries); cs != "" {
		lines = append(lines, "Countries: "+mdEscape(cs))
	}
	if len(c.Languages) > 0 {
		var ls []string
		for _, l := range c.Languages {
			ls = append(ls, languageName(l))
		}
		lines = append(lines, "Languages: "+mdEscape(strings.Join(ls, ", ")))
	}
	for _, e := range c.Emails {
		lines = append(lines, "Email"+label(e.Label)+": "+mdEscape(e.Value))
	}
	for _, ph := range c.Phones {
		lines = append(lines, "Phone"+label(ph.Label)+": "+mdEscape(ph.Value))
	}
	for _, l := range lines {
		b.WriteString("- " + l + "\n")
	}
	if body := strings.TrimSpace(it.Body); body != "" {
		b.WriteString("\n" + body + "\n")
	}
	return b.String()
}

func orgCard(n *orgNamer, it store.Item) string {
	o := it.Organisation
	if o == nil {
		o = &store.Organisation{}
	}
	var b strings.Builder
	name := it.Title
	if o.Acronym != "" && !strings.Contains(name, o.Acronym) {
		name += " (" + o.Acronym + ")"
	}
	fmt.Fprintf(&b, "**%s**\n\n", mdEscape(name))
	if o.Type != "" {
		b.WriteString("- Type: " + mdEscape(o.Type) + "\n")
	}
	if p := n.name(o.ParentID); p != "" {
		b.WriteString("- Part of: " + mdEscape(p) + "\n")
	}
	if cs := countryNames(it.Countries); cs != "" {
		b.WriteString("- Countries: " + mdEscape(cs) + "\n")
	}
	if o.Website != "" {
		b.WriteString("- Website: " + mdEscape(o.Website) + "\n")
	}
	if body := strings.TrimSpace(it.Body); body != "" {
		b.WriteString("\n" + cutAtParagraph(body, 600) + "\n")
	}
	return b.String()
}

// documentExcerpt is the chosen excerpt when there is one, else the document's first
// paragraphs; both under the document's title and source.
func documentExcerpt(it store.Item, chosen string) string {
	var b strings.Builder
	src := []string{"*" + mdEscape(it.Title) + "*"}
	if it.Source != "" {
		src = append(src, "source: "+mdEscape(it.Source))
	}
	if !it.Date.IsZero() {
		src = append(src, store.FormatDate(it.Date))
	}
	b.WriteString("Excerpt from " + strings.Join(src, ", ") + ".\n\n")
	text := strings.TrimSpace(chosen)
	if text == "" {
		body := strings.TrimSpace(it.Body)
		if !isMarkdownDoc(it) {
			body = plainToMarkdown(body)
		}
		text = cutAtParagraph(body, excerptSize)
	} else if !isMarkdownDoc(it) {
		text = plainToMarkdown(text)
	}
	if text == "" {
		text = "*(The document has no text.)*"
	}
	b.WriteString(text + "\n")
	return b.String()
}

func isMarkdownDoc(it store.Item) bool {
	d := it.Document
	return d != nil && (strings.HasSuffix(strings.ToLower(d.FileName), ".md") || strings.Contains(d.MIME, "markdown"))
}

var paraSplit = regexp.MustCompile(`\n[ \t]*\n`)

// cutAtParagraph keeps whole paragraphs until about n characters; a first paragraph far
// longer than n is cut at a word and marked with an ellipsis.
func cutAtParagraph(s string, n int) string {
	paras := paraSplit.Split(strings.TrimSpace(s), -1)
	var out []string
	size := 0
	for _, p := range paras {
		if size > 0 && size+len([]rune(p)) > n {
			out = append(out, "…")
			break
		}
		out = append(out, p)
		size += len([]rune(p))
		if size >= n {
			if len(out) < len(paras) {
				out = append(out, "…")
			}
			break
		}
	}
	if len(out) > 0 {
		if r := []rune(out[0]); len(r) > 2*n {
			cut := r[:n]
			if i := strings.LastIndexFunc(string(cut), unicode.IsSpace); i > n/2 {
				cut = []rune(string(cut)[:i])
			}
			out = []string{string(cut) + " …"}
		}
	}
	return strings.Join(out, "\n\n")
}

// plainToMarkdown keeps plain text as it reads: Markdown's special characters escaped and
// line breaks kept.
func plainToMarkdown(s string) string {
	paras := paraSplit.Split(s, -1)
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		for j, l := range lines {
			lines[j] = mdEscape(strings.TrimRight(l, " \t\r"))
		}
		paras[i] = strings.Join(lines, "\\\n")
	}
	return strings.Join(paras, "\n\n")
}

var mdSpecial = strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "`", "\\`", "#", `\#`, "|", `\|`, "~", `\~`)
var mdListStart = regexp.MustCompile(`^(\s*)([-+]|\d+[.)])(\s)`)

// mdEscape makes text literal in Markdown.
func mdEscape(s string) string {
	s = mdSpecial.Replace(s)
	return mdListStart.ReplaceAllStringFunc(s, func(m string) string {
		sub := mdListStart.FindStringSubmatch(m)
		mark := sub[2]
		if mark == "-" || mark == "+" {
			return sub[1] + `\` + mark + sub[3]
		}
		return sub[1] + mark[:len(mark)-1] + `\` + mark[len(mark)-1:] + sub[3]
	})
}

func countryNames(codes []string) string {
	var out []string
	for _, c := range codes {
		if k, ok := store.LookupCountry(c); ok {
			out = append(out, k.Name)
		} else {
			out = append(out, c)
		}
	}
	return strings.Join(out, ", ")
}

func languageName(code string) string {
	t, err := language.Parse(code)
	if err != nil {
		return code
	}
	if n := display.English.Tags().Name(t); n != "" {
		return n
	}
	return code
}

func label(l string) string {
	if l == "" {
		return ""
	}
	return " (" + l + ")"
}

func nonEmpty(s ...string) []string {
	var out []string
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}
