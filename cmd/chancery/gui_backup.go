package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"chancery/store"
	"chancery/store/backup"
	"chancery/ui"
)

// backupsForUI is File → Back Up… for the window: a backup to the person's passphrase or
// keys, and always to the policy's recovery keys, in the backup folder.
func (kb *knowledgeBase) backupsForUI() ui.Backups {
	return ui.Backups{
		Folder:       backupFolder(kb.pol, kb.db.Dir()),
		RecoveryKeys: len(kb.pol.Backup.Recipients),
		Make: func(ctx context.Context, req ui.BackupRequest, progress func(step, steps int, what string)) (ui.BackupResult, error) {
			opt := backup.Options{App: "Chancery " + appVersion(), Passphrase: req.Passphrase,
				Recipients: append(req.Recipients, kb.pol.Backup.Recipients...), Progress: progress}
			m, path, err := kb.backup(ctx, "", opt)
			if err != nil {
				return ui.BackupResult{}, err
			}
			res := ui.BackupResult{File: path, Summary: m.Summary()}
			if st, err := os.Stat(path); err == nil {
				res.Bytes = st.Size()
			}
			return res, nil
		},
	}
}

// startAutoBackups makes the policy's automatic backups (backup_every) while the window is
// open: one when the latest in the backup folder is older than backup_every (a minute
// after the start at the earliest), then one every backup_every, each encrypted to the
// recovery keys, keeping the newest backup_keep. Each result shows in the window's status
// line and the log. The returned stop ends it and waits for a backup under way to stop.
func (kb *knowledgeBase) startAutoBackups(w fyne.Window, log *slog.Logger) (stop func()) {
	every := kb.pol.Backup.Every
	if every <= 0 {
		return func() {}
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		kb.autoBackups(ctx, time.Minute, func(text string) { fyne.Do(func() { ui.ShowBackupStatus(w, text) }) }, log)
	}()
	return func() {
		cancel()
		wg.Wait()
	}
}

// autoBackups is startAutoBackups' loop: it waits at least settle before each backup.
func (kb *knowledgeBase) autoBackups(ctx context.Context, settle time.Duration, show func(string), log *slog.Logger) {
	pol := kb.pol.Backup
	folder := backupFolder(kb.pol, kb.db.Dir())
	for {
		wait := settle
		if last, _ := backup.Latest(folder); last != "" {
			if t, ok := backup.Time(last); ok {
				wait = max(wait, time.Until(t.Add(pol.Every)))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		_, path, err := kb.backup(ctx, "", backup.Options{App: "Chancery " + appVersion(), Recipients: pol.Recipients,
			Progress: func(int, int, string) {}})
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Error("automatic backup failed", "err", err)
			show("Automatic backup failed: " + err.Error())
			// Try again after a while, not at once.
			select {
			case <-ctx.Done():
				return
			case <-time.After(min(pol.Every, time.Hour)):
			}
			continue
		}
		removed, err := backup.Prune(folder, pol.Keep)
		if err != nil {
			log.Error("remove old automatic backups", "err", err)
		}
		log.Info("automatic backup written", "file", path, "removed", len(removed))
		show(fmt.Sprintf("Backed up at %s", time.Now().Format("15:04")))
	}
}

// restoreOffered, when err says the knowledge base in dataDir is damaged and the backup
// folder holds a backup, offers in a window to restore the latest one instead of opening
// the damaged store; handled is false when there is nothing to offer, restored says
// whether the person restored it.
func restoreOffered(a fyne.App, dataDir string, err error) (handled, restored bool) {
	var be *backup.Error
	if !errors.Is(err, store.ErrDamaged) || errors.As(err, &be) {
		return false, false
	}
	pol, perr := loadPolicy()
	if perr != nil {
		return false, false
	}
	dir, derr := chooseDataDir(pol, dataDir)
	if derr != nil {
		return false, false
	}
	latest, lerr := backup.Latest(backupFolder(pol, dir))
	if lerr != nil || latest == "" {
		return false, false
	}
	restored = ui.ShowRestoreOffer(a, err, ui.RestoreOffer{Backup: latest,
		Restore: func(ctx context.Context, passphrase, identityFile string, progress func(step, steps int, what string)) (string, error) {
			keys := backup.Keys{Passphrase: passphrase}
			if identityFile != "" {
				b, err := os.ReadFile(identityFile)
				if err != nil {
					return "", fmt.Errorf("read the identity file: %w", err)
				}
				keys.Identities = string(b)
			}
			r, err := backup.Restore(ctx, latest, dir, keys, progress)
			if err != nil {
				return "", err
			}
			// The index is rebuilt when the knowledge base is next opened.
			said := fmt.Sprintf("Restored into %s: %s.", dir, r.Manifest.Summary())
			if r.MovedAside != "" {
				said += " The damaged knowledge base was moved to " + r.MovedAside + "."
			}
			return said, nil
		}})
	return true, restored
}
