package ui

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"chancery/store"
)

// sitrepPane is the incident's situation reports: the list (SITREP 1, 2, … draft or
// issued) and the one chosen. "Draft the next report" (Alt+R) fills it from what changed
// since the last one (store.DraftSitrep: the significant timeline entries, actions taken
// and planned, contacts made, positions, open requests); the officer edits each section's
// own text (Ctrl+S saves the draft, as it does when leaving it for another); "Issue"
// (Alt+I, after a confirmation) freezes it and records its hash. An issued report is shown
// read-only, with when it was issued and its SHA-256; "Amend" (Alt+M) on it drafts an
// amendment (store.AmendSitrep: the next number, naming the report it amends, starting
// from its text) and shows it.
type sitrepPane struct {
	s        *incidentScreen
	reports  []store.Sitrep
	list     *widget.List
	detail   *fyne.Container
	draftBtn *widget.Button
	content  fyne.CanvasObject

	selected int
	shown    store.Sitrep    // the report the detail shows
	texts    []*widget.Entry // its sections' own text, while a draft
	dirty    bool            // the draft shown was edited since it was saved
	want     int             // select the report with this number once listed (0: none)
	focus    bool            // put the focus in the next draft shown (it was just drafted)
}

func newSitrepPane(s *incidentScreen) *sitrepPane {
	p := &sitrepPane{s: s, selected: -1}
	p.list = widget.NewList(
		func() int { return len(p.reports) },
		func() fyne.CanvasObject {
			return container.NewVBox(&widget.Label{TextStyle: fyne.TextStyle{Bold: true}},
				&widget.Label{SizeName: theme.SizeNameCaptionText, Truncation: fyne.TextTruncateEllipsis})
		},
		func(i widget.ListItemID, o fyne.CanvasObject) {
			if i < 0 || i >= len(p.reports) {
				return
			}
			r := p.reports[i]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(r.Label())
			state := "draft"
			if r.IsIssued() {
				state = "issued " + s.when(r.Issued)
			}
			if a := p.amends(r); a != "" {
				state += " · amends " + a
			}
			box.Objects[1].(*widget.Label).SetText(state + " · " + r.Class)
		},
	)
	p.list.OnSelected = p.onSelected
	p.draftBtn = &widget.Button{Text: "Draft the next report", Icon: theme.ContentAddIcon(), Importance: widget.HighImportance, OnTapped: p.onDraft}
	p.detail = container.NewVBox(&widget.Label{Text: "No situation report yet. Draft the first (Alt+R) from the timeline, the call sheet, the actions and the positions.",
		Wrapping: fyne.TextWrapWord, Importance: widget.LowImportance})
	left := container.NewBorder(nil, container.NewPadded(p.draftBtn), nil, nil, p.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(p.detail)))
	split.Offset = 0.25
	p.content = split
	return p
}

// show shows the reports; the one shown stays (its edits too), or the one wanted (just
// drafted) is chosen, or the latest.
func (p *sitrepPane) show() {
	p.reports = p.s.recs.Sitreps
	p.list.Refresh()
	i := -1
	switch {
	case p.want != 0:
		i = slices.IndexFunc(p.reports, func(r store.Sitrep) bool { return r.Number == p.want })
		if i >= 0 {
			p.want = 0
		}
	case p.shown.ID != "":
		i = slices.IndexFunc(p.reports, func(r store.Sitrep) bool { return r.ID == p.shown.ID })
	}
	if i < 0 && p.want == 0 && len(p.reports) > 0 {
		i = len(p.reports) - 1
	}
	if i >= 0 {
		if i == p.selected {
			p.onSelected(i) // shown again: it may have changed (issued, drafted again)
		} else {
			p.list.Select(i)
		}
	}
}

// onSelected shows report i: a draft with its sections' text to edit, an issued report
// read-only. Leaving a draft with edits saves them.
func (p *sitrepPane) onSelected(i widget.ListItemID) {
	p.selected = i
	if i < 0 || i >= len(p.reports) {
		return
	}
	r := p.reports[i]
	if r.ID == p.shown.ID && (p.dirty || r.Updated.Equal(p.shown.Updated) && r.IsIssued() == p.shown.IsIssued()) {
		return // the same, or being edited: what is typed stays
	}
	if p.dirty && r.ID != p.shown.ID {
		p.onSave()
	}
	p.shown, p.dirty, p.texts = r, false, nil
	p.detail.Objects = p.render(r)
	p.detail.Refresh()
	if p.focus && len(p.texts) > 0 {
		p.focus = false
		p.s.win.Canvas().Focus(p.texts[0]) // the summary, ready to type
	}
}

// render is a report as the detail shows it.
func (p *sitrepPane) render(r store.Sitrep) []fyne.CanvasObject {
	s := p.s
	banner := newClassBadge(true)
	banner.SetClass(r.Class)
	head := fmt.Sprintf("%s — %s", r.Label(), s.item.Title)
	var facts []string
	facts = append(facts, "as of "+s.when(r.AsOf))
	if !r.From.IsZero() || !r.To.IsZero() {
		facts = append(facts, "covers "+s.when(r.From)+" to "+s.when(r.To))
	}
	if !r.NextDue.IsZero() {
		facts = append(facts, "next due "+s.when(r.NextDue))
	}
	if a := p.amends(r); a != "" {
		facts = append([]string{"amends " + a}, facts...)
	}
	objs := []fyne.CanvasObject{banner, &widget.Label{Text: head, TextStyle: fyne.TextStyle{Bold: true}, SizeName: theme.SizeNameSubHeadingText}}
	state := &widget.Label{Wrapping: fyne.TextWrapWord}
	if r.IsIssued() {
		state.SetText(fmt.Sprintf("Issued %s · it never changes (an amendment is a new number) · SHA-256 %s", s.when(r.Issued), r.SHA256))
		state.Importance = widget.SuccessImportance
	} else {
		state.SetText("Draft: edit each section's text, then Save (Ctrl+S) and Issue (Alt+I).")
		state.Importance = widget.WarningImportance
	}
	objs = append(objs, &widget.Label{Text: strings.Join(facts, " · "), Wrapping: fyne.TextWrapWord}, state)
	for _, sec := range r.Sections {
		objs = append(objs, widget.NewSeparator(), &widget.Label{Text: sec.Heading, TextStyle: fyne.TextStyle{Bold: true}})
		if r.IsIssued() {
			if sec.Text != "" {
				objs = append(objs, &widget.Label{Text: sec.Text, Wrapping: fyne.TextWrapWord})
			}
		} else {
			e := widget.NewMultiLineEntry()
			e.Wrapping = fyne.TextWrapWord
			e.SetText(sec.Text)
			e.SetPlaceHolder("Your text for " + strings.ToLower(sec.Heading))
			e.SetMinRowsVisible(2)
			e.OnChanged = func(string) { p.dirty = true }
			p.texts = append(p.texts, e)
			objs = append(objs, e)
		}
		for _, l := range sec.Lines {
			badge := newClassBadge(false)
			badge.SetClass(l.Class)
			objs = append(objs, container.NewBorder(nil, nil, widget.NewLabel("•"), container.NewCenter(badge), &widget.Label{Text: l.Text, Wrapping: fyne.TextWrapWord}))
		}
		if len(sec.Lines) == 0 && sec.Heading != store.SectionSummary {
			objs = append(objs, &widget.Label{Text: "Nothing since the last report.", Importance: widget.LowImportance})
		}
	}
	if !r.IsIssued() {
		save := &widget.Button{Text: "Save draft", Icon: theme.DocumentSaveIcon(), OnTapped: p.onSave}
		issue := &widget.Button{Text: "Issue " + r.Label() + "…", Icon: theme.MailSendIcon(), Importance: widget.HighImportance, OnTapped: p.onIssue}
		objs = append(objs, widget.NewSeparator(), container.NewHBox(save, issue))
	} else {
		bar := container.NewHBox(&widget.Button{Text: "Amend " + r.Label() + "…", Icon: theme.DocumentCreateIcon(), OnTapped: p.onAmend})
		if p.s.on.onExport != nil {
			bar.Add(&widget.Button{Text: "Export " + r.Label() + "…", Icon: theme.DocumentPrintIcon(), OnTapped: p.onExport})
		}
		objs = append(objs, widget.NewSeparator(), bar)
	}
	objs = append(objs, banner2(r.Class))
	return objs
}

// banner2 is the marking again at the foot of the report.
func banner2(class string) fyne.CanvasObject {
	b := newClassBadge(true)
	b.SetClass(class)
	return b
}

// edited is the draft shown with the text typed in its sections.
func (p *sitrepPane) edited() store.Sitrep {
	r := p.shown
	r.Sections = slices.Clone(r.Sections)
	for i := range r.Sections {
		if i < len(p.texts) {
			r.Sections[i].Text = p.texts[i].Text
		}
	}
	return r
}

// onSave (Ctrl+S) saves the draft shown with what was typed.
func (p *sitrepPane) onSave() {
	if p.shown.ID == "" || p.shown.IsIssued() || !p.dirty {
		return
	}
	r := p.edited()
	p.dirty = false
	p.s.write("Saving "+r.Label(), func(ctx context.Context) error {
		_, err := p.s.incidents.SaveSitrep(ctx, r)
		return err
	}, nil)
}

// onDraft (Alt+R) drafts the next report (or fills the pending draft again) and shows it.
func (p *sitrepPane) onDraft() {
	if !p.s.has {
		return
	}
	if p.dirty {
		p.onSave()
	}
	id := p.s.id
	var drafted store.Sitrep
	p.s.write("Drafting the next situation report", func(ctx context.Context) error {
		var err error
		drafted, err = p.s.incidents.DraftSitrep(ctx, id, p.s.now().UTC())
		return err
	}, func() {
		p.want, p.focus = drafted.Number, true
		p.shown = store.Sitrep{} // filled again in place: show it afresh
		p.s.reload()
	})
}

// amends is the label of the report r amends ("SITREP 1"), "" when it amends none.
func (p *sitrepPane) amends(r store.Sitrep) string {
	if r.Amends == "" {
		return ""
	}
	if i := slices.IndexFunc(p.reports, func(o store.Sitrep) bool { return o.ID == r.Amends }); i >= 0 {
		return p.reports[i].Label()
	}
	return r.Amends
}

// onAmend (Alt+M) drafts an amendment of the issued report shown, once confirmed: a new
// number naming it, starting from its text; the draft is shown, ready to edit.
func (p *sitrepPane) onAmend() {
	if p.shown.ID == "" || !p.shown.IsIssued() {
		return
	}
	r := p.shown
	msg := fmt.Sprintf("%s stays as issued. The amendment is a new report with the next number that names %s and starts from its text; edit it, then issue it.", r.Label(), r.Label())
	confirm(p.s.win, "Amend "+r.Label()+"?", msg, "Draft the amendment", func() {
		var drafted store.Sitrep
		p.s.write("Amending "+r.Label(), func(ctx context.Context) error {
			var err error
			drafted, err = p.s.incidents.AmendSitrep(ctx, r.ID, p.s.now().UTC())
			return err
		}, func() {
			p.want, p.focus = drafted.Number, true
			p.s.reload()
		})
	})
}

// onExport (Alt+X) exports the report shown (a draft is saved first): format, release
// copy, file, as a briefing is exported.
func (p *sitrepPane) onExport() {
	if p.shown.ID == "" || p.s.on.onExport == nil {
		return
	}
	p.onSave()
	p.s.on.onExport(store.Item{ID: p.shown.ID, Title: p.shown.Label() + " — " + p.s.item.Title, Class: p.shown.Class})
}

// onIssue (Alt+I) issues the draft shown, once confirmed: its edits are saved first.
func (p *sitrepPane) onIssue() {
	if p.shown.ID == "" || p.shown.IsIssued() {
		return
	}
	r := p.edited()
	dirty := p.dirty
	msg := fmt.Sprintf("%s will be frozen and its hash recorded. An issued report never changes: a correction is an amendment with a new number.", r.Label())
	confirm(p.s.win, "Issue "+r.Label()+"?", msg, "Issue "+r.Label(), func() {
		p.dirty = false
		p.s.write("Issuing "+r.Label(), func(ctx context.Context) error {
			if dirty {
				if _, err := p.s.incidents.SaveSitrep(ctx, r); err != nil {
					return err
				}
			}
			_, err := p.s.incidents.IssueSitrep(ctx, r.ID, p.s.now().UTC())
			return err
		}, nil)
	})
}
