package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"log/slog"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// Conflicts lists and resolves what team sync found: two versions of an item, made on two
// desks, neither made from the other (*store.DB is one).
type Conflicts interface {
	// Conflicts lists the conflicts, newest first; only the open ones when open is set.
	Conflicts(ctx context.Context, open bool) ([]store.Conflict, error)
	// ResolveConflict closes conflict id by saving keep (either version, or a merge) as
	// the item's new version, made from both.
	ResolveConflict(ctx context.Context, id int64, keep store.Item) (store.Item, error)
}

// conflictsDeps is what the Conflicts view needs.
type conflictsDeps struct {
	conflicts Conflicts
	ctx       context.Context
	do        func(func())
	log       *slog.Logger
	env       *env // the merge's editor
	deskName  func(string) string
}

// conflictsHandlers are what the view calls upward.
type conflictsHandlers struct {
	onResolved func(store.Item) // after a resolution was saved
}

// conflictsView is the Conflicts view (Team → Conflicts…, Ctrl+Shift+C, or the status
// line's button): the open conflicts listed (title, kind, the other desk, when found, the
// fields that differ), the selected one's two versions side by side with the differing
// fields highlighted, and Keep this desk's version, Keep the other desk's version, or
// Merge (the item's editor, prefilled with this desk's version, beside the other; saved
// as the resolution).
type conflictsView struct {
	conflictsDeps
	on conflictsHandlers

	list      *widget.List
	empty     *widget.Label
	emptyBox  *fyne.Container
	heading   *widget.Label // the selected conflict: title, kind, desks, found
	differ    *widget.Label // the fields that differ
	mineHead  *widget.Label
	otherHead *widget.Label
	fields    *fyne.Container // rows of the two versions, side by side
	keepMine  *widget.Button
	keepOther *widget.Button
	merge     *widget.Button
	problem   *widget.Label
	compare   *fyne.Container // the side by side, with its buttons
	mergeBox  *fyne.Container // the merge's editor, with its buttons
	ed        *editor
	content   fyne.CanvasObject

	// UI goroutine only.
	rows     []store.Conflict
	selected int // -1: none
	gen      int
	busy     bool // a resolution is being saved
}

func newConflictsView(d conflictsDeps, on conflictsHandlers) *conflictsView {
	v := &conflictsView{conflictsDeps: d, on: on, selected: -1}
	v.list = widget.NewList(func() int { return len(v.rows) },
		func() fyne.CanvasObject {
			return container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Truncation: fyne.TextTruncateEllipsis},
				&widget.Label{Importance: widget.LowImportance, Truncation: fyne.TextTruncateEllipsis})
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i >= len(v.rows) {
				return
			}
			c := v.rows[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(c.Title)
			box.Objects[1].(*widget.Label).SetText(v.rowDetail(c))
		})
	v.list.OnSelected = v.onSelected
	v.empty = &widget.Label{Text: "Reading the conflicts…", Alignment: fyne.TextAlignCenter, Wrapping: fyne.TextWrapWord}
	v.heading = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}, Wrapping: fyne.TextWrapWord}
	v.differ = &widget.Label{Wrapping: fyne.TextWrapWord}
	v.mineHead = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.otherHead = &widget.Label{TextStyle: fyne.TextStyle{Bold: true}}
	v.fields = container.NewVBox()
	v.keepMine = &widget.Button{Text: "Keep this desk's version", Importance: widget.HighImportance, OnTapped: v.onKeepMine}
	v.keepOther = &widget.Button{Text: "Keep the other desk's version", OnTapped: v.onKeepOther}
	v.merge = &widget.Button{Text: "Merge…", Icon: theme.DocumentCreateIcon(), OnTapped: v.onMerge}
	v.problem = &widget.Label{Importance: widget.DangerImportance, Wrapping: fyne.TextWrapWord}
	v.problem.Hide()
	v.compare = container.NewBorder(
		container.NewVBox(v.heading, v.differ, container.NewGridWithColumns(2, v.mineHead, v.otherHead)),
		container.NewVBox(v.problem, container.NewHBox(v.keepMine, v.keepOther, v.merge)), nil, nil,
		container.NewVScroll(v.fields))
	v.mergeBox = container.NewStack()
	v.mergeBox.Hide()
	v.compare.Hide()
	v.emptyBox = container.NewVBox(layout.NewSpacer(), v.empty, layout.NewSpacer())
	left := container.NewStack(v.list, container.NewPadded(v.emptyBox))
	split := container.NewHSplit(left, container.NewStack(v.compare, v.mergeBox))
	split.Offset = 0.3
	v.content = split
	return v
}

// sides are the conflict's two versions as this desk sees them: its own, and the other
// desk's. The store keeps the version now (the winner, the same on every desk) and the
// other; the other is this desk's when it came from here.
func (v *conflictsView) sides(c store.Conflict) (mine, other store.Item, otherDesk string) {
	if c.OtherDesk == "" {
		return c.Other, c.Current, ""
	}
	return c.Current, c.Other, c.OtherDesk
}

// deskLabel names a desk for people.
func (v *conflictsView) deskLabel(desk string) string {
	if desk == "" {
		return "the other desk"
	}
	if v.deskName != nil {
		if n := v.deskName(desk); n != "" {
			return "desk " + n
		}
	}
	if len(desk) > 8 {
		desk = desk[:8]
	}
	return "desk " + desk
}

// rowDetail is a conflict's second line in the list.
func (v *conflictsView) rowDetail(c store.Conflict) string {
	_, _, desk := v.sides(c)
	return fmt.Sprintf("%s · with %s · found %s · differ: %s", kindLabel(c.Kind), v.deskLabel(desk), syncTime(c.Found), fieldNames(c.Fields))
}

// load reads the open conflicts (off the UI goroutine) and shows them.
func (v *conflictsView) load() {
	v.gen++
	gen := v.gen
	go func() {
		rows, err := v.conflicts.Conflicts(v.ctx, true)
		if v.ctx.Err() != nil {
			return
		}
		v.do(func() {
			if gen != v.gen {
				return
			}
			if err != nil {
				v.log.Error("read the conflicts", "err", errKind(err))
				v.empty.SetText("The conflicts could not be read: " + err.Error())
				v.empty.Show()
				v.emptyBox.Refresh()
				return
			}
			v.show(rows)
		})
	}()
}

// show lists rows, keeping the selection on the same conflict when it is still open.
func (v *conflictsView) show(rows []store.Conflict) {
	var was int64 = -1
	if v.selected >= 0 && v.selected < len(v.rows) {
		was = v.rows[v.selected].ID
	}
	v.rows = rows
	v.selected = -1
	v.list.UnselectAll()
	v.list.Refresh()
	if len(rows) == 0 {
		v.empty.SetText("No open conflicts: every desk's changes fit together.")
		v.empty.Show()
		v.emptyBox.Refresh()
		v.compare.Hide()
		v.closeMerge()
		return
	}
	v.empty.Hide()
	v.emptyBox.Refresh()
	at := 0
	for i, c := range rows {
		if c.ID == was {
			at = i
		}
	}
	v.list.Select(at)
}

func (v *conflictsView) onSelected(i widget.ListItemID) {
	if i < 0 || i >= len(v.rows) {
		return
	}
	if v.selected == i {
		return
	}
	v.selected = i
	v.closeMerge()
	v.showConflict(v.rows[i])
}

// showConflict shows the two versions of c side by side.
func (v *conflictsView) showConflict(c store.Conflict) {
	mine, other, desk := v.sides(c)
	v.heading.SetText(fmt.Sprintf("%s · %s · %s · with %s · found %s", c.Title, kindLabel(c.Kind), c.Class, v.deskLabel(desk), syncTime(c.Found)))
	v.differ.SetText("Changed on both desks: " + fieldNames(c.Fields) + ". The version kept now is the same on every desk until you choose; nothing of either is lost.")
	v.mineHead.SetText("This desk's version")
	v.otherHead.SetText("The version of " + v.deskLabel(desk))
	v.keepOther.SetText("Keep the version of " + v.deskLabel(desk))
	v.fields.Objects = compareRows(mine, other, c.Fields)
	v.fields.Refresh()
	v.problem.Hide()
	v.compare.Show()
}

// current is the conflict selected (ok false when none).
func (v *conflictsView) current() (store.Conflict, bool) {
	if v.selected < 0 || v.selected >= len(v.rows) {
		return store.Conflict{}, false
	}
	return v.rows[v.selected], true
}

func (v *conflictsView) onKeepMine() {
	if c, ok := v.current(); ok {
		mine, _, _ := v.sides(c)
		v.resolve(c, mine)
	}
}

func (v *conflictsView) onKeepOther() {
	if c, ok := v.current(); ok {
		_, other, _ := v.sides(c)
		v.resolve(c, other)
	}
}

// onMerge opens the item's editor prefilled with this desk's version, beside the other
// desk's version (read-only), to write the merged version and save it.
func (v *conflictsView) onMerge() {
	c, ok := v.current()
	if !ok {
		return
	}
	mine, other, desk := v.sides(c)
	mine.ID, mine.Kind = c.ItemID, c.Kind
	v.ed = newEditor(v.env, mine)
	save := &widget.Button{Text: "Save merged version", Importance: widget.HighImportance, Icon: theme.DocumentSaveIcon(), OnTapped: v.onSaveMerge}
	cancel := &widget.Button{Text: "Cancel", OnTapped: v.onCancelMerge}
	ref := container.NewVBox()
	for _, r := range compareRows(other, other, c.Fields) {
		ref.Add(r)
	}
	head := &widget.Label{Text: "Merge “" + c.Title + "”: edit this desk's version (left) until it holds what should stay of both; the version of " +
		v.deskLabel(desk) + " is on the right, the fields that differ highlighted. Save merged version resolves the conflict.", Wrapping: fyne.TextWrapWord}
	split := container.NewHSplit(v.ed.content, container.NewBorder(&widget.Label{Text: "The version of " + v.deskLabel(desk), TextStyle: fyne.TextStyle{Bold: true}}, nil, nil, nil,
		container.NewVScroll(highlightOnly(other, c.Fields))))
	split.Offset = 0.55
	v.mergeBox.Objects = []fyne.CanvasObject{container.NewBorder(head, container.NewVBox(v.problem, container.NewHBox(save, cancel)), nil, nil, split)}
	v.problem.Hide()
	v.compare.Hide()
	v.mergeBox.Show()
	v.mergeBox.Refresh()
	if v.env.win != nil {
		v.ed.focus(v.env.win.Canvas())
	}
}

// onSaveMerge saves what the merge's editor holds as the resolution.
func (v *conflictsView) onSaveMerge() {
	c, ok := v.current()
	if !ok || v.ed == nil {
		return
	}
	it, problem := v.ed.collect()
	if problem != nil {
		v.showProblem("The merged version cannot be saved: " + problem.Error())
		return
	}
	v.resolve(c, it)
}

func (v *conflictsView) onCancelMerge() {
	v.closeMerge()
	if c, ok := v.current(); ok {
		v.showConflict(c)
	}
}

func (v *conflictsView) closeMerge() {
	if v.ed != nil && v.env != nil && v.env.win != nil {
		v.env.win.Canvas().Unfocus() // the editor's entry held the keys (Escape)
	}
	v.ed = nil
	v.mergeBox.Objects = nil
	v.mergeBox.Hide()
}

func (v *conflictsView) showProblem(msg string) {
	v.problem.SetText(msg)
	v.problem.Show()
}

// resolve saves keep as the resolution of c (off the UI goroutine), then lists the open
// conflicts again.
func (v *conflictsView) resolve(c store.Conflict, keep store.Item) {
	if v.busy {
		return
	}
	v.busy = true
	go func() {
		out, err := v.conflicts.ResolveConflict(v.ctx, c.ID, keep)
		if v.ctx.Err() != nil {
			return
		}
		v.do(func() {
			v.busy = false
			if err != nil {
				v.log.Error("resolve a conflict", "err", errKind(err))
				v.showProblem(fmt.Sprintf("“%s” could not be saved: %v", c.Title, err))
				return
			}
			v.closeMerge()
			if v.on.onResolved != nil {
				v.on.onResolved(out)
			}
			v.load()
		})
	}()
}

// fieldNames writes the fields that differ as people read them: "Title, Body, Phones".
func fieldNames(fields []string) string {
	if len(fields) == 0 {
		return "nothing that is shown"
	}
	out := make([]string, 0, len(fields))
	for _, f := range fields {
		out = append(out, fieldLabel(f))
	}
	return strings.Join(out, ", ")
}

// fieldLabel is a field's name for people: "Contact.Phones" → "Phones", "Body" → "Text".
func fieldLabel(f string) string {
	if _, after, ok := strings.Cut(f, "."); ok {
		f = after
	}
	switch f {
	case "Body":
		return "Text"
	case "Class":
		return "Classification"
	}
	return f
}

// flatItem is an item's content as field → text, with the store's field names (those of
// store.Conflict.Fields: "Title", "Contact.Phones"...), in the order they are shown.
func flatItem(it store.Item) (names []string, vals map[string]string) {
	b, _ := json.Marshal(it)
	var top map[string]json.RawMessage
	_ = json.Unmarshal(b, &top)
	for _, k := range []string{"ID", "Kind", "Created", "Updated", "Rev", "Seq", "Deleted", "SourceKey"} {
		delete(top, k)
	}
	vals = map[string]string{}
	for k, raw := range top {
		if slices.Contains([]string{"Note", "Contact", "Organisation", "Document", "Briefing", "Incident"}, k) {
			var sub map[string]json.RawMessage
			if json.Unmarshal(raw, &sub) == nil {
				for sk, sv := range sub {
					if sk == "Original" {
						continue
					}
					vals[k+"."+sk] = rawText(sv)
				}
			}
			continue
		}
		vals[k] = rawText(raw)
	}
	first := []string{"Title", "Class", "Date", "Body", "Tags", "Countries", "Topics", "Source", "Reliability", "Language"}
	for k := range vals {
		if !slices.Contains(first, k) && k != "Links" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	return append(append(first, names...), "Links"), vals
}

// rawText writes a JSON value as text: strings as they are, lists a line an element,
// objects as "key: value" of their non-empty fields; zero times and nulls as nothing.
func rawText(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if strings.HasPrefix(s, "0001-01-01T") {
			return ""
		}
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.Local().Format("2006-01-02 15:04")
		}
		return s
	}
	var list []json.RawMessage
	if json.Unmarshal(raw, &list) == nil {
		var out []string
		for _, x := range list {
			if t := rawText(x); t != "" {
				out = append(out, t)
			}
		}
		return strings.Join(out, "\n")
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		keys := make([]string, 0, len(obj))
		for k := range obj {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		var out []string
		for _, k := range keys {
			if t := rawText(obj[k]); t != "" && t != "false" && t != "0" {
				out = append(out, k+": "+t)
			}
		}
		return strings.Join(out, ", ")
	}
	if string(raw) == "false" || string(raw) == "0" {
		return ""
	}
	return string(raw)
}

// compareRows are the two versions' fields side by side, a row a field either holds; the
// fields in differ are highlighted and marked "changed on both".
func compareRows(mine, other store.Item, differ []string) []fyne.CanvasObject {
	names, a := flatItem(mine)
	_, b := flatItem(other)
	var rows []fyne.CanvasObject
	for _, n := range names {
		va, vb := a[n], b[n]
		diff := slices.Contains(differ, n) || va != vb
		if va == "" && vb == "" {
			continue
		}
		rows = append(rows, container.NewGridWithColumns(2, fieldCell(n, va, diff), fieldCell(n, vb, diff)))
	}
	return rows
}

// highlightOnly is one version's fields, the fields in differ highlighted.
func highlightOnly(it store.Item, differ []string) fyne.CanvasObject {
	names, vals := flatItem(it)
	box := container.NewVBox()
	for _, n := range names {
		if vals[n] == "" && !slices.Contains(differ, n) {
			continue
		}
		box.Add(fieldCell(n, vals[n], slices.Contains(differ, n)))
	}
	return box
}

// conflictHighlight is the background of a field that differs.
var conflictHighlight = color.NRGBA{R: 0xff, G: 0xc1, B: 0x07, A: 0x55}

// fieldCell is one field of one version: its name, and its text; highlighted when the
// versions differ in it.
func fieldCell(name, text string, differ bool) fyne.CanvasObject {
	label := fieldLabel(name)
	if differ {
		label += " — differs"
	}
	if text == "" {
		text = "(empty)"
	}
	if r := []rune(text); len(r) > 4000 {
		text = string(r[:4000]) + "\n…"
	}
	cell := container.NewVBox(
		&widget.Label{Text: label, TextStyle: fyne.TextStyle{Bold: true}, Importance: map[bool]widget.Importance{true: widget.WarningImportance, false: widget.LowImportance}[differ]},
		&widget.Label{Text: text, Wrapping: fyne.TextWrapWord, Selectable: true})
	if !differ {
		return cell
	}
	bg := canvas.NewRectangle(conflictHighlight)
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, cell)
}

// onConflicts shows the Conflicts view over the window (Team → Conflicts…, Ctrl+Shift+C,
// the status line's button). It returns the view.
func (mw *mainWindow) onConflicts(ts TeamSync) *conflictsView {
	if ts.Conflicts == nil {
		return nil
	}
	v := newConflictsView(conflictsDeps{conflicts: ts.Conflicts, ctx: mw.ctx, do: mw.do, log: mw.log, env: mw.env, deskName: ts.DeskName},
		conflictsHandlers{})
	d := dialog.NewCustom("Conflicts", "Close", v.content, mw.win)
	mw.confl = v
	d.SetOnClosed(func() {
		if mw.confl == v {
			mw.confl = nil
		}
	})
	size := mw.win.Canvas().Size()
	d.Resize(fyne.NewSize(max(size.Width*0.94, 600), max(size.Height*0.9, 400)))
	d.Show()
	mw.dialogs.close()
	mw.dialogs.shown = d // Escape closes it, as the help
	v.load()
	return v
}
