package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"chancery/cmd/chancery/policy"
	"chancery/store"
)

func auditCmd(dataDir *string) *cobra.Command {
	var verify bool
	var action string
	var after int64
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "List the audit trail (exports, imports, purges, policy changes...), or prove it unbroken",
		Long: `List the knowledge base's audit trail, oldest first: what matters to a security officer.
Chancery records exports (briefings, contacts), imports, the trash emptied, backups and
restores, knowledge packs, a changed administrator's policy or ceiling, and every marking
lowered, with the time (UTC), the OS user and the marking concerned.

The trail is append-only and hash-chained: each row's hash covers its content and the
previous row's hash, and the last row is also recorded beside the database (` + store.AuditHeadName + `).
--verify walks the chain: it says the trail is unbroken, or names each row changed,
deleted or inserted outside Chancery (with a SQLite tool), and exits with status 1.`,
		Example: "  chancery audit\n  chancery audit --action export\n  chancery audit --verify",
		Args:    cobra.NoArgs,
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, _ []string) error {
			if verify {
				r, err := kb.db.VerifyAudit(ctx)
				if err != nil {
					return err
				}
				for _, p := range r.Problems {
					fmt.Println("audit trail:", p)
				}
				if !r.OK() {
					return fmt.Errorf("the audit trail is broken: %d %s found (%d rows)", len(r.Problems), plural(len(r.Problems), "problem"), r.Rows)
				}
				if r.Rows == 0 {
					fmt.Println("audit trail: ok (empty)")
					return nil
				}
				fmt.Printf("audit trail: ok (%d %s, the chain unbroken up to row %d, hash %.16s…)\n", r.Rows, plural(r.Rows, "row"), r.Head, r.HeadHash)
				return nil
			}
			rows, err := kb.db.AuditLog(ctx, store.AuditFilter{After: after, Action: action})
			if err != nil {
				return err
			}
			for _, e := range rows {
				marking := e.Marking
				if marking == "" {
					marking = "-"
				}
				subject := e.Subject
				if subject == "" {
					subject = "-"
				}
				fmt.Printf("%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.Time.Format("2006-01-02 15:04:05"), e.Actor, e.Action, subject, marking, e.Detail)
			}
			fmt.Printf("%d audit %s\n", len(rows), plural(len(rows), "row"))
			return nil
		}),
	}
	cmd.Flags().BoolVar(&verify, "verify", false, "prove the chain unbroken, or name the rows changed, deleted or inserted; exit 1 when broken")
	cmd.Flags().StringVar(&action, "action", "", "only rows of this action (export, import, purge, policy, ceiling, marking-lowered, backup, restore...)")
	cmd.Flags().Int64Var(&after, "after", 0, "only rows after this sequence number")
	return cmd
}

// audit records an event in the knowledge base's audit trail.
func (kb *knowledgeBase) audit(ctx context.Context, ev store.AuditEvent) error {
	return kb.db.Audit(context.WithoutCancel(ctx), ev)
}

// auditExport records a file export in the audit trail; when it cannot, the file is
// removed (nothing leaves unrecorded) and the error says so.
func (kb *knowledgeBase) auditExport(ctx context.Context, path string, ev store.AuditEvent) error {
	if ev.Action == "" {
		ev.Action = store.AuditExport
	}
	if err := kb.audit(ctx, ev); err != nil {
		rmErr := os.Remove(path)
		if rmErr != nil && !errors.Is(rmErr, os.ErrNotExist) {
			return fmt.Errorf("%w; and %s could not be removed: %v", err, path, rmErr)
		}
		return fmt.Errorf("%w; %s was removed: an export is only kept when it is recorded", err, path)
	}
	return nil
}

// auditImport records an import in the audit trail (also one interrupted or failed, with
// what it kept). A failure to record is printed, not returned: what was imported is kept.
func (kb *knowledgeBase) auditImport(ctx context.Context, paths []string, class string, rep store.ImportReport, importErr error) {
	detail := fmt.Sprintf("%d items saved, %d files failed", rep.Saved, len(rep.Failed))
	if importErr != nil {
		detail += "; stopped: " + importErr.Error()
	}
	if err := auditImport(ctx, kb.db, paths, class, detail); err != nil {
		fmt.Fprintln(os.Stderr, "warning:", err)
	}
}

// auditImport records an import of paths in db's audit trail.
func auditImport(ctx context.Context, db *store.DB, paths []string, class, detail string) error {
	return db.Audit(context.WithoutCancel(ctx), store.AuditEvent{Action: store.AuditImport,
		Subject: strings.Join(paths, ", "), Marking: class, Detail: detail})
}

// auditPolicy records the administrator's policy in force when it differs from the one
// recorded last (a policy added, changed or removed): its file, SHA-256 and what it fixes.
func auditPolicy(ctx context.Context, db *store.DB, pol policy.Policy) error {
	state := "no administrator's policy"
	if pol.File != "" {
		state = fmt.Sprintf("%s (SHA-256 %s)", pol.Summary(), pol.SHA256)
	}
	_, err := db.AuditState(ctx, store.AuditPolicy, "administrator's policy", state)
	return err
}

// packExportEvent is a knowledge pack's export, for the audit trail.
func packExportEvent(file, selection, ceiling string, recipients int, passphrase bool, items, revisions, originals, withheld int) store.AuditEvent {
	to := fmt.Sprintf("%d %s", recipients, plural(recipients, "recipient"))
	if passphrase {
		to = "a passphrase"
	}
	return store.AuditEvent{Action: store.AuditPackExport, Subject: file, Marking: ceiling,
		Detail: fmt.Sprintf("pack of %s to %s: %d items, %d revisions, %d originals up to %s, %d withheld; encrypted to %s",
			selection, file, items, revisions, originals, ceiling, withheld, to)}
}
