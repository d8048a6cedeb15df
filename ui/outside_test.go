package ui

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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
			l.settle(300 * time.Millisecond)
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
			l.settle(100 * time.Millisecond)
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
