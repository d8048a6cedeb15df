package briefing_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"chancery/store"
	"chancery/store/briefing"
	"chancery/store/storetest"
)

// packText is what a person (or a program) reading the written pack can find in it: the
// text of the PDF (through pdftotext, and the raw file, for its metadata and outline), every
// part of the DOCX, the HTML and the Markdown as written.
func packText(t *testing.T, p *briefing.Pack, format string) string {
	t.Helper()
	path := writeOut(t, p, format, "leak")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	switch format {
	case "pdf":
		need(t, "pdftotext")
		return strings.Join(pdfPages(t, path), "\n") + "\n" + string(raw)
	case "docx":
		var b strings.Builder
		for name, data := range docxParts(t, path) {
			b.WriteString(name + "\n" + data + "\n")
		}
		return b.String()
	}
	return string(raw)
}

// A release copy names a withheld section by its number and marking only: the composer
// heads a section with the included item's title, and a SECRET title is itself SECRET.
func TestReleaseCopyWithholdsBySectionNumber(t *testing.T) {
	const secret = "Operation Nightjar"
	items := []store.Item{
		{ID: "s1", Kind: store.KindNote, Title: secret + " assessment", Class: "SECRET", Body: "Nightjar body."},
		{ID: "s2", Kind: store.KindNote, Title: "Nightjar sources", Class: "SECRET", Body: "Sources."},
		{ID: "s3", Kind: store.KindNote, Title: "Nightjar trashed", Class: "SECRET", Body: "Trashed."},
		{ID: "ok", Kind: store.KindNote, Title: "Public note", Body: "Open text."},
		{ID: "b", Kind: store.KindBriefing, Title: "Visit", Class: "UNCLASSIFIED", Briefing: &store.Briefing{Sections: []store.Section{
			{Heading: "Intro", Text: "Hello."},
			{Heading: secret + " assessment", Ref: "s1"}, // as the composer heads it
			{Ref: "s2"}, // headed by the item's title
			{Heading: "Public note", Ref: "ok"},
			{Heading: "Nightjar trashed", Ref: "s3"}, // in the trash, still SECRET
		}}},
	}
	db := storetest.Open(t, items...)
	if err := db.Delete(context.Background(), "s3"); err != nil {
		t.Fatal(err)
	}
	p, err := briefing.Compose(context.Background(), db, "b", briefing.Options{Ceiling: "RESTRICTED", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"Section 2 (SECRET)", "Section 3 (SECRET)", "Section 5 (SECRET)"}
	if strings.Join(p.Withheld, "|") != strings.Join(want, "|") {
		t.Errorf("withheld %q, want %q", p.Withheld, want)
	}
	for _, n := range p.Notices {
		if strings.Contains(n, "Nightjar") {
			t.Errorf("a notice names the withheld item: %q", n)
		}
	}
	for _, f := range briefing.Formats {
		text := packText(t, p, f)
		if strings.Contains(text, "Nightjar") {
			i := strings.Index(text, "Nightjar")
			t.Errorf("%s release copy prints a SECRET title: …%s…", f, text[max(0, i-80):min(len(text), i+40)])
		}
		if !strings.Contains(strings.Join(strings.Fields(text), " "), "Section 3 (SECRET)") {
			t.Errorf("%s release copy does not list Section 3 (SECRET) as withheld", f)
		}
	}
}

// A contact or organisation card in a release copy does not name an organisation marked
// above the ceiling (the contact's, or an organisation's parent); it says one is withheld.
// In a full copy the name counts towards the section's marking and the banner.
func TestCardsDoNotNameOrganisationsAboveTheCeiling(t *testing.T) {
	items := []store.Item{
		{ID: "front", Kind: store.KindOrganisation, Title: "Nightjar Front", Class: "SECRET", Organisation: &store.Organisation{}},
		{ID: "cover", Kind: store.KindOrganisation, Title: "Cover Trading Ltd", Class: "RESTRICTED", Organisation: &store.Organisation{ParentID: "front", Type: "company"}},
		{ID: "c", Kind: store.KindContact, Title: "Kofi Boateng", Class: "RESTRICTED", Contact: &store.Contact{GivenName: "Kofi", FamilyName: "Boateng", JobTitle: "Treasurer", OrgID: "front"}},
		{ID: "b", Kind: store.KindBriefing, Title: "Visit", Class: "UNCLASSIFIED", Briefing: &store.Briefing{Sections: []store.Section{
			{Heading: "Who", Ref: "c"},
			{Heading: "Which company", Ref: "cover"},
		}}},
	}
	db := storetest.Open(t, items...)
	ctx := context.Background()
	rel, err := briefing.Compose(ctx, db, "b", briefing.Options{Ceiling: "RESTRICTED", Now: day})
	if err != nil {
		t.Fatal(err)
	}
	if len(rel.Sections) != 2 || rel.Marking != "RESTRICTED" {
		t.Fatalf("release copy: %d sections, banner %s", len(rel.Sections), rel.Marking)
	}
	for _, s := range rel.Sections {
		if strings.Contains(s.Body, "Nightjar") {
			t.Errorf("section %q names the SECRET organisation:\n%s", s.Heading, s.Body)
		}
		if !strings.Contains(s.Body, "withheld (SECRET)") {
			t.Errorf("section %q does not say an organisation was withheld:\n%s", s.Heading, s.Body)
		}
	}
	if !strings.Contains(rel.Sections[0].Body, "Treasurer") || !strings.Contains(rel.Sections[1].Body, "company") {
		t.Errorf("the rest of the cards is lost: %q", rel.Sections)
	}
	for _, f := range briefing.Formats {
		if text := packText(t, rel, f); strings.Contains(text, "Nightjar") {
			t.Errorf("%s release copy names the SECRET organisation", f)
		}
	}

	full, err := briefing.Compose(ctx, db, "b", briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range full.Sections {
		if !strings.Contains(s.Body, "Nightjar Front") || s.Marking != "SECRET" {
			t.Errorf("full copy section %q marked %s (want SECRET, for the organisation it names):\n%s", s.Heading, s.Marking, s.Body)
		}
	}
	if full.Marking != "SECRET" {
		t.Errorf("full copy banner %s, want SECRET", full.Marking)
	}
}

// hostileBody has links of every scheme, remote and local images, and raw HTML.
const hostileBody = `Links: [js](javascript:alert(1)) [file](file:///etc/passwd) [msdt](ms-msdt:/id%20PCWDiagnostic) [Safe site](https://example.org/ok) [Write](mailto:desk@example.org) [rel](../../secret.txt) <file:///etc/shadow> <search-ms:query=x> [JS upper](JaVaScRiPt:alert(3)) [ref][r1].

Images: ![beacon](http://tracker.example/pixel.png) ![local](file:///home/u/secret.png) <img src="http://tracker.example/raw.png"> <a href="javascript:alert(2)">raw link</a> <script>alert(4)</script>

<div onclick="steal()"><img src="https://tracker.example/block.png"></div>

[r1]: vbscript:msgbox
`

// hostilePack is a briefing whose purpose, own section and included note carry hostileBody.
func hostilePack(t *testing.T) *briefing.Pack {
	t.Helper()
	db := storetest.Open(t,
		store.Item{ID: "n", Kind: store.KindNote, Title: "Note", Body: hostileBody},
		store.Item{ID: "b", Kind: store.KindBriefing, Title: "Hostile", Body: hostileBody, Briefing: &store.Briefing{
			Audience: `Desk <img src="http://tracker.example/aud.png"> [aud](javascript:alert(5))`, Sections: []store.Section{
				{Heading: "Own text", Text: hostileBody}, {Ref: "n"},
			}}})
	p, err := briefing.Compose(context.Background(), db, "b", briefing.Options{Now: day})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func allowedLink(u string) bool {
	l := strings.ToLower(u)
	return strings.HasPrefix(l, "https://") || strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "mailto:")
}

// Only http, https and mailto links survive, in every format; no image is fetched from
// anywhere; raw HTML is never passed through.
func TestExportsKeepOnlySafeLinks(t *testing.T) {
	p := hostilePack(t)
	for _, f := range briefing.Formats {
		t.Run(f, func(t *testing.T) {
			path := writeOut(t, p, f, "hostile")
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var links []string
			switch f {
			case "pdf":
				// Link annotations are plain dictionaries: /A <</S /URI /URI (target)>>.
				for _, m := range regexp.MustCompile(`/URI \(([^)]*)\)`).FindAllSubmatch(raw, -1) {
					links = append(links, string(m[1]))
				}
				if bytes.Contains(raw, []byte("/Launch")) || bytes.Contains(raw, []byte("/JavaScript")) {
					t.Errorf("PDF has a launch or JavaScript action")
				}
			case "docx":
				text := packText(t, p, f)
				for _, m := range regexp.MustCompile(`Target="([^"]*)"[^>]*TargetMode="External"`).FindAllStringSubmatch(text, -1) {
					links = append(links, m[1])
				}
				if strings.Contains(text, "<w:drawing") || strings.Contains(text, "<w:pict") {
					t.Errorf("DOCX has a picture")
				}
			case "html":
				h := string(raw)
				for _, m := range regexp.MustCompile(`(?i)href\s*=\s*["']?([^"' >]*)`).FindAllStringSubmatch(h, -1) {
					if !strings.HasPrefix(m[1], "#") {
						links = append(links, m[1])
					}
				}
				for _, bad := range []string{"<img", "<script", "<div onclick", "<a href=\"javascript"} {
					if strings.Contains(strings.ToLower(h), bad) {
						t.Errorf("HTML contains %q", bad)
					}
				}
				if m := regexp.MustCompile(`(?i)<\w[^>]*\s(src|on\w+)\s*=`).FindString(h); m != "" {
					t.Errorf("HTML has a tag with a source or a handler: %s", m)
				}
			case "md":
				src := raw
				doc := goldmark.New().Parser().Parse(text.NewReader(src))
				_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
					if !entering {
						return ast.WalkContinue, nil
					}
					switch v := n.(type) {
					case *ast.Link:
						if d := string(v.Destination); !strings.HasPrefix(d, "#") {
							links = append(links, d)
						}
					case *ast.AutoLink:
						links = append(links, string(v.URL(src)))
					case *ast.Image:
						t.Errorf("Markdown keeps an image: %s", v.Destination)
					case *ast.RawHTML:
						seg := v.Segments.At(0)
						t.Errorf("Markdown passes raw HTML through: %s", seg.Value(src))
					case *ast.HTMLBlock:
						seg := v.Lines().At(0)
						t.Errorf("Markdown passes an HTML block through: %s", seg.Value(src))
					}
					return ast.WalkContinue, nil
				})
			}
			var safe int
			for _, l := range links {
				if !allowedLink(l) {
					t.Errorf("%s keeps the link %q", f, l)
				}
				if l == "https://example.org/ok" {
					safe++
				}
			}
			if safe == 0 {
				t.Errorf("%s lost the https link (links %q)", f, links)
			}
			plain := string(raw)
			if f == "pdf" {
				plain = strings.Join(pdfPages(t, path), "\n")
			} else if f == "docx" {
				plain = packText(t, p, f)
			}
			if !strings.Contains(plain, "Safe site") || !strings.Contains(plain, "msdt") {
				t.Errorf("%s lost the text of a link", f)
			}
		})
	}
}

func TestLinkAllowed(t *testing.T) {
	for _, c := range []struct {
		link string
		ok   bool
	}{
		{"https://example.org/a?b=c", true},
		{"HTTP://example.org", true},
		{"mailto:desk@example.org", true},
		{"https://", false},
		{"mailto:", false},
		{"javascript:alert(1)", false},
		{" JavaScript:alert(1)", false},
		{"java\tscript:alert(1)", false},
		{"file:///etc/passwd", false},
		{"data:text/html,<script>", false},
		{"ms-msdt:/id PCWDiagnostic", false},
		{"search-ms:query=x", false},
		{"vbscript:msgbox", false},
		{"../secret.txt", false},
		{"//evil.example/x", false},
		{"#section-1", false},
		{"", false},
	} {
		if got := briefing.LinkAllowed(c.link); got != c.ok {
			t.Errorf("LinkAllowed(%q) = %v, want %v", c.link, got, c.ok)
		}
	}
}

// Export, the way out to a file, makes a release copy up to the lowest marking unless told.
func TestExportDefaultsToTheLowestMarking(t *testing.T) {
	db, id := fixture(t)
	var b bytes.Buffer
	p, err := briefing.Export(context.Background(), db, id, "md", briefing.Options{Now: day}, &b)
	if err != nil {
		t.Fatal(err)
	}
	if p.Ceiling != "UNCLASSIFIED" || p.Marking != "UNCLASSIFIED" || len(p.Withheld) != 2 || strings.Contains(b.String(), "Mensah") {
		t.Errorf("default export: ceiling %q banner %s withheld %q", p.Ceiling, p.Marking, p.Withheld)
	}
}
