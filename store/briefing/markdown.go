package briefing

import (
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The PDF and DOCX writers lay out Markdown as a list of blocks of styled runs.

type blockKind int

const (
	bPara blockKind = iota
	bHeading
	bItem  // a list item's paragraph; bullet is empty for its second paragraph on
	bQuote // a paragraph inside a block quote
	bCode  // a line of a code block
	bRule
)

type block struct {
	kind   blockKind
	level  int    // heading level (1-6); list nesting depth (1 for a top-level item)
	bullet string // "•", "1.": the item's marker
	runs   []run
}

type run struct {
	text               string
	bold, italic, mono bool
	link               string
}

func (b block) plain() string {
	var s strings.Builder
	for _, r := range b.runs {
		s.WriteString(r.text)
	}
	return s.String()
}

var mdParser = goldmark.New(goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(safeLinks{}, 50)))).Parser()

// parseBlocks parses Markdown into blocks. Raw HTML in the text is kept as literal text,
// never interpreted; links and images are as safeLinks leaves them.
func parseBlocks(src string) []block {
	source := []byte(src)
	doc := mdParser.Parse(text.NewReader(source))
	var c collector
	c.source = source
	c.blocks(doc, 0, false)
	return c.out
}

type collector struct {
	source []byte
	out    []block
}

func (c *collector) blocks(n ast.Node, depth int, quote bool) {
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch v := ch.(type) {
		case *ast.Heading:
			c.out = append(c.out, block{kind: bHeading, level: v.Level, runs: c.inlines(v, run{})})
		case *ast.Paragraph, *ast.TextBlock:
			k := bPara
			if quote {
				k = bQuote
			}
			c.out = append(c.out, block{kind: k, level: depth, runs: c.inlines(v, run{italic: quote})})
		case *ast.Blockquote:
			c.blocks(v, depth, true)
		case *ast.List:
			num := v.Start
			for it := v.FirstChild(); it != nil; it = it.NextSibling() {
				marker := "•"
				if depth > 0 {
					marker = "◦"
				}
				if v.IsOrdered() {
					marker = strconv.Itoa(num) + "."
					num++
				}
				start := len(c.out)
				c.blocks(it, depth+1, quote)
				if start < len(c.out) && c.out[start].kind != bItem {
					// An item whose first child is a paragraph: that paragraph carries the marker.
					c.out[start].kind, c.out[start].bullet = bItem, marker
				} else if start == len(c.out) {
					c.out = append(c.out, block{kind: bItem, level: depth + 1, bullet: marker})
				}
				for i := start + 1; i < len(c.out); i++ {
					if c.out[i].kind == bPara && c.out[i].level == depth+1 {
						c.out[i].kind = bItem
					}
				}
			}
		case *ast.FencedCodeBlock, *ast.CodeBlock:
			lines := ch.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				c.out = append(c.out, block{kind: bCode, level: depth, runs: []run{{text: strings.TrimRight(string(seg.Value(c.source)), "\r\n"), mono: true}}})
			}
		case *ast.ThematicBreak:
			c.out = append(c.out, block{kind: bRule})
		case *ast.HTMLBlock:
			var s strings.Builder
			lines := v.Lines()
			for i := 0; i < lines.Len(); i++ {
				seg := lines.At(i)
				s.Write(seg.Value(c.source))
			}
			c.out = append(c.out, block{kind: bPara, level: depth, runs: []run{{text: strings.TrimSpace(s.String())}}})
		default:
			c.blocks(ch, depth, quote)
		}
	}
}

func (c *collector) inlines(n ast.Node, style run) []run {
	var out []run
	add := func(s string, st run) {
		if s == "" {
			return
		}
		st.text = s
		if k := len(out) - 1; k >= 0 && out[k].bold == st.bold && out[k].italic == st.italic && out[k].mono == st.mono && out[k].link == st.link {
			out[k].text += s
			return
		}
		out = append(out, st)
	}
	var walk func(n ast.Node, st run)
	walk = func(n ast.Node, st run) {
		for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
			switch v := ch.(type) {
			case *ast.Text:
				t := v.Value(c.source)
				if !st.mono {
					t = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(t)))
				}
				add(string(t), st)
				if v.HardLineBreak() {
					add("\n", st)
				} else if v.SoftLineBreak() {
					add(" ", st)
				}
			case *ast.String:
				add(string(v.Value), st)
			case *ast.Emphasis:
				s2 := st
				if v.Level >= 2 {
					s2.bold = true
				} else {
					s2.italic = true
				}
				walk(v, s2)
			case *ast.CodeSpan:
				s2 := st
				s2.mono = true
				walk(v, s2)
			case *ast.Link:
				s2 := st
				s2.link = string(v.Destination)
				walk(v, s2)
			case *ast.AutoLink:
				s2 := st
				s2.link = string(v.URL(c.source))
				add(string(v.Label(c.source)), s2)
			case *ast.RawHTML:
				for i := 0; i < v.Segments.Len(); i++ {
					seg := v.Segments.At(i)
					add(string(seg.Value(c.source)), st)
				}
			default:
				walk(ch, st)
			}
		}
	}
	walk(n, style)
	return out
}
