package main

import (
	"context"
	"log/slog"
	"os"
	"slices"
	"time"

	"fyne.io/fyne/v2"

	"chancery/store/teamsync"
	"chancery/ui"
)

// addTeamSync adds team sync to the window when the administrator's policy sets it up
// (its [sync] section): the Team menu, the status line, the rounds in the background
// (ui.AddTeamSync). A sync that cannot be set up (a remote that cannot be opened) still
// gets its status line, which says why on every round.
func (kb *knowledgeBase) addTeamSync(ctx context.Context, w fyne.Window, log *slog.Logger) {
	if !kb.pol.Sync.Enabled() {
		return
	}
	ui.AddTeamSync(w, kb.teamSyncForUI(ctx, log))
}

// teamSyncForUI is the window's team sync over the Syncer the policy describes (sync.go).
func (kb *knowledgeBase) teamSyncForUI(ctx context.Context, log *slog.Logger) ui.TeamSync {
	s, serr := kb.syncer(ctx)
	if serr != nil {
		log.Error("team sync cannot be set up", "err", serr)
	}
	names := map[string]string{}
	for _, line := range kb.pol.Sync.Team {
		if m, err := teamsync.ParseTeamMember(line); err == nil {
			names[m.Desk()] = m.Name
		}
	}
	every := kb.pol.Sync.Every
	if d, err := time.ParseDuration(os.Getenv("CHANCERY_SYNC_EVERY")); err == nil && d > 0 {
		every = d // for demonstrations and tests: the policy's floor is 10s
	}
	return ui.TeamSync{
		Remote: kb.pol.Sync.Remote,
		Every:  every,
		Round: func(ctx context.Context) (ui.SyncRound, error) {
			if s == nil {
				return ui.SyncRound{}, serr
			}
			rep, err := s.Sync(ctx)
			return ui.SyncRound{Summary: rep.Summary(), Pushed: rep.Pushed, Received: slices.Concat(rep.Added, rep.Updated, rep.Merged, rep.Restored),
				Conflicts: rep.Conflicts, Trashed: rep.Trashed, Withdrawn: rep.Withdrawn, Problems: rep.Problems}, err
		},
		State: func(ctx context.Context) (ui.SyncState, error) {
			n, err := kb.db.OpenConflicts(ctx)
			if err != nil {
				return ui.SyncState{}, err
			}
			if s == nil {
				return ui.SyncState{Conflicts: n, LastError: serr.Error()}, nil
			}
			st, err := s.Status(ctx)
			if err != nil {
				return ui.SyncState{}, err
			}
			return ui.SyncState{LastSync: st.LastSync, Waiting: st.Waiting, Conflicts: n, LastError: st.LastError}, nil
		},
		Conflicts: kb.db,
		DeskName:  func(desk string) string { return names[desk] },
	}
}
