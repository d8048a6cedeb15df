package extract

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

const (
	// readabilityMaxBytes: larger pages skip Readability (whose cost grows faster than the
	// page) and give their visible text. Real article pages are well under it; the largest of
	// the corpus is 1.6 MB.
	readabilityMaxBytes = 8 << 20
	// readabilityMaxElems is the same bound counted in elements.
	readabilityMaxElems = 100000
	// markdownMaxDepth: an article nested deeper than this is given as plain visible text, since
	// the Markdown converter recurses once per level.
	markdownMaxDepth = 200
)

// readHTML reads the main content of a web page (Readability's article, not menus and ads)
// as Markdown-ish text: headings, lists and the text of links, without images. Title, byline
// and date come from the page's metadata. A page with no article (a front page) gives its
// visible text instead; so does a page too large or too deeply nested for Readability.
func readHTML(ctx context.Context, data []byte, lim Limits) (Result, error) {
	src := decodeHTML(data)
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	var res Result
	if len(src) <= readabilityMaxBytes {
		doc, err := html.Parse(strings.NewReader(src))
		if err == nil {
			res.Title = documentTitle(doc)
			p := readability.NewParser()
			p.MaxElemsToParse = readabilityMaxElems
			art, err := p.ParseAndMutate(doc, nil)
			if cerr := ctx.Err(); cerr != nil {
				return Result{}, cerr
			}
			if err == nil {
				if t := clean(art.Title()); t != "" {
					res.Title = t
				}
				res.Author = clean(art.Byline())
				if d, err := art.PublishedTime(); err == nil && d.Year() > 1900 {
					res.Date = d
				}
				if art.Node != nil {
					res.Text = articleText(ctx, art.Node)
				}
			}
		}
	}
	if strings.TrimSpace(res.Text) == "" {
		if err := ctx.Err(); err != nil {
			return Result{}, err
		}
		text, title, err := visibleText(ctx, src, lim.MaxText)
		if err != nil {
			return Result{}, err
		}
		res.Text = text
		if res.Title == "" {
			res.Title = title
		}
	}
	if strings.TrimSpace(res.Text) == "" {
		res.Empty, res.Reason = true, "no text"
	}
	return res, nil
}

// articleText converts Readability's article to Markdown: links become their text, images
// are dropped. A deeply nested article, or one the converter fails on, gives its plain text.
func articleText(ctx context.Context, n *html.Node) string {
	if depth(n) <= markdownMaxDepth {
		conv := converter.NewConverter(
			converter.WithPlugins(base.NewBasePlugin(), commonmark.NewCommonmarkPlugin()),
			converter.WithEscapeMode(converter.EscapeModeDisabled),
		)
		conv.Register.TagType("img", converter.TagTypeRemove, converter.PriorityEarly)
		conv.Register.TagType("picture", converter.TagTypeRemove, converter.PriorityEarly)
		conv.Register.TagType("svg", converter.TagTypeRemove, converter.PriorityEarly)
		conv.Register.RendererFor("a", converter.TagTypeInline, func(c converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
			c.RenderChildNodes(c, w, n)
			return converter.RenderSuccess
		}, converter.PriorityEarly)
		if md, err := conv.ConvertNode(n, converter.WithContext(ctx)); err == nil {
			// The converter writes <, > and & in text as entities even with escaping off.
			return tidyLines(html.UnescapeString(string(md)))
		}
	}
	var b strings.Builder
	if err := html.Render(&b, n); err != nil {
		return ""
	}
	text, _, _ := visibleText(ctx, b.String(), 0)
	return text
}

// depth is how deeply n's element tree nests, counted without recursion.
func depth(n *html.Node) int {
	type item struct {
		n *html.Node
		d int
	}
	most := 0
	stack := []item{{n, 1}}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		most = max(most, it.d)
		for c := it.n.FirstChild; c != nil; c = c.NextSibling {
			stack = append(stack, item{c, it.d + 1})
		}
	}
	return most
}

// documentTitle is the text of the first <title>, found without recursion.
func documentTitle(doc *html.Node) string {
	stack := []*html.Node{doc}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if n.Type == html.ElementNode && n.Data == "title" {
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.TextNode {
					b.WriteString(c.Data)
				}
			}
			return clean(b.String())
		}
		for c := n.LastChild; c != nil; c = c.PrevSibling {
			stack = append(stack, c)
		}
	}
	return ""
}

// skippedTags hold no visible text.
var skippedTags = map[string]bool{
	"script": true, "style": true, "noscript": true, "template": true, "svg": true, "math": true,
	"iframe": true, "object": true, "select": true, "button": true, "canvas": true,
}

// blockTags end a line of visible text.
var blockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "tr": true,
	"table": true, "section": true, "article": true, "header": true, "footer": true,
	"nav": true, "aside": true, "main": true, "blockquote": true, "pre": true, "hr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "dd": true,
	"dt": true, "dl": true, "figure": true, "figcaption": true, "form": true, "address": true,
	"td": true, "th": true,
}

// visibleText is the text a browser would show, read with the tokenizer (no tree, so any
// nesting depth is fine), and the page's <title>. It stops once it holds more than max bytes
// (0: no bound).
func visibleText(ctx context.Context, src string, max int) (text, title string, err error) {
	z := html.NewTokenizer(strings.NewReader(src))
	var b, line, tb strings.Builder
	skip, inTitle := 0, false
	endLine := func() {
		l := strings.Join(strings.Fields(line.String()), " ")
		line.Reset()
		if l != "" {
			addSep(&b, l, "\n\n")
		}
	}
	for n := 0; ; n++ {
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return "", "", err
			}
			if max > 0 && b.Len() > max {
				break
			}
		}
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "title" && tt == html.StartTagToken {
				inTitle = true
			}
			if skippedTags[tag] && tt == html.StartTagToken {
				skip++
			}
			if blockTags[tag] {
				endLine()
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			if tag == "title" {
				inTitle = false
			}
			if skippedTags[tag] && skip > 0 {
				skip--
			}
			if blockTags[tag] {
				endLine()
			}
		case html.TextToken:
			if inTitle {
				tb.Write(z.Text())
				continue
			}
			if skip == 0 {
				line.WriteByte(' ')
				line.Write(z.Text())
			}
		}
	}
	endLine()
	return b.String(), clean(tb.String()), nil
}

// tidyLines trims trailing spaces and folds runs of blank lines into one.
func tidyLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t\u00a0")
		if strings.TrimSpace(l) == "" {
			if blank++; blank > 1 {
				continue
			}
			l = ""
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

// clean folds white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

var xmlEncoding = regexp.MustCompile(`^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)

// decodeHTML turns a page into UTF-8. A byte-order mark wins; then bytes that are valid UTF-8
// are taken as UTF-8 whatever the page declares (pages saved from a browser are often
// re-encoded without their <meta charset> being changed); then the charset declared in
// <meta> or in an XML declaration; then the 8-bit guess of DecodeText.
func decodeHTML(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		if s, err := DecodeText(data); err == nil {
			return s
		}
	}
	if utf8.Valid(data) {
		return string(data)
	}
	var e encoding.Encoding
	if m := xmlEncoding.FindSubmatch(data[:min(len(data), 1024)]); m != nil {
		e, _ = charset.Lookup(string(m[1]))
	}
	if e == nil {
		if d, name, _ := charset.DetermineEncoding(data, ""); name != "windows-1252" || hasMetaCharset(data) {
			e = d
		}
	}
	if e == nil || e == unicode.UTF8 || e == encoding.Nop {
		e = guess8bit(data)
	}
	s, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return strings.ToValidUTF8(string(s), "\uFFFD")
}

// hasMetaCharset says whether the head of a page declares a charset at all; DetermineEncoding
// answers windows-1252 both when a page declares it and when it has to guess.
func hasMetaCharset(data []byte) bool {
	head := bytes.ToLower(data[:min(len(data), 1024)])
	return bytes.Contains(head, []byte("charset"))
}
