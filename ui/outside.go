package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // images a person asks to load may be GIF, JPEG or PNG
	_ "image/jpeg"
	_ "image/png"
	"io"
	"net/http"
	"net/url"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Text in the knowledge base is written by others (imported notes, contacts' notes,
// briefings): rendering it must not reach outside the app by itself. Fyne's RichText
// loads an image segment's URI as soon as it is drawn (canvas.NewImageFromURI: a web
// address is fetched, a file: address read from disk), and a link segment hands any URI to
// the system when tapped. So every Markdown text from the knowledge base is rendered
// through outside.markdown, which replaces each image by a placeholder naming its address
// (with Load image for a web image: that one image is then fetched, once) and keeps as
// links only the addresses openableLink allows, each opened after the person has seen it.

// outside is the way out of the app from the text of an item: opening a link in the
// system, fetching an image from the web.
type outside struct {
	ctx context.Context
	do  func(func())
	// win is the window the confirmations show in; nil: the app's first window.
	win fyne.Window
	// open hands an address to the system (fyne's OpenURL). Tests replace it.
	open func(u *url.URL) error
	// fetch reads the image at a web address. Tests may replace it.
	fetch func(ctx context.Context, u *url.URL) ([]byte, error)
}

func newOutside(ctx context.Context, do func(func())) *outside {
	return &outside{ctx: ctx, do: do,
		open:  func(u *url.URL) error { return fyne.CurrentApp().OpenURL(u) },
		fetch: fetchWeb,
	}
}

// Limits on an image a person asks to load.
const (
	maxImageBytes  = 20 << 20
	maxImagePixels = 40 << 20
	imageTimeout   = 30 * time.Second
	// shownImageWidth is the widest an image is drawn, in Fyne units.
	shownImageWidth = 560
)

// webImage tells whether u is an address an image may be loaded from (on request): http
// or https with a host.
func webImage(u *url.URL) bool {
	return u != nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// markdown renders md, text from the knowledge base, without reaching outside the app:
// images are placeholders, links that openableLink refuses are plain text. Links to items
// (chancery:ID) call openItem, or are plain text when it is nil.
func (o *outside) markdown(md string, openItem func(id string)) *widget.RichText {
	// Parsing builds segments only; Fyne loads an image when its segment is drawn, which
	// never happens to the ones replaced here.
	rt := widget.NewRichTextFromMarkdown(md)
	rt.Wrapping = fyne.TextWrapWord
	rt.Segments = o.tame(rt, rt.Segments, openItem)
	return rt
}

// setMarkdown shows md in rt as markdown does.
func (o *outside) setMarkdown(rt *widget.RichText, md string) {
	rt.Segments = o.tame(rt, widget.NewRichTextFromMarkdown(md).Segments, nil)
	rt.Refresh()
}

// tame replaces the image segments of segs (at any depth) by placeholders, and makes the
// links safe (link).
func (o *outside) tame(rt *widget.RichText, segs []widget.RichTextSegment, openItem func(id string)) []widget.RichTextSegment {
	for i, s := range segs {
		switch s := s.(type) {
		case *widget.ImageSegment:
			addr := ""
			if s.Source != nil {
				addr = s.Source.String()
			}
			img := &imageSegment{addr: addr, title: s.Title, out: o, rt: rt}
			if u, err := url.Parse(addr); err == nil && webImage(u) {
				img.web = u
			}
			segs[i] = img
		case *widget.HyperlinkSegment:
			segs[i] = o.link(s, openItem)
		case *widget.ParagraphSegment:
			s.Texts = o.tame(rt, s.Texts, openItem)
		case *widget.ListSegment:
			s.Items = o.tame(rt, s.Items, openItem)
		case *widget.TableSegment:
			for c := range s.Headers {
				s.Headers[c] = o.tame(rt, s.Headers[c], openItem)
			}
			for r := range s.Rows {
				for c := range s.Rows[r] {
					s.Rows[r][c] = o.tame(rt, s.Rows[r][c], openItem)
				}
			}
		}
	}
	return segs
}

// openableLink is the one place that decides which links in an item's text may leave the
// app: http and https addresses with a host, and mailto addresses. Every other scheme
// (file:, ms-msdt:, search-ms:, javascript:...) would hand the system a file or a program
// to run, and is shown as text.
func openableLink(u *url.URL) bool {
	if u == nil {
		return false
	}
	switch u.Scheme {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// link makes a link segment safe: a link to an item calls openItem; a link openableLink
// allows asks first, showing its full address; any other is text naming its address.
func (o *outside) link(s *widget.HyperlinkSegment, openItem func(id string)) widget.RichTextSegment {
	u := s.URL
	switch {
	case u != nil && u.Scheme == linkScheme && openItem != nil:
		id, _ := url.PathUnescape(u.Opaque)
		s.OnTapped = func() { openItem(id) }
		return s
	case openableLink(u):
		s.OnTapped = func() { o.confirmOpen(u) }
		return s
	}
	text := s.Text
	if u != nil && u.Scheme != linkScheme && u.String() != text {
		text += " (" + u.String() + ")"
	}
	return &widget.TextSegment{Style: widget.RichTextStyleInline, Text: text}
}

// confirmOpen shows u's full address and hands it to the system if the person says so.
func (o *outside) confirmOpen(u *url.URL) {
	if !openableLink(u) {
		return
	}
	win := o.win
	if win == nil {
		if ws := fyne.CurrentApp().Driver().AllWindows(); len(ws) > 0 {
			win = ws[0]
		} else {
			return
		}
	}
	where := "your web browser"
	if u.Scheme == "mailto" {
		where = "your mail program"
	}
	content := container.NewVBox(
		&widget.Label{Text: "This link leaves Chancery for " + where + ". Its full address is:", Wrapping: fyne.TextWrapWord},
		&widget.Label{Text: u.String(), TextStyle: fyne.TextStyle{Monospace: true}, Wrapping: fyne.TextWrapBreak, Selectable: true},
	)
	d := dialog.NewCustomConfirm("Open this address?", "Open", "Cancel", content, func(ok bool) {
		if !ok {
			return
		}
		if err := o.open(u); err != nil {
			dialog.ShowError(fmt.Errorf("no program could open %s: %w", u, err), win)
		}
	}, win)
	d.Resize(fyne.NewSize(480, 0))
	d.Show()
}

// imageSegment stands for an image in rendered Markdown: a placeholder naming its address
// until the person asks for it (web images only); then the image.
type imageSegment struct {
	addr, title string
	web         *url.URL // nil: not a web address, never loaded
	out         *outside
	rt          *widget.RichText

	// State: UI goroutine only.
	box     *fyne.Container
	loading bool
	img     image.Image
	err     error
}

func (s *imageSegment) Inline() bool    { return false }
func (s *imageSegment) Textual() string { return "Image " + s.addr }
func (s *imageSegment) Visual() fyne.CanvasObject {
	box := container.NewVBox()
	s.fill(box)
	return box
}
func (s *imageSegment) Update(o fyne.CanvasObject) {
	if box, ok := o.(*fyne.Container); ok {
		s.fill(box)
	}
}
func (s *imageSegment) Select(begin, end fyne.Position) {}
func (s *imageSegment) SelectedText() string            { return "" }
func (s *imageSegment) Unselect()                       {}

// fill shows the segment's state in box.
func (s *imageSegment) fill(box *fyne.Container) {
	s.box = box
	if s.img != nil {
		img := canvas.NewImageFromImage(s.img)
		img.FillMode = canvas.ImageFillContain
		b := s.img.Bounds()
		w, h := float32(b.Dx()), float32(b.Dy())
		if w > shownImageWidth {
			w, h = shownImageWidth, h*shownImageWidth/w
		}
		img.SetMinSize(fyne.NewSize(w, h))
		box.Objects = []fyne.CanvasObject{img, &widget.Label{Text: s.addr, Importance: widget.LowImportance, Wrapping: fyne.TextWrapBreak}}
		box.Refresh()
		return
	}
	what := "Image not loaded"
	if s.title != "" {
		what += " (" + s.title + ")"
	}
	objs := []fyne.CanvasObject{&widget.Label{Text: what + ": " + s.addr, Importance: widget.LowImportance, Wrapping: fyne.TextWrapBreak}}
	switch {
	case s.web == nil:
		objs = append(objs, &widget.Label{Text: "Only an image on the web (http or https) can be loaded.", Importance: widget.LowImportance, Wrapping: fyne.TextWrapWord})
	case s.loading:
		objs = append(objs, &widget.Label{Text: "Loading the image…", Wrapping: fyne.TextWrapWord})
	default:
		if s.err != nil {
			objs = append(objs, &widget.Label{Text: "The image could not be loaded: " + s.err.Error(), Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord})
		}
		objs = append(objs, container.NewHBox(widget.NewButton("Load image", s.onLoad)))
	}
	box.Objects = objs
	box.Refresh()
}

// onLoad fetches this one image, off the UI goroutine, and shows it.
func (s *imageSegment) onLoad() {
	if s.web == nil || s.loading {
		return
	}
	s.loading, s.err = true, nil
	s.refresh()
	o, u := s.out, s.web
	go func() {
		img, err := o.loadImage(o.ctx, u)
		o.do(func() {
			s.loading, s.img, s.err = false, img, err
			s.refresh()
		})
	}()
}

func (s *imageSegment) refresh() {
	if s.box != nil {
		s.fill(s.box)
	}
	if s.rt != nil {
		s.rt.Refresh()
	}
}

// loadImage fetches and decodes the image at u.
func (o *outside) loadImage(ctx context.Context, u *url.URL) (image.Image, error) {
	data, err := o.fetch(ctx, u)
	if err != nil {
		return nil, err
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, errors.New("not an image in a known format (PNG, JPEG, GIF)")
	}
	if cfg.Width*cfg.Height > maxImagePixels {
		return nil, fmt.Errorf("the image is too large (%d × %d)", cfg.Width, cfg.Height)
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("the image is damaged: %w", err)
	}
	return img, nil
}

// fetchWeb reads what a web address holds: http or https only (redirects included), at
// most maxImageBytes, within imageTimeout.
func fetchWeb(ctx context.Context, u *url.URL) ([]byte, error) {
	if !webImage(u) {
		return nil, fmt.Errorf("%s is not a web address", u)
	}
	client := &http.Client{Timeout: imageTimeout, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if !webImage(req.URL) || len(via) > 5 {
			return fmt.Errorf("redirected to %s", req.URL)
		}
		return nil
	}}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("the server answered %s", resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxImageBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxImageBytes {
		return nil, fmt.Errorf("the image is larger than %d MB", maxImageBytes>>20)
	}
	return data, nil
}
