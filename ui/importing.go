package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// ImportProgress hears how an import goes. Deps.Import calls its methods on the goroutine
// that imports, never on the UI goroutine.
type ImportProgress interface {
	// Reading says a file's reading begins.
	Reading(path string)
	// Read says what became of a document file once it is read.
	Read(f store.ImportedFile)
	// Saved says how many items are saved so far, of total (0 when not known). It is
	// called after each commit; the count starts again for each part of an import (the
	// notes, then the contacts...).
	Saved(done, total int)
	// Indexing says how far the search index has caught up: done of total items.
	Indexing(done, total int)
}

// ask asks which marking to give what the import of paths saves (offering the policy's
// default), then starts it.
func (p *importPanel) ask(paths []string) {
	if len(paths) == 0 || p.run == nil {
		return
	}
	v := p.vocab()
	p.marking = widget.NewSelect(v.allowedClasses(), nil) // nothing above the ceiling: it would only be refused
	p.marking.SetSelected(v.newClass())
	p.asked = paths
	help := &widget.Label{Text: "Mark what is imported from " + pathsWords(paths) + " as (a file that names a higher marking keeps it):",
		Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm("Import", "Import", "Cancel", container.NewVBox(help, p.marking), p.onAsked, p.win)
	d.Resize(fyne.NewSize(460, 200))
	d.Show()
}

// onAsked starts the import asked for, with the marking chosen, unless it was cancelled.
func (p *importPanel) onAsked(ok bool) {
	paths := p.asked
	p.asked = nil
	if !ok || p.marking == nil {
		return
	}
	p.start(paths, p.marking.Selected)
}

// onImportFile asks for a file to import (File > Import…, Ctrl+I).
func (p *importPanel) onImportFile() {
	if p.run == nil {
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("the file could not be opened: %w", err), p.win)
			return
		}
		if r == nil {
			return // cancelled
		}
		r.Close()
		p.ask(localPaths([]fyne.URI{r.URI()}))
	}, p.win)
	d.SetTitleText("Import a file: notes, contacts, documents")
	d.SetConfirmText("Import")
	d.Show()
	d.Resize(dialogSize(p.win)) // after Show: a file dialog has no size to change before
}

// onImportFolder asks for a folder to import, with everything Chancery reads inside it.
func (p *importPanel) onImportFolder() {
	if p.run == nil {
		return
	}
	d := dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			dialog.ShowError(fmt.Errorf("the folder could not be opened: %w", err), p.win)
			return
		}
		if dir == nil {
			return // cancelled
		}
		p.ask(localPaths([]fyne.URI{dir}))
	}, p.win)
	d.SetTitleText("Import a folder and everything in it")
	d.SetConfirmText("Import")
	d.Show()
	d.Resize(dialogSize(p.win)) // after Show: a file dialog has no size to change before
}

// onImportPath asks for the paths of files and folders to import, typed or pasted, one
// a line.
func (p *importPanel) onImportPath() {
	if p.run == nil {
		return
	}
	entry := widget.NewMultiLineEntry()
	entry.SetPlaceHolder("One file or folder a line, for example\n/home/me/Documents/cables")
	entry.SetMinRowsVisible(4)
	entry.Wrapping = fyne.TextWrapOff
	help := &widget.Label{Text: "Type or paste the path of each file or folder to import, one a line. Folders are imported with everything inside them.",
		Wrapping: fyne.TextWrapWord}
	d := dialog.NewCustomConfirm("Import from a path", "Import", "Cancel", container.NewBorder(help, nil, nil, nil, entry),
		func(ok bool) {
			if ok {
				p.ask(typedPaths(entry.Text))
			}
		}, p.win)
	d.Resize(fyne.NewSize(620, 300))
	d.Show()
	p.win.Canvas().Focus(entry)
}

// dialogSize is a file dialog's size: most of the window.
func dialogSize(w fyne.Window) fyne.Size {
	s := w.Canvas().Size()
	return fyne.NewSize(max(s.Width*0.85, 600), max(s.Height*0.85, 420))
}
