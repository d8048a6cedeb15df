package briefing

import (
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// LinkAllowed reports whether a pack may carry dest as a link: only http and https
// addresses (with a host) and mailto. Everything else (javascript:, file:, data:,
// ms-msdt:, search-ms:, a relative path that a viewer would resolve against the file's
// folder) is written as plain text. It is the one rule every format follows.
func LinkAllowed(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// imageLinkAllowed reports whether an image's source may become a link to it (never an
// image: nothing in a pack is fetched when it is opened).
func imageLinkAllowed(src string) bool {
	l := strings.ToLower(strings.TrimSpace(src))
	return LinkAllowed(src) && (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://"))
}

// safeLinks unlinks what LinkAllowed refuses (its text stays) and replaces every image by
// its alt text, linked to the image when it is on the web. Both Markdown parsers run it
// (htmlMarkdown for HTML, mdParser for the blocks PDF, DOCX and Markdown are written
// from), so the rule is applied once, in the same way, for every format.
type safeLinks struct{}

func (safeLinks) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var nodes []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n.(type) {
			case *ast.Link, *ast.AutoLink, *ast.Image:
				nodes = append(nodes, n)
			}
		}
		return ast.WalkContinue, nil
	})
	// unwrap puts n's children in its place.
	unwrap := func(n ast.Node) {
		parent := n.Parent()
		for ch := n.FirstChild(); ch != nil; ch = n.FirstChild() {
			parent.InsertBefore(parent, n, ch)
		}
		parent.RemoveChild(parent, n)
	}
	for _, n := range nodes {
		switch v := n.(type) {
		case *ast.Link:
			if !LinkAllowed(string(v.Destination)) {
				unwrap(v)
			}
		case *ast.AutoLink:
			if !LinkAllowed(string(v.URL(src))) {
				v.Parent().ReplaceChild(v.Parent(), v, ast.NewString(v.Label(src)))
			}
		case *ast.Image:
			if v.FirstChild() == nil {
				v.AppendChild(v, ast.NewString([]byte("(image)")))
			}
			if imageLinkAllowed(string(v.Destination)) && !inLink(v) {
				l := ast.NewLink()
				l.Destination = v.Destination
				for ch := v.FirstChild(); ch != nil; ch = v.FirstChild() {
					l.AppendChild(l, ch)
				}
				v.Parent().ReplaceChild(v.Parent(), v, l)
			} else {
				unwrap(v)
			}
		}
	}
}

// inLink reports whether n is inside a link.
func inLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		if _, ok := p.(*ast.Link); ok {
			return true
		}
	}
	return false
}
