package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// imageServer is a web server on 127.0.0.1 serving a small PNG, counting the requests.
func imageServer(t *testing.T) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	img.Set(1, 1, color.Black)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(buf.Bytes())
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// Viewing a note, a contact's notes or a briefing whose Markdown holds images fetches
// nothing: each image is a placeholder naming its address; Load image fetches that one web
// image, once; a file: image is never read.
func TestImagesLoadOnlyWhenAsked(t *testing.T) {
	srv, requests := imageServer(t)
	web := srv.URL + "/beacon.png"
	md := "Seen at the border.\n\n![a beacon](" + web + ")\n\n![a local file](file:///etc/hostname)\n"
	tests := []struct {
		place, title string
		item         store.Item
	}{
		{"kind:note", "Note with images", store.Item{ID: "i-note", Kind: store.KindNote, Title: "Note with images", Class: "UNCLASSIFIED",
			Body: md, Note: &store.Note{}}},
		{"kind:contact", "Contact with images", store.Item{ID: "i-contact", Kind: store.KindContact, Title: "Contact with images", Class: "UNCLASSIFIED",
			Body: md, Contact: &store.Contact{}}},
		{"kind:briefing", "Briefing with images", store.Item{ID: "i-brief", Kind: store.KindBriefing, Title: "Briefing with images", Class: "UNCLASSIFIED",
			Briefing: &store.Briefing{Sections: []store.Section{{Heading: "Pictures", Text: md}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.place, func(t *testing.T) {
			requests.Store(0)
			_, mw, l := openFirst(t, tc.place, tc.title, tc.item)
			view := mw.browse.pane.view
			l.drain()
			if n := requests.Load(); n != 0 {
				t.Fatalf("viewing the item made %d requests to %s", n, web)
			}
			shown := allText(view.content)
			if !strings.Contains(shown, web) || !strings.Contains(shown, "file:///etc/hostname") {
				t.Errorf("the placeholders do not name the images' addresses:\n%s", shown)
			}
			if images(view.content) != 0 {
				t.Errorf("an image is drawn before it was asked for")
			}
			load := findButton(view.content, "Load image")
			if load == nil {
				t.Fatalf("no Load image button:\n%s", shown)
			}
			test.Tap(load)
			l.waitFor(t, "the image loaded", func() bool { return images(view.content) == 1 })
			if n := requests.Load(); n != 1 {
				t.Errorf("loading the image made %d requests, want 1", n)
			}
			if findButton(view.content, "Load image") != nil {
				t.Errorf("the file: image offers to load")
			}
		})
	}
}

// images counts the images drawn inside the rich texts in o (the item's text).
func images(o fyne.CanvasObject) int {
	n := 0
	for _, obj := range visible(o) {
		if rt, ok := obj.(*widget.RichText); ok {
			for _, in := range visible(rt) {
				if _, ok := in.(*canvas.Image); ok {
					n++
				}
			}
		}
	}
	return n
}

// Only http, https and mailto links open, each after the person has seen its full address
// and said yes; file:, ms-msdt:, search-ms: and other schemes are text, not links.
func TestOnlyWebAndMailLinksOpenAfterConfirm(t *testing.T) {
	body := "Links: [the disk](file:///etc/passwd), [a diagnostic](ms-msdt:/id%20PCWDiagnostic), " +
		"[a search](search-ms:query=secret&crumb=location:%5C%5Cevil), [a script](javascript:alert(1)), " +
		"[the site](https://example.org/report?id=7), [write](mailto:desk@example.org)."
	items := []store.Item{
		{ID: "l-note", Kind: store.KindNote, Title: "Note with links", Class: "UNCLASSIFIED", Body: body, Note: &store.Note{}},
		{ID: "l-org", Kind: store.KindOrganisation, Title: "Org with a local website", Class: "UNCLASSIFIED",
			Organisation: &store.Organisation{Website: "file:///etc/passwd"}},
	}
	_, mw, l := openFirst(t, "kind:note", "Note with links", items...)
	var opened []string
	mw.env.out.open = func(u *url.URL) error { opened = append(opened, u.String()); return nil }
	view := mw.browse.pane.view
	c := mw.win.Canvas()

	links := hyperlinks(view.content)
	for _, text := range []string{"the disk", "a diagnostic", "a search", "a script"} {
		if h := links[text]; h != nil {
			tapLink(h)
			if top := c.Overlays().Top(); top != nil {
				if b := overlayButton(c, "Open"); b != nil {
					test.Tap(b)
				}
			}
		}
	}
	if len(opened) > 0 {
		t.Fatalf("links of other schemes were opened: %q", opened)
	}
	for _, text := range []string{"the disk", "a diagnostic", "a search", "a script"} {
		if links[text] != nil {
			t.Errorf("%q is shown as a link", text)
		}
	}
	if shown := allText(view.content); !strings.Contains(shown, "file:///etc/passwd") || !strings.Contains(shown, "ms-msdt:") {
		t.Errorf("the refused links do not show their addresses as text:\n%s", shown)
	}

	for _, tc := range []struct{ text, addr string }{
		{"the site", "https://example.org/report?id=7"},
		{"write", "mailto:desk@example.org"},
	} {
		opened = nil
		h := links[tc.text]
		if h == nil {
			t.Fatalf("%q is not a link", tc.text)
		}
		tapLink(h)
		if len(opened) != 0 {
			t.Fatalf("%q opened before the person confirmed: %q", tc.text, opened)
		}
		top := c.Overlays().Top()
		if top == nil || !strings.Contains(allText(top), tc.addr) {
			t.Fatalf("no confirmation showing %s", tc.addr)
		}
		test.Tap(overlayButton(c, "Open"))
		if len(opened) != 1 || opened[0] != tc.addr {
			t.Errorf("after confirming, opened %q, want %s", opened, tc.addr)
		}
	}
	// Cancel opens nothing.
	opened = nil
	tapLink(links["the site"])
	test.Tap(overlayButton(c, "Cancel"))
	if len(opened) != 0 {
		t.Errorf("Cancel opened %q", opened)
	}

	// An organisation's website of another scheme is text.
	mw.browse.pane.view.open("l-org")
	l.waitFor(t, "the organisation", func() bool { return viewTitle(view) == "Org with a local website" })
	for text, h := range hyperlinks(view.content) {
		if strings.HasPrefix(text, "file:") {
			tapLink(h)
			if overlayButton(c, "Open") != nil {
				test.Tap(overlayButton(c, "Open"))
			}
			t.Errorf("the website %s is a link", text)
		}
	}
	if len(opened) != 0 {
		t.Errorf("the website opened %q", opened)
	}
}

// hyperlinks are the links drawn inside o, by text.
func hyperlinks(o fyne.CanvasObject) map[string]*widget.Hyperlink {
	out := map[string]*widget.Hyperlink{}
	for _, obj := range visible(o) {
		if h, ok := obj.(*widget.Hyperlink); ok {
			out[h.Text] = h
		}
	}
	return out
}

// tapLink taps the middle of a link, where its text is.
func tapLink(h *widget.Hyperlink) {
	test.TapAt(h, fyne.NewPos(h.Size().Width/2, h.Size().Height/2))
}
