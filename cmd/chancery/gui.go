package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"chancery/assets"
	"chancery/search"
	"chancery/store"
	"chancery/store/briefing"
	"chancery/store/importer"
	"chancery/ui"
)

// runGUI opens the knowledge base in dataDir and shows the main window until it is closed
// (or ctx ends).
func runGUI(ctx context.Context, dataDir string) error {
	defer startCPUProfile()() // CHANCERY_CPUPROFILE
	a := app.NewWithID("org.chancery.Chancery")
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	if bareWindow() { // the yardstick of .ci/gui-scale.sh: no knowledge base opened
		ui.NewBareWindow(a).ShowAndRun()
		return nil
	}
	kb, err := openKB(ctx, dataDir)
	if err != nil {
		if handled, restored := restoreOffered(a, dataDir, err); handled { // damaged, and a backup to restore
			if restored {
				return nil
			}
			return err
		}
		ui.ShowStartError(a, err)
		return err
	}
	defer kb.Close()
	defer writeHeapProfile() // CHANCERY_MEMPROFILE: what the window held, before the index and store close
	log := slog.Default()

	// The index catches up with the store by itself, in the background; the window shows
	// its progress, and its failures are logged.
	if kb.ix.Opened != "ok" {
		log.Info("search index "+kb.ix.Opened, "dir", kb.db.Dir())
	}
	go logIndexFailures(kb.ix, log) // ends when the index is closed

	ix := &releasingIndex{Index: kb.ix} // lets go of what searches read, once they pause
	defer ix.stop()
	w := ui.NewMainWindow(a, ui.Deps{
		Items:    kb.db,
		Library:  kb.db,
		Searcher: ix,
		DataDir:  kb.db.Dir(),
		IsEmpty: func(ctx context.Context) (bool, error) {
			// One item, live or in the trash: not Stats, which counts every kind (0.13 s
			// of CPU while the window starts on 234,000 items).
			for _, trash := range []bool{false, true} {
				if its, err := kb.db.List(ctx, store.ListOptions{Trash: trash, Limit: 1}); err != nil || len(its) > 0 {
					return false, err
				}
			}
			return true, nil
		},
		LoadDemo: func(ctx context.Context) (int64, error) {
			if _, err := importer.LoadDemo(ctx, kb.db); err != nil {
				return 0, err
			}
			return kb.db.LastSeq(ctx)
		},
		Import: kb.importForUI,
		Log:    log,
		// What the window remembers is kept in the knowledge base (Library); the
		// policy may ask that nothing of a search be kept.
		ForgetSearches: kb.pol.ForgetSearches,
		ExportBriefing: func(ctx context.Context, id, format, ceiling string, w io.Writer) (ui.ExportInfo, error) {
			return exportBriefing(ctx, kb, id, format, ceiling, w)
		},
		ExportCeiling: kb.pol.ExportCeiling,
		ExportPack:    kb.exportPackForUI,
		ImportPack:    kb.importPackForUI,
		ExportSitrep: func(ctx context.Context, id, format, ceiling string, w io.Writer) (ui.ExportInfo, error) {
			p, err := exportSitrep(ctx, kb, id, format, ceiling, w)
			if err != nil {
				return ui.ExportInfo{}, err
			}
			// Recorded, or refused: the window then removes the file.
			if err := kb.audit(ctx, sitrepExportEvent(store.Sitrep{ID: id}, p, format, "")); err != nil {
				return ui.ExportInfo{}, err
			}
			return ui.ExportInfo{Marking: p.Marking, Withheld: p.Withheld, Notices: p.Notices}, nil
		},
	})
	ui.AddAbout(w, aboutInfo(a, kb))
	ui.AddBackups(w, kb.backupsForUI())
	kb.addTeamSync(ctx, w, log)          // the policy's [sync]: Team menu, status line, rounds (gui_sync.go)
	defer kb.startAutoBackups(w, log)()  // stopped before the store is closed
	ui.ShowStartWarnings(w, kb.warnings) // the policy not as recorded, a seed folder offline

	// Ctrl+C in the terminal closes the window like the window's close button (saving what
	// is being edited).
	closed := make(chan struct{})
	defer close(closed)
	go func() {
		select {
		case <-ctx.Done():
			fyne.Do(func() { ui.RequestClose(w) })
		case <-closed:
		}
	}()
	w.ShowAndRun()
	return nil
}

// exportBriefing composes briefing id as a release copy up to ceiling (the default ceiling
// when empty; never above the policy's) and writes it in format to w.
func exportBriefing(ctx context.Context, kb *knowledgeBase, id, format, ceiling string, w io.Writer) (ui.ExportInfo, error) {
	c, err := kb.exportCeiling(ctx, ceiling)
	if err != nil {
		return ui.ExportInfo{}, err
	}
	p, err := briefing.Export(ctx, kb.db, id, format, briefing.Options{Ceiling: c}, w)
	if err != nil {
		return ui.ExportInfo{}, err
	}
	// Recorded, or refused: the window then removes the file.
	if err := kb.audit(ctx, store.AuditEvent{Action: store.AuditExport, Subject: id, Marking: p.Ceiling, Detail: fmt.Sprintf("briefing %q (%s) as %s from the window, release copy up to %s, %d withheld", p.Title, p.Marking, format, p.Ceiling, len(p.Withheld))}); err != nil {
		return ui.ExportInfo{}, err
	}
	return ui.ExportInfo{Marking: p.Marking, Withheld: p.Withheld, Notices: p.Notices}, nil
}

// aboutInfo is what Help → About shows. The version is the one the build set from
// FyneApp.toml; a binary built without it falls back to Fyne's app metadata (written by
// `fyne package`, or read from FyneApp.toml in development).
func aboutInfo(a fyne.App, kb *knowledgeBase) ui.AboutInfo {
	v := appVersion()
	if version == "" {
		v = a.Metadata().Version + " (devel)"
	}
	return ui.AboutInfo{Name: "Chancery", Version: v, DataDir: kb.db.Dir(), Policy: kb.pol.Summary()}
}

// logIndexFailures logs each failure of the index to catch up with the store, until the
// index is closed.
func logIndexFailures(ix *search.Index, log *slog.Logger) {
	c, cancel := ix.Subscribe()
	defer cancel()
	var last string
	for range c {
		msg := ""
		if err := ix.Status().Err; err != nil {
			msg = err.Error()
		}
		if msg != "" && msg != last {
			log.Error("search index catch-up failed", "err", msg)
		}
		last = msg
	}
}

// importForUI imports paths for the window, then waits until the index (which follows the
// import by itself) has caught up, telling p how it goes.
func (kb *knowledgeBase) importForUI(ctx context.Context, paths []string, class string, p ui.ImportProgress) (store.ImportReport, error) {
	// The index follows the import's commits by itself, so that what a cancelled import
	// kept is indexed too, with little left to wait for at the end.
	rep, err := importer.Import(ctx, kb.db, paths, importer.Options{
		Progress: p.Saved,
		Reading:  p.Reading,
		Read:     p.Read,
		Class:    class})
	kb.auditImport(ctx, paths, class, rep, err)
	// What was committed is indexed even when the import was cancelled: wait for it.
	wctx := context.WithoutCancel(ctx)
	last, serr := kb.db.LastSeq(wctx)
	if serr == nil {
		serr = kb.ix.WaitForProgress(wctx, last, p.Indexing)
	}
	if err == nil {
		err = serr
	}
	return rep, err
}
