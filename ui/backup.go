package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Backups makes backups of the knowledge base from the window (File → Back Up…).
type Backups struct {
	// Folder is where a backup goes (shown in the dialog).
	Folder string
	// RecoveryKeys is how many recovery keys the administrator's policy encrypts every
	// backup to as well. When there are any, a passphrase cannot be used (age encrypts a
	// file to a passphrase or to keys, not both): the person gives their own keys, or none.
	RecoveryKeys int
	// Make writes a backup encrypted to req's passphrase or recipients (and the policy's
	// recovery keys), telling progress of each step, and says what it wrote.
	Make func(ctx context.Context, req BackupRequest, progress func(step, steps int, what string)) (BackupResult, error)
}

// BackupRequest is what the person chose in the dialog: a passphrase, or age recipients
// (age1... keys).
type BackupRequest struct {
	Passphrase string
	Recipients []string
}

// BackupResult is a backup written.
type BackupResult struct {
	File    string
	Bytes   int64
	Summary string // what it holds, in words
}

// AddBackups adds Back Up… to the File menu of w's main menu (before Settings…). Call it
// on the UI goroutine.
func AddBackups(w fyne.Window, b Backups) {
	open := func() { newBackupDialog(w, b, fyne.Do, context.Background()).show() }
	item := fyne.NewMenuItem("Back Up…", open)
	m := w.MainMenu()
	if m == nil {
		m = fyne.NewMainMenu(fyne.NewMenu("File"))
	}
	file := m.Items[0]
	at := len(file.Items)
	for i, it := range file.Items {
		if strings.HasPrefix(it.Label, "Settings") {
			at = i
			break
		}
	}
	file.Items = append(file.Items[:at], append([]*fyne.MenuItem{item}, file.Items[at:]...)...)
	w.SetMainMenu(m)
}

// ShowBackupStatus shows text (what the last automatic backup did) in the status line of
// w, a window NewMainWindow made; other windows show nothing. Call it on the UI goroutine.
func ShowBackupStatus(w fyne.Window, text string) {
	if mw, ok := mainWindows[w]; ok && mw.search != nil {
		mw.search.backupNote = text
		mw.search.showIndexStatus(mw.deps.Searcher.Status())
	}
}

// backupDialog is File → Back Up…: a passphrase (twice) or age keys, then the progress of
// each step and the result.
type backupDialog struct {
	win  fyne.Window
	b    Backups
	do   func(func())
	ctx  context.Context
	dlg  dialog.Dialog
	mode *widget.RadioGroup
	pass *widget.Entry
	same *widget.Entry
	keys *widget.Entry
	bar  *widget.ProgressBar
	msg  *widget.Label
	ok   *widget.Button
	stop context.CancelFunc
	done bool
}

const (
	byPassphrase = "A passphrase"
	byKeys       = "Age keys (age1…)"
)

func newBackupDialog(w fyne.Window, b Backups, do func(func()), ctx context.Context) *backupDialog {
	d := &backupDialog{win: w, b: b, do: do, ctx: ctx,
		pass: &widget.Entry{Password: true, PlaceHolder: "Passphrase"},
		same: &widget.Entry{Password: true, PlaceHolder: "The same passphrase again"},
		keys: &widget.Entry{MultiLine: true, PlaceHolder: "age1… (one key a line)", Wrapping: fyne.TextWrapBreak},
		bar:  &widget.ProgressBar{Max: 1},
		msg:  &widget.Label{Wrapping: fyne.TextWrapWord},
	}
	d.keys.SetMinRowsVisible(3)
	d.mode = widget.NewRadioGroup([]string{byPassphrase, byKeys}, func(string) { d.showMode() })
	d.mode.Horizontal = true
	d.bar.Hide()
	intro := "The backup holds the whole knowledge base, encrypted; it goes to " + b.Folder + "."
	if b.RecoveryKeys > 0 {
		intro += fmt.Sprintf(" The administrator's policy also encrypts it to %d recovery keys, so it cannot be encrypted to a passphrase: give your own age keys, or none to encrypt it to the recovery keys alone.", b.RecoveryKeys)
		d.mode.Disable()
		d.mode.SetSelected(byKeys)
	} else {
		d.mode.SetSelected(byPassphrase)
	}
	introLabel := &widget.Label{Text: intro, Wrapping: fyne.TextWrapWord}
	content := container.NewVBox(introLabel, d.mode, d.pass, d.same, d.keys, d.bar, d.msg)
	d.dlg = dialog.NewCustomWithoutButtons("Back Up", content, w)
	d.ok = &widget.Button{Text: "Back Up", Importance: widget.HighImportance, OnTapped: d.onBackUp}
	cancel := &widget.Button{Text: "Cancel", OnTapped: d.onCancel}
	d.dlg.(*dialog.CustomDialog).SetButtons([]fyne.CanvasObject{cancel, d.ok})
	return d
}

func (d *backupDialog) show() {
	d.dlg.Resize(fyne.NewSize(560, 0))
	d.dlg.Show()
}

func (d *backupDialog) showMode() {
	if d.mode.Selected == byKeys {
		d.pass.Hide()
		d.same.Hide()
		d.keys.Show()
	} else {
		d.keys.Hide()
		d.pass.Show()
		d.same.Show()
	}
}

// request is what the person chose, or why it cannot be used.
func (d *backupDialog) request() (BackupRequest, error) {
	if d.mode.Selected == byKeys {
		var keys []string
		for _, l := range strings.Fields(d.keys.Text) {
			keys = append(keys, l)
		}
		if len(keys) == 0 && d.b.RecoveryKeys == 0 {
			return BackupRequest{}, fmt.Errorf("Give at least one age key (age1…), or choose a passphrase.")
		}
		return BackupRequest{Recipients: keys}, nil
	}
	if d.pass.Text == "" {
		return BackupRequest{}, fmt.Errorf("Type a passphrase: without it, nobody can open the backup.")
	}
	if d.pass.Text != d.same.Text {
		return BackupRequest{}, fmt.Errorf("The two passphrases differ.")
	}
	return BackupRequest{Passphrase: d.pass.Text}, nil
}

func (d *backupDialog) onBackUp() {
	if d.done {
		d.dlg.Hide()
		return
	}
	req, err := d.request()
	if err != nil {
		d.msg.Importance = widget.DangerImportance
		d.msg.SetText(err.Error())
		return
	}
	ctx, stop := context.WithCancel(d.ctx)
	d.stop = stop
	d.ok.Disable()
	d.mode.Disable()
	d.pass.Disable()
	d.same.Disable()
	d.keys.Disable()
	d.bar.SetValue(0)
	d.bar.Show()
	d.msg.Importance = widget.MediumImportance
	d.msg.SetText("Backing up…")
	go func() {
		res, err := d.b.Make(ctx, req, func(step, steps int, what string) {
			d.do(func() {
				d.bar.SetValue(float64(step) / float64(steps))
				d.msg.SetText(fmt.Sprintf("Step %d of %d: %s", step, steps, what))
			})
		})
		stop()
		d.do(func() { d.showResult(res, err) })
	}()
}

func (d *backupDialog) showResult(res BackupResult, err error) {
	d.stop = nil
	if err != nil {
		d.bar.Hide()
		d.msg.Importance = widget.DangerImportance
		d.msg.SetText("The backup was not made: " + err.Error())
		d.ok.Enable()
		if d.b.RecoveryKeys == 0 {
			d.mode.Enable()
		}
		d.pass.Enable()
		d.same.Enable()
		d.keys.Enable()
		return
	}
	d.done = true
	d.bar.SetValue(1)
	d.msg.Importance = widget.SuccessImportance
	d.msg.SetText(fmt.Sprintf("Backed up to %s (%s). It holds %s.", res.File, megabytes(res.Bytes), res.Summary))
	d.ok.SetText("Close")
	d.ok.Enable()
	ShowBackupStatus(d.win, "Backed up "+shortTime())
}

func (d *backupDialog) onCancel() {
	if d.stop != nil {
		d.stop()
	}
	d.dlg.Hide()
}

// megabytes writes a size for people: "3.2 MB".
func megabytes(n int64) string {
	if n < 100*1024 {
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}

// shortTime is the time now, as the status line shows it: "at 14:02".
func shortTime() string { return "at " + time.Now().Format("15:04") }
