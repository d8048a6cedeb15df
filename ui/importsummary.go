package ui

import (
	"chancery/store"
	"cmp"
	"fmt"
	"path/filepath"
	"strings"
	"unicode"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// importCounts are what a summary tells.
type importCounts struct {
	imported, empty, refused, again int
	emptyWhy                        string // the one reason of every file without text, if they share one
}

func importCountsOf(s store.ImportReport) importCounts {
	var c importCounts
	var keptOdd int // documents saved that are not fully imported
	why := map[string]bool{}
	for _, f := range s.Files() {
		switch {
		case f.Again:
			c.again++
		case f.Status == store.StatusEmpty:
			c.empty++
			keptOdd++
			why[telling(f.Reason)] = true
		case f.Status == store.StatusFailed:
			c.refused++
			if f.ItemID != "" {
				keptOdd++
			}
		}
	}
	c.imported = max(s.Saved-keptOdd, 0)
	if len(why) == 1 {
		for r := range why {
			c.emptyWhy = r
		}
	}
	return c
}

// describeImport is the summary in a line: "12 imported, 2 without text (no text layer), 1
// refused".
func describeImport(s store.ImportReport) string {
	c := importCountsOf(s)
	parts := []string{thousands(c.imported) + " imported"}
	if c.empty > 0 {
		p := thousands(c.empty) + " without text"
		if c.emptyWhy != "" {
			p += " (" + c.emptyWhy + ")"
		}
		parts = append(parts, p)
	}
	if c.refused > 0 {
		parts = append(parts, thousands(c.refused)+" refused")
	}
	if c.again > 0 {
		parts = append(parts, thousands(c.again)+" already in the knowledge base")
	}
	if n := len(s.Both); n == 1 {
		parts = append(parts, "1 changed both here and in its file")
	} else if n > 1 {
		parts = append(parts, thousands(n)+" changed both here and in their files")
	}
	return strings.Join(parts, ", ")
}

// bothWords names the items changed both in the app and in their file, for the summary:
// nothing was overwritten, and where the file's version went.
func bothWords(s store.ImportReport) string {
	if len(s.Both) == 0 {
		return ""
	}
	names := s.Both
	more := ""
	if len(names) > 10 {
		names, more = names[:10], fmt.Sprintf(" and %s more", thousands(len(s.Both)-10))
	}
	return "\n\nChanged both here and in the file since the last import (your version is kept; the file's is in the item's History): " +
		strings.Join(names, "; ") + more + "."
}

// statusWords says in words what became of a document: "Imported", "Imported without text
// — no text layer", "Refused — the file is encrypted".
func statusWords(status, reason string) string {
	switch status {
	case store.StatusOK, "":
		return "Imported"
	case store.StatusEmpty:
		if reason = telling(reason); reason == "" {
			return "Imported without text"
		}
		return "Imported without text — " + reason
	case store.StatusFailed:
		return "Refused — " + cmp.Or(reason, "the file could not be read")
	}
	return status
}

// telling is a reason for a document without text, unless it only says that again ("no
// text").
func telling(reason string) string {
	if r := strings.TrimSpace(reason); !strings.EqualFold(strings.TrimSuffix(r, "."), "no text") {
		return r
	}
	return ""
}

func fileWords(f store.ImportedFile) string {
	w := statusWords(f.Status, f.Reason)
	if f.Again {
		w += " (imported before: nothing added)"
	}
	return w
}

// importRank orders the summary's list: refused files first, then those without text,
// then the imported, then those imported before.
func importRank(f store.ImportedFile) int {
	switch {
	case f.Again:
		return 3
	case f.Status == store.StatusFailed:
		return 0
	case f.Status == store.StatusEmpty:
		return 1
	}
	return 2
}

// heading is the summary's title.
func (p *importPanel) heading() string {
	switch {
	case p.cancelled:
		return "Import cancelled"
	case p.err != nil:
		return "Import stopped"
	case p.sum.Saved == 0 && len(p.sum.Files()) == 0:
		return "Nothing imported"
	}
	return "Import finished: " + describeImport(p.sum)
}

// sentence says in a line what the import did, and for a cancelled or stopped one what
// it kept.
func (p *importPanel) sentence() string {
	kept := p.sum.Saved > 0 || len(p.sum.Files()) > 0
	switch {
	case p.cancelled && kept:
		return "Before the cancel: " + describeImport(p.sum) + ". What was saved is kept; importing the same files again finishes the import."
	case p.cancelled:
		return "Nothing was imported before the cancel."
	case p.err != nil && kept:
		return upperFirst(p.err.Error()) + ". Before that: " + describeImport(p.sum) + "; what was saved is kept."
	case p.err != nil:
		return upperFirst(p.err.Error()) + ". Nothing was imported."
	case !kept:
		return "No file Chancery can read was found there."
	}
	return describeImport(p.sum) + "."
}

// upperFirst is s with its first letter in upper case.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// showSummary shows the summary and each file with what became of it, refused ones
// first; choosing a file opens its item.
func (p *importPanel) showSummary() {
	if p.running {
		return
	}
	if p.dlg != nil {
		p.dlg.Hide()
	}
	head := &widget.Label{Text: p.sentence() + bothWords(p.sum), Wrapping: fyne.TextWrapWord}
	var list fyne.CanvasObject
	p.chosen = &widget.Label{Text: "Choose a file to open what it was imported as, or to read in full why it was refused.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	foot := fyne.CanvasObject(p.chosen)
	switch {
	case len(p.rows) == 0 && p.sum.Saved == 0:
		list, foot = layout.NewSpacer(), nil
	case len(p.rows) == 0:
		foot = nil
		list = &widget.Label{Text: "Only document files are listed one by one: the notes, contacts and other items imported are in their places in the navigation.",
			Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance}
	default:
		p.list = widget.NewList(func() int { return len(p.rows) }, newImportRow, p.updateRow)
		p.list.OnSelected = p.onRowSelected
		list = p.list
	}
	copyBtn := widget.NewButtonWithIcon("Copy list", theme.ContentCopyIcon(), p.onCopy)
	closeBtn := widget.NewButton("Close", func() { p.dlg.Hide() })
	closeBtn.Importance = widget.HighImportance
	title := "Import"
	switch {
	case p.cancelled:
		title = "Import cancelled"
	case p.err != nil:
		title = "Import stopped"
	case len(p.rows) > 0 || p.sum.Saved > 0:
		title = "Import finished"
	}
	d := dialog.NewCustomWithoutButtons(title, container.NewBorder(head, foot, nil, nil, list), p.win)
	if len(p.rows) > 0 {
		d.SetButtons([]fyne.CanvasObject{copyBtn, closeBtn})
		d.Resize(fyne.NewSize(680, 480))
	} else {
		d.SetButtons([]fyne.CanvasObject{closeBtn})
		d.Resize(fyne.NewSize(520, 200))
	}
	d.SetOnClosed(func() {
		if p.dlg == d {
			p.dlg = nil
		}
	})
	p.dlg = d
	d.Show()
}

// importRow is a row of the summary's list: an icon for the status, the file's name and
// folder, and what became of it.
type importRow struct {
	widget.BaseWidget
	icon   *widget.Icon
	name   *widget.Label
	status *widget.Label
}

func newImportRow() fyne.CanvasObject {
	r := &importRow{
		icon:   widget.NewIcon(theme.ConfirmIcon()),
		name:   &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
		status: &widget.Label{Truncation: fyne.TextTruncateEllipsis},
	}
	r.ExtendBaseWidget(r)
	return r
}

func (r *importRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewCenter(r.icon), nil,
		container.New(layout.NewCustomPaddedVBoxLayout(0), r.name, r.status)))
}

func (r *importRow) set(f store.ImportedFile) {
	switch {
	case f.Status == store.StatusFailed:
		r.icon.SetResource(theme.ErrorIcon())
		r.status.Importance = widget.DangerImportance
	case f.Status == store.StatusEmpty:
		r.icon.SetResource(theme.WarningIcon())
		r.status.Importance = widget.WarningImportance
	default:
		r.icon.SetResource(theme.ConfirmIcon())
		r.status.Importance = widget.MediumImportance
	}
	r.name.SetText(filepath.Base(f.Path) + "  —  " + filepath.Dir(f.Path))
	r.status.SetText(fileWords(f))
}

func (p *importPanel) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id < len(p.rows) {
		o.(*importRow).set(p.rows[id])
	}
}

// onRowSelected opens the item of the file chosen; a file that was not kept has none.
func (p *importPanel) onRowSelected(id widget.ListItemID) {
	if id >= len(p.rows) {
		return
	}
	f := p.rows[id]
	if f.ItemID == "" {
		p.chosen.Importance = widget.MediumImportance
		p.chosen.SetText(f.Path + "\n" + fileWords(f))
		return
	}
	p.list.Unselect(id)
	if p.dlg != nil {
		p.dlg.Hide()
	}
	p.on.onOpen(f.ItemID)
}

// listText is the summary and the list as text: each file, what became of it.
func (p *importPanel) listText() string {
	var b strings.Builder
	b.WriteString(p.sentence() + "\n")
	for _, f := range p.rows {
		b.WriteString(f.Path + "\t" + fileWords(f) + "\n")
	}
	return b.String()
}

func (p *importPanel) onCopy() {
	p.app.Clipboard().SetContent(p.listText())
}
