package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/spf13/cobra"

	"chancery/cmd/chancery/policy"
	"chancery/store/teamsync"
)

// syncCmd is `chancery sync [--once]`, `chancery sync status` and `chancery sync key`.
func syncCmd(dataDir *string) *cobra.Command {
	var once bool
	var every time.Duration
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Share the knowledge base with the team through the remote the administrator's policy names",
		Long: `Sync pushes this desk's changes to the team's remote (S3, WebDAV or a shared folder, from
the [sync] section of the administrator's policy) and applies the other desks' changes, as
encrypted, signed bundles. Nothing marked above the remote's ceiling is sent. A bundle that
is missing, altered, or signed by a desk outside the team is reported and never applied.

With --once it runs one round; without, it syncs every few minutes (the policy's
sync.every) until interrupted.`,
		Example: "  chancery sync --once\n  chancery sync status\n  chancery sync key",
		Args:    cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			s, err := kb.syncer(ctx)
			if err != nil {
				return err
			}
			if every == 0 {
				every = kb.pol.Sync.Every
			}
			for {
				rep, err := s.Sync(ctx)
				printSyncReport(os.Stdout, rep)
				if err == nil {
					err = kb.waitIndexed(ctx)
				}
				if once {
					if err != nil {
						return err
					}
					if len(rep.Problems) > 0 {
						return fmt.Errorf("%d problem(s) with other desks' bundles; nothing of those was applied", len(rep.Problems))
					}
					return nil
				}
				if err != nil {
					if ctx.Err() != nil {
						return nil
					}
					slog.Error("sync", "err", err)
					fmt.Fprintln(os.Stderr, "sync failed:", err)
				}
				select {
				case <-ctx.Done():
					return nil
				case <-time.After(every):
				}
			}
		}),
	}
	cmd.Flags().BoolVar(&once, "once", false, "run one round and stop")
	cmd.Flags().DurationVar(&every, "every", 0, "time between rounds (default: the policy's sync.every, or 5m)")
	cmd.AddCommand(syncStatusCmd(dataDir), syncKeyCmd(dataDir))
	return cmd
}

func syncStatusCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "status",
		Short: "Show the last sync, the changes waiting, open conflicts and problems with other desks",
		Args:  cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			s, err := kb.syncer(ctx)
			if err != nil {
				return err
			}
			st, err := s.Status(ctx)
			if err != nil {
				return err
			}
			printSyncStatus(os.Stdout, st)
			return nil
		}),
	}
}

func syncKeyCmd(dataDir *string) *cobra.Command {
	return &cobra.Command{
		Use:   "key",
		Short: "Print this desk's public keys, for the administrator to put in the policy's sync.team and sync.recipients",
		Args:  cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			host, _ := os.Hostname()
			id, err := teamsync.LoadIdentity(kb.db.Dir(), host)
			if err != nil {
				return err
			}
			fmt.Println(id.Member().String())
			return nil
		}),
	}
}

// syncer builds the team sync from the administrator's policy.
func (kb *knowledgeBase) syncer(ctx context.Context) (*teamsync.Syncer, error) {
	sp := kb.pol.Sync
	if !sp.Enabled() {
		where := "no administrator's policy is in force"
		if kb.pol.File != "" {
			where = "the administrator's policy " + kb.pol.File + " has no [sync] section"
		}
		return nil, fmt.Errorf("team sync is not set up: %s (see docs/team-sync.md)", where)
	}
	remote, err := openRemote(ctx, sp)
	if err != nil {
		return nil, err
	}
	var recipients []age.Recipient
	for _, r := range append(append([]string(nil), sp.Recipients...), sp.Recovery...) {
		rc, err := age.ParseX25519Recipient(r)
		if err != nil {
			return nil, fmt.Errorf("administrator's policy %s: sync: %q is not an age recipient", kb.pol.Where("sync"), r)
		}
		recipients = append(recipients, rc)
	}
	var team []teamsync.TeamMember
	for _, line := range sp.Team {
		m, err := teamsync.ParseTeamMember(line)
		if err != nil {
			return nil, fmt.Errorf("administrator's policy %s: %w", kb.pol.Where("sync"), err)
		}
		team = append(team, m)
	}
	host, _ := os.Hostname()
	return teamsync.New(kb.db, teamsync.Config{Remote: remote, Ceiling: sp.Ceiling, Recipients: recipients, Team: team, Name: host})
}

// openRemote makes the remote the policy names.
func openRemote(ctx context.Context, sp policy.Sync) (teamsync.Remote, error) {
	switch sp.Remote {
	case "dir":
		return teamsync.NewDirRemote(sp.Path)
	case "s3", "webdav":
		creds, err := sp.ReadCredentials()
		if err != nil {
			return nil, err
		}
		return openNetRemote(ctx, sp, creds)
	}
	return nil, fmt.Errorf("team sync: unknown remote kind %q", sp.Remote)
}

var errNoNetRemote = errors.New("this Chancery was built without that kind of remote")

func printSyncReport(w io.Writer, r teamsync.Report) {
	fmt.Fprintf(w, "sync with %s (desk %s): %s\n", r.Remote, r.Desk, r.Summary())
	lines := func(label string, l []string) {
		for _, x := range l {
			fmt.Fprintf(w, "  %s: %s\n", label, x)
		}
	}
	lines("added", r.Added)
	lines("updated", r.Updated)
	lines("merged", r.Merged)
	lines("conflict", r.Conflicts)
	lines("moved to the trash (deleted on another desk)", r.Trashed)
	lines("restored from the trash (on another desk)", r.Restored)
	lines("withdrawn (raised above the remote's ceiling), hidden in the trash", r.Withdrawn)
	lines("refused (above this machine's ceiling)", r.Refused)
	lines("problem", r.Problems)
}

func printSyncStatus(w io.Writer, st teamsync.Status) {
	fmt.Fprintf(w, "remote: %s (ceiling %s)\n", st.Remote, st.Ceiling)
	fmt.Fprintf(w, "this desk: %s, %d bundle(s) sent\n", st.Desk, st.Number)
	last := "never"
	if !st.LastSync.IsZero() {
		last = st.LastSync.Local().Format("2006-01-02 15:04:05 MST")
	}
	fmt.Fprintf(w, "last sync: %s\n", last)
	fmt.Fprintf(w, "waiting changes: %d\n", st.Waiting)
	fmt.Fprintf(w, "open conflicts: %d\n", st.Conflicts)
	if st.LastError != "" {
		fmt.Fprintf(w, "last error: %s\n", st.LastError)
	}
	for _, d := range st.Desks {
		name := d.Desk
		if d.Name != "" {
			name += " (" + d.Name + ")"
		}
		line := fmt.Sprintf("desk %s: applied up to bundle %d", name, d.Applied)
		if d.Problem != "" {
			line += "; problem: " + strings.TrimPrefix(d.Problem, "desk "+d.Desk+": ")
		}
		fmt.Fprintln(w, line)
	}
}

// conflictsCmd is `chancery conflicts [--all]` and `chancery conflicts resolve ID --keep current|other`.
func conflictsCmd(dataDir *string) *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "conflicts",
		Short: "List the items two desks changed at once (both versions kept), and resolve them",
		Long: `When two desks change the same item before they sync, every desk keeps the same version
current (chosen by a rule that does not depend on clocks) and keeps the other as a revision;
the pair is listed here until someone chooses. Resolving sends the choice to the team.`,
		Example: "  chancery conflicts\n  chancery conflicts resolve 3 --keep other",
		Args:    cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			cs, err := kb.db.Conflicts(ctx, !all)
			if err != nil {
				return err
			}
			for _, c := range cs {
				state := "open"
				if !c.Resolved.IsZero() {
					state = "resolved " + c.Resolved.Local().Format("2006-01-02 15:04")
				}
				from := "this desk"
				if c.OtherDesk != "" {
					from = "desk " + c.OtherDesk
				}
				fmt.Printf("%d\t%s\t%s\t%s\t%q\tfound %s\tthe other version from %s\tdiffers in: %s\n", c.ID, state, c.ItemID, c.Class, c.Title,
					c.Found.Local().Format("2006-01-02 15:04"), from, strings.Join(c.Fields, ", "))
			}
			fmt.Printf("%d conflict(s)\n", len(cs))
			return nil
		}),
	}
	cmd.Flags().BoolVar(&all, "all", false, "list resolved conflicts too")
	cmd.AddCommand(conflictsResolveCmd(dataDir))
	return cmd
}

func conflictsResolveCmd(dataDir *string) *cobra.Command {
	var keep string
	cmd := &cobra.Command{
		Use:   "resolve ID",
		Short: "Resolve a conflict, keeping the current version or the other one",
		Args:  cobra.ExactArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			var id int64
			if _, err := fmt.Sscan(args[0], &id); err != nil {
				return fmt.Errorf("%q is not a conflict number (chancery conflicts lists them)", args[0])
			}
			cs, err := kb.db.Conflicts(ctx, false)
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.ID != id {
					continue
				}
				var it = c.Current
				switch keep {
				case "current":
				case "other":
					it = c.Other
				default:
					return fmt.Errorf("--keep must be current or other, not %q", keep)
				}
				saved, err := kb.db.ResolveConflict(ctx, id, it)
				if err != nil {
					return err
				}
				fmt.Printf("conflict %d of %s %q resolved: the %s version kept (revision %d); it goes to the team at the next sync\n", id, saved.ID, saved.Title, keep, saved.Rev)
				return kb.waitIndexed(ctx)
			}
			return fmt.Errorf("no conflict %d (chancery conflicts --all lists them)", id)
		}),
	}
	cmd.Flags().StringVar(&keep, "keep", "", "current or other")
	return cmd
}
