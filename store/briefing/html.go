package briefing

import (
	"bytes"
	"fmt"
	"html/template"
	"io"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"chancery/store"
)

// htmlMarkdown renders Markdown without passing raw HTML through (goldmark's default: raw
// HTML is dropped), keeps only the links LinkAllowed allows, turns images into their alt
// text (linked to the image when it is on the web: nothing is fetched when the page is
// opened), and marks every block dir="auto" so each paragraph takes the direction of its
// own text.
var htmlMarkdown = goldmark.New(goldmark.WithParserOptions(parser.WithASTTransformers(
	util.Prioritized(safeLinks{}, 50), util.Prioritized(dirAuto{}, 100))))

type dirAuto struct{}

func (dirAuto) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindHeading, ast.KindListItem, ast.KindBlockquote:
			n.SetAttributeString("dir", []byte("auto"))
		}
		return ast.WalkContinue, nil
	})
}

func renderHTML(md string) (template.HTML, error) {
	var b bytes.Buffer
	if err := htmlMarkdown.Convert([]byte(md), &b); err != nil {
		return "", err
	}
	return template.HTML(b.String()), nil // goldmark escapes the text; raw HTML is omitted
}

type htmlSection struct {
	N       int
	ID      string
	Heading string
	Kind    store.Kind
	Marking string
	Body    template.HTML
}

func (p *Pack) writeHTML(w io.Writer) error {
	purpose, err := renderHTML(p.Purpose)
	if err != nil {
		return fmt.Errorf("briefing: render purpose: %w", err)
	}
	data := struct {
		*Pack
		PurposeHTML template.HTML
		DateText    string
		Secs        []htmlSection
	}{Pack: p, PurposeHTML: purpose, DateText: store.FormatDate(p.Date)}
	for i, s := range p.Sections {
		body, err := renderHTML(shiftHeadings(s.Body, 2))
		if err != nil {
			return fmt.Errorf("briefing: render section %q: %w", s.Heading, err)
		}
		data.Secs = append(data.Secs, htmlSection{N: i + 1, ID: fmt.Sprintf("section-%d", i+1), Heading: s.Heading, Kind: s.Kind, Marking: s.Marking, Body: body})
	}
	if err := htmlPage.Execute(w, data); err != nil {
		return fmt.Errorf("briefing: write HTML: %w", err)
	}
	return nil
}

var htmlPage = template.Must(template.New("pack").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Marking}} — {{.Title}}</title>
<style>
body { font-family: "Segoe UI", "Noto Sans", "DejaVu Sans", Arial, sans-serif; max-width: 48em; margin: 0 auto; padding: 0 1.5em; line-height: 1.45; color: #111; }
.banner { text-align: center; font-weight: bold; color: #a00000; letter-spacing: .08em; padding: .4em 0; }
header.banner { border-bottom: 1px solid #a00000; }
footer.banner { border-top: 1px solid #a00000; }
.cover { page-break-after: always; break-after: page; padding-top: 3em; }
.cover h1 { font-size: 1.9em; }
.cover dt { font-weight: bold; margin-top: .6em; }
.release { color: #a00000; font-weight: bold; margin-top: 1.2em; }
nav.toc { page-break-after: always; break-after: page; }
nav.toc ol { padding-left: 1.5em; }
.marking { color: #a00000; font-size: .8em; font-weight: normal; }
section.part { margin-top: 2em; }
section.part > h2 { border-bottom: 1px solid #ccc; padding-bottom: .2em; }
p, li, h1, h2, h3, h4, blockquote { unicode-bidi: plaintext; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1em; color: #333; }
pre { white-space: pre-wrap; background: #f4f4f4; padding: .5em; }
@media print {
  body { max-width: none; padding: 0; }
  header.banner { position: fixed; top: 0; left: 0; right: 0; background: #fff; }
  footer.banner { position: fixed; bottom: 0; left: 0; right: 0; background: #fff; }
  main { margin: 2.5em 0; }
  @page { margin: 2.5cm 2cm; }
}
</style>
</head>
<body>
<header class="banner" role="banner">{{.Marking}}</header>
<main>
<div class="cover">
<h1 dir="auto">{{.Title}}</h1>
<dl>
{{- if .Purpose}}<dt>Purpose</dt><dd>{{.PurposeHTML}}</dd>{{end}}
{{- if .Audience}}<dt>Audience</dt><dd dir="auto">{{.Audience}}</dd>{{end}}
<dt>Date</dt><dd>{{.DateText}}</dd>
{{- range .Fields}}<dt>{{.Name}}</dt><dd dir="auto">{{.Value}}</dd>{{end}}
<dt>Marking</dt><dd>{{.Marking}}</dd>
</dl>
{{- if .Ceiling}}
<p class="release">Release copy — releasable up to {{.Ceiling}}</p>
{{- if .Withheld}}
<p>Withheld from this copy:</p>
<ul class="withheld">{{range .Withheld}}<li dir="auto">{{.}}</li>{{end}}</ul>
{{- else}}<p>Nothing was withheld.</p>{{end}}
{{- end}}
</div>
<nav class="toc">
<h2>Contents</h2>
<ol>{{range .Secs}}<li><a href="#{{.ID}}" dir="auto">{{.Heading}}</a> <span class="marking">{{.Marking}}</span></li>{{end}}</ol>
</nav>
{{range .Secs}}<section class="part" id="{{.ID}}">
<h2 dir="auto">{{.N}}. {{.Heading}} <span class="marking">{{.Marking}}{{if .Kind}} · {{.Kind}}{{end}}</span></h2>
{{.Body}}</section>
{{end}}</main>
<footer class="banner" role="contentinfo">{{.Marking}}</footer>
</body>
</html>
`))
