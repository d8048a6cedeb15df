package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// PackInfo is what a knowledge pack export wrote.
type PackInfo struct {
	Items, Revisions, Originals int
	Ceiling                     string
	Withheld                    []string // "ID (MARKING)" of the items left out
}

// packDeps is what the pack desk needs: Deps.ExportPack and Deps.ImportPack, the current
// search, the markings, and the file dialogs (tests replace them).
type packDeps struct {
	ctx     context.Context
	do      func(func())
	log     *slog.Logger
	win     fyne.Window
	vocab   func() *vocab
	ceiling string        // the policy's export ceiling, "" for none
	query   func() string // the search shown, "" when none
	export  func(ctx context.Context, query, ceiling string, to []string, passphrase string, w io.Writer) (PackInfo, error)
	load    func(ctx context.Context, r io.Reader, name, passphrase, identityFile string) ([]string, error)

	saveFile func(name string, done func(fyne.URIWriteCloser, error))
	openFile func(done func(fyne.URIReadCloser, error))
}

// packDesk is File > Export Pack… (what the current search finds) and File > Import
// Pack…: small forms over the command line's pack export and import.
type packDesk struct {
	packDeps

	// The export form.
	release *widget.Select
	to      *widget.Entry // age keys or contact IDs, one a line
	pass    *widget.Entry
	// The import form.
	inPass   *widget.Entry
	identity *widget.Entry // an age identity file's path

	said string // the last result or error, as text (what the dialog shows)
}

func newPackDesk(deps packDeps) *packDesk {
	d := &packDesk{packDeps: deps}
	if d.saveFile == nil {
		d.saveFile = func(name string, done func(fyne.URIWriteCloser, error)) {
			fd := dialog.NewFileSave(done, d.win)
			fd.SetFileName(name)
			fd.Show()
			fd.Resize(dialogSize(d.win))
		}
	}
	if d.openFile == nil {
		d.openFile = func(done func(fyne.URIReadCloser, error)) {
			fd := dialog.NewFileOpen(done, d.win)
			fd.SetTitleText("Import a knowledge pack")
			fd.SetConfirmText("Open")
			fd.Show()
			fd.Resize(dialogSize(d.win))
		}
	}
	return d
}

// onExportPack asks for the ceiling and the recipients (or a passphrase), then where to
// write the pack of what the current search finds.
func (d *packDesk) onExportPack() {
	q := strings.TrimSpace(d.query())
	if q == "" {
		d.tell("Export pack", "Search first: a pack holds what the current search finds.")
		return
	}
	classes := exportCeilings(d.vocab().classes, d.ceiling)
	var opts []string
	for _, c := range classes {
		opts = append(opts, releaseLabel+c)
	}
	d.release = widget.NewSelect(opts, nil)
	if c := defaultCeiling(classes, d.ceiling, ""); c != "" {
		d.release.SetSelected(releaseLabel + c)
	}
	d.to = &widget.Entry{MultiLine: true, PlaceHolder: "age1… keys or contact IDs, one a line", Wrapping: fyne.TextWrapBreak}
	d.pass = widget.NewPasswordEntry()
	d.pass.PlaceHolder = "or a passphrase"
	bold := func(s string) *widget.Label { return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}} }
	form := container.New(layout.NewFormLayout(), bold("Search"), widget.NewLabel(q), bold("Copy"), d.release,
		bold("For"), d.to, bold("Passphrase"), d.pass)
	hint := &widget.Label{Text: "The pack holds the items found, their links, originals and history, leaving out everything marked above its ceiling. It is encrypted with age to the people named (their keys are kept with their contact cards) or to the passphrase.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	ask := dialog.NewCustomConfirm("Export Pack", "Export…", "Cancel", container.NewVBox(form, hint), func(ok bool) {
		if ok {
			d.onExportChosen(q)
		}
	}, d.win)
	ask.Resize(fyne.NewSize(560, 380))
	ask.Show()
}

// onExportChosen checks the form and asks where to write the pack.
func (d *packDesk) onExportChosen(q string) {
	ceiling := strings.TrimPrefix(d.release.Selected, releaseLabel)
	var to []string
	for _, l := range strings.FieldsFunc(d.to.Text, func(r rune) bool { return r == '\n' || r == ',' || r == ' ' }) {
		to = append(to, l)
	}
	pass := d.pass.Text
	switch {
	case ceiling == "":
		d.fail(errors.New("choose the pack's ceiling: the highest marking it may carry"))
		return
	case len(to) == 0 && pass == "":
		d.fail(errors.New("say who may open the pack: their age keys or contact IDs, or a passphrase"))
		return
	case len(to) > 0 && pass != "":
		d.fail(errors.New("encrypt the pack to people or to a passphrase, not both"))
		return
	}
	d.saveFile(exportFileName("pack "+q, ceiling, "pack"), func(w fyne.URIWriteCloser, err error) {
		switch {
		case err != nil:
			d.fail(fmt.Errorf("the file could not be created: %w", err))
		case w != nil:
			d.runExport(w, q, ceiling, to, pass)
		}
	})
}

func (d *packDesk) runExport(w fyne.URIWriteCloser, q, ceiling string, to []string, pass string) {
	go func() {
		var buf bytes.Buffer
		info, err := d.export(d.ctx, q, ceiling, to, pass, &buf)
		if err == nil {
			err = ownerOnly(w.URI())
		}
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		d.do(func() {
			if err != nil {
				d.log.Error("export pack", "err", errKind(err))
				d.fail(fmt.Errorf("the pack could not be written: %w", err))
				return
			}
			msg := fmt.Sprintf("Written to %s: %d %s, %d %s, %d original %s, up to %s.", w.URI().Name(),
				info.Items, plural(info.Items, "item", "items"), info.Revisions, plural(info.Revisions, "revision", "revisions"),
				info.Originals, plural(info.Originals, "file", "files"), info.Ceiling)
			if len(info.Withheld) > 0 {
				msg += fmt.Sprintf("\nWithheld (marked above %s): %s.", info.Ceiling, strings.Join(info.Withheld, ", "))
			}
			d.tell("Pack exported", msg)
		})
	}()
}

// onImportPack asks for a pack, then for its passphrase or identity file, and imports it.
func (d *packDesk) onImportPack() {
	d.openFile(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			d.fail(fmt.Errorf("the file could not be opened: %w", err))
			return
		}
		if r == nil {
			return // cancelled
		}
		name := r.URI().Name()
		go func() {
			data, err := io.ReadAll(r)
			r.Close()
			d.do(func() {
				if err != nil {
					d.fail(fmt.Errorf("%s could not be read: %w", name, err))
					return
				}
				d.askKey(name, data)
			})
		}()
	})
}

// askKey asks for what opens the pack.
func (d *packDesk) askKey(name string, data []byte) {
	d.inPass = widget.NewPasswordEntry()
	d.identity = &widget.Entry{PlaceHolder: "or an age identity file (AGE-SECRET-KEY-…)"}
	bold := func(s string) *widget.Label { return &widget.Label{Text: s, TextStyle: fyne.TextStyle{Bold: true}} }
	form := container.New(layout.NewFormLayout(), bold("Pack"), widget.NewLabel(name), bold("Passphrase"), d.inPass, bold("Identity"), d.identity)
	hint := &widget.Label{Text: "Items keep their IDs; a newer version updates one here; an item changed here is never overwritten (the pack's version is kept in its history). Nothing marked above this machine's ceiling gets in.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	ask := dialog.NewCustomConfirm("Import Pack", "Import", "Cancel", container.NewVBox(form, hint), func(ok bool) {
		if ok {
			d.runImport(name, data, d.inPass.Text, strings.TrimSpace(d.identity.Text))
		}
	}, d.win)
	ask.Resize(fyne.NewSize(560, 300))
	ask.Show()
}

func (d *packDesk) runImport(name string, data []byte, pass, identity string) {
	if pass == "" && identity == "" {
		d.fail(errors.New("give the pack's passphrase or an age identity file to open it"))
		return
	}
	go func() {
		lines, err := d.load(d.ctx, bytes.NewReader(data), name, pass, identity)
		d.do(func() {
			if err != nil {
				d.log.Error("import pack", "err", errKind(err))
				d.fail(fmt.Errorf("nothing was imported: %w", err))
				return
			}
			d.tell("Pack imported", strings.Join(lines, "\n"))
		})
	}()
}

func (d *packDesk) tell(title, msg string) {
	d.said = msg
	text := &widget.Label{Text: msg, Wrapping: fyne.TextWrapWord}
	dl := dialog.NewCustom(title, "Close", container.NewVScroll(text), d.win)
	dl.Resize(fyne.NewSize(600, 360))
	dl.Show()
}

func (d *packDesk) fail(err error) {
	d.said = err.Error()
	dialog.ShowError(err, d.win)
}
