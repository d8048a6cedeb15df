package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"chancery/cmd/chancery/policy"
	"chancery/store"
	"chancery/store/backup"
)

// backupCmds are backup, verify and restore.
func backupCmds(dataDir *string) []*cobra.Command {
	return []*cobra.Command{backupCmd(dataDir), verifyCmd(), restoreCmd(dataDir)}
}

// secretFlags are where a passphrase or an identity comes from.
type secretFlags struct {
	passphraseFile string
	identityFile   string
}

// passphrase is the passphrase from --passphrase-file, else $CHANCERY_PASSPHRASE; "" when
// neither gives one.
func (s secretFlags) passphrase() (string, error) {
	if s.passphraseFile != "" {
		b, err := os.ReadFile(s.passphraseFile)
		if err != nil {
			return "", fmt.Errorf("read the passphrase: %w", err)
		}
		p := strings.TrimRight(string(b), "\r\n")
		if p == "" {
			return "", fmt.Errorf("the passphrase file %s is empty", s.passphraseFile)
		}
		return p, nil
	}
	return os.Getenv("CHANCERY_PASSPHRASE"), nil
}

// keys are the keys to open a backup with: the passphrase given, the identity file given,
// else a passphrase asked for on the terminal.
func (s secretFlags) keys() (backup.Keys, error) {
	var k backup.Keys
	var err error
	if k.Passphrase, err = s.passphrase(); err != nil {
		return k, err
	}
	if s.identityFile != "" {
		b, err := os.ReadFile(s.identityFile)
		if err != nil {
			return k, fmt.Errorf("read the identity file: %w", err)
		}
		k.Identities = string(b)
	}
	if k.Passphrase == "" && k.Identities == "" {
		p, asked, err := readSecret("Passphrase of the backup (or give --identity for a backup made to an age key): ")
		if err != nil {
			return k, err
		}
		if asked {
			k.Passphrase = p
		}
	}
	return k, nil
}

// backupFolder is where backups go: the policy's backup_folder, else a folder beside the
// data folder, named after it with -backups.
func backupFolder(pol policy.Policy, dataDir string) string {
	if pol.Backup.Folder != "" {
		return pol.Backup.Folder
	}
	return filepath.Clean(dataDir) + "-backups"
}

// partProgress prints each step of a backup or restore on stderr, one line each
// ("backup 2/4: manifest written (0.41 s)"), for people and for the kill tests.
func partProgress(label string) backup.Progress {
	start := time.Now()
	return func(step, steps int, what string) {
		fmt.Fprintf(os.Stderr, "%s %d/%d: %s (%.2f s)\n", label, step, steps, what, time.Since(start).Seconds())
	}
}

func backupCmd(dataDir *string) *cobra.Command {
	var recipients []string
	var s secretFlags
	cmd := &cobra.Command{
		Use:   "backup [FILE]",
		Short: "Write an encrypted backup of the knowledge base (it may stay open meanwhile)",
		Long: `Write a backup of the whole knowledge base: a consistent snapshot of its database (every
item, revision, link, the trash, and the original files), with a manifest, in one file
encrypted with age. The standard age tool opens it (age -d FILE | tar -xz).

The backup is encrypted either to a passphrase (--passphrase-file, CHANCERY_PASSPHRASE, or
asked for on the terminal) or to age keys (--recipient age1..., as age-keygen prints them),
and always also to the recovery keys of the administrator's policy (backup_recipients).
age cannot encrypt one file to both a passphrase and keys.

FILE defaults to a new file in the backup folder (the policy's backup_folder, else the data
folder's name with -backups); a folder puts the new file in it.`,
		Example: "  chancery backup\n  chancery backup /media/usb --recipient age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p\n  CHANCERY_PASSPHRASE=... chancery backup kb.tar.gz.age",
		Args:    cobra.MaximumNArgs(1),
		RunE: withKB(dataDir, func(ctx context.Context, kb *knowledgeBase, args []string) error {
			opt, err := kb.backupOptions(recipients, s)
			if err != nil {
				return err
			}
			path := ""
			if len(args) == 1 {
				path = args[0]
			}
			m, path, err := kb.backup(ctx, path, opt)
			if err != nil {
				return err
			}
			st, _ := os.Stat(path)
			to := "a passphrase"
			if opt.Passphrase == "" {
				to = fmt.Sprintf("%d age keys (%s)", len(opt.Recipients), strings.Join(opt.Recipients, ", "))
			}
			fmt.Printf("backup written: %s (%d bytes), encrypted to %s\nholds: %s\n", path, st.Size(), to, m.Summary())
			return nil
		}),
	}
	cmd.Flags().StringArrayVar(&recipients, "recipient", nil, "an age recipient (age1...) to encrypt to; repeat for more")
	cmd.Flags().StringVar(&s.passphraseFile, "passphrase-file", "", "a file whose first line is the passphrase (or $CHANCERY_PASSPHRASE)")
	return cmd
}

// backupOptions are the options of a backup made on the command line: to the recipients
// asked for and the policy's, or else to a passphrase (given, or asked for on the
// terminal).
func (kb *knowledgeBase) backupOptions(recipients []string, s secretFlags) (backup.Options, error) {
	opt := backup.Options{App: "Chancery " + appVersion(), Recipients: append(recipients, kb.pol.Backup.Recipients...)}
	pass, err := s.passphrase()
	if err != nil {
		return opt, err
	}
	switch {
	case pass != "" && len(kb.pol.Backup.Recipients) > 0:
		return opt, fmt.Errorf("the administrator's policy (%s) encrypts every backup to its recovery keys too, and age cannot encrypt one file to both keys and a passphrase: back up to your own age key with --recipient (age-keygen makes one), or without a passphrase to the recovery keys alone",
			kb.pol.Where("backup_recipients"))
	case pass != "" && len(recipients) > 0:
		return opt, errors.New("give either a passphrase or --recipient keys, not both: age cannot encrypt one file to both")
	case pass != "":
		opt.Passphrase = pass
	case len(opt.Recipients) == 0:
		p, asked, err := readSecret("Passphrase for the backup: ")
		if err != nil {
			return opt, err
		}
		if !asked {
			return opt, errors.New("a backup is encrypted to a passphrase or to age keys: give --passphrase-file F, CHANCERY_PASSPHRASE or --recipient KEY (an age1 key)")
		}
		again, _, err := readSecret("The same passphrase again: ")
		if err != nil {
			return opt, err
		}
		if p == "" || p != again {
			return opt, errors.New("the two passphrases differ (or are empty); nothing was written")
		}
		opt.Passphrase = p
	}
	return opt, nil
}

// backup writes a backup of kb to path (a new file in the backup folder when "", inside
// path when it is a folder) and returns its manifest and where it went. It is the one
// routine that makes a backup: the command, the window and the automatic backups.
func (kb *knowledgeBase) backup(ctx context.Context, path string, opt backup.Options) (backup.Manifest, string, error) {
	name := backup.FileName(time.Now())
	if path == "" {
		path = filepath.Join(backupFolder(kb.pol, kb.db.Dir()), name)
	} else if st, err := os.Stat(path); err == nil && st.IsDir() || strings.HasSuffix(path, string(filepath.Separator)) || strings.HasSuffix(path, "/") {
		path = filepath.Join(path, name)
	}
	if opt.Progress == nil {
		opt.Progress = partProgress("backup")
	}
	m, err := backup.Create(ctx, kb.db, path, opt)
	if err != nil {
		return m, path, err
	}
	recordBackup(ctx, kb, path, m, opt)
	return m, path, nil
}

// recordBackup records a backup made in the audit trail: the file, what it holds (up to
// which change), and whom it is encrypted to. A failure to record is a warning: the
// backup is kept.
func recordBackup(ctx context.Context, kb *knowledgeBase, path string, m backup.Manifest, opt backup.Options) {
	to := "a passphrase"
	if opt.Passphrase == "" {
		to = fmt.Sprintf("%d age keys (%s)", len(opt.Recipients), strings.Join(opt.Recipients, ", "))
	}
	if err := kb.audit(ctx, store.AuditEvent{Action: store.AuditBackup, Subject: path,
		Detail: fmt.Sprintf("%s; encrypted to %s", m.Summary(), to)}); err != nil {
		fmt.Fprintln(os.Stderr, "warning:", err)
	}
}

// recordRestore records a restore in the audit trail of the restored knowledge base (its
// own trail, as the backup holds it, goes on): the file, what it held, and where the
// knowledge base that was there went. Recording also writes the trail's head beside the
// restored database. A failure to record is a warning.
func recordRestore(ctx context.Context, kb *knowledgeBase, path string, r backup.Restored) {
	detail := r.Manifest.Summary()
	if r.MovedAside != "" {
		detail += "; the knowledge base that was there moved to " + r.MovedAside
	}
	if err := kb.audit(ctx, store.AuditEvent{Action: store.AuditRestore, Subject: path, Detail: detail}); err != nil {
		fmt.Fprintln(os.Stderr, "warning:", err)
	}
}

func verifyCmd() *cobra.Command {
	var s secretFlags
	cmd := &cobra.Command{
		Use:   "verify FILE",
		Short: "Check a backup: decrypt it, check its manifest, its database and every original",
		Long: `Check a backup without restoring it: decrypt it, check its manifest and the SHA-256 of every
part, run SQLite's integrity and foreign key checks on its database and check every original
file against its SHA-256. Says in words what is wrong, and exits with status 1 when anything
is. The knowledge base is not opened.`,
		Example: "  chancery verify ~/.local/share/chancery-backups/chancery-20261206-020000Z.tar.gz.age --identity key.txt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			keys, err := s.keys()
			if err != nil {
				return err
			}
			m, problems, err := backup.Verify(cmd.Context(), args[0], keys, partProgress("verify"))
			if err != nil {
				return err
			}
			fmt.Printf("backup %s\nholds: %s\n", args[0], m.Summary())
			for _, p := range problems {
				fmt.Println("problem:", p)
			}
			if len(problems) > 0 {
				return fmt.Errorf("the backup %s is damaged: %d problems found", args[0], len(problems))
			}
			fmt.Printf("sound: the manifest and every part match their SHA-256, the database passes SQLite's integrity check, and all %d original files match their SHA-256\n", len(m.Originals))
			return nil
		},
	}
	cmd.Flags().StringVar(&s.passphraseFile, "passphrase-file", "", "a file whose first line is the passphrase (or $CHANCERY_PASSPHRASE)")
	cmd.Flags().StringVar(&s.identityFile, "identity", "", "an age identity file (AGE-SECRET-KEY-1...), for a backup made to age keys")
	return cmd
}

func restoreCmd(dataDir *string) *cobra.Command {
	var s secretFlags
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup into the data folder (a knowledge base there is moved aside first)",
		Long: `Restore a backup into the data folder (--data). The backup is decrypted and checked whole
first (as verify does); a backup that cannot be opened, or is truncated, altered, damaged or
from a newer Chancery, is refused and nothing changes. A knowledge base already in the folder
is then moved aside, whole, to a folder beside it (named FOLDER.before-restore-TIME, and
said), the backup's database takes its place, and the search index is built from it.`,
		Example: "  chancery restore chancery-20261206-020000Z.tar.gz.age --data ~/kb\n  chancery restore backup.tar.gz.age --identity recovery-key.txt",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			pol, err := loadPolicy()
			if err != nil {
				return err
			}
			dir, err := chooseDataDir(pol, *dataDir)
			if err != nil {
				return err
			}
			keys, err := s.keys()
			if err != nil {
				return err
			}
			r, err := backup.Restore(ctx, args[0], dir, keys, partProgress("restore"))
			if errors.Is(err, store.ErrLocked) {
				return lockedError{dir}
			}
			if err != nil {
				return err
			}
			if r.MovedAside != "" {
				fmt.Printf("the knowledge base that was in %s was moved to %s\n", dir, r.MovedAside)
			}
			kb, err := openKB(ctx, dir)
			if err != nil {
				return err
			}
			defer kb.Close()
			recordRestore(ctx, kb, args[0], r)
			fmt.Printf("restored into %s: %s\n", dir, r.Manifest.Summary())
			return kb.waitIndexed(ctx)
		},
	}
	cmd.Flags().StringVar(&s.passphraseFile, "passphrase-file", "", "a file whose first line is the passphrase (or $CHANCERY_PASSPHRASE)")
	cmd.Flags().StringVar(&s.identityFile, "identity", "", "an age identity file (AGE-SECRET-KEY-1...), for a backup made to age keys")
	return cmd
}

// offerRestore adds to an error saying the knowledge base is damaged how to restore the
// latest backup from the backup folder (or that there is none there); other errors pass
// as they are.
func offerRestore(err error, dataDir string) error {
	var be *backup.Error
	if err == nil || !errors.Is(err, store.ErrDamaged) || errors.As(err, &be) {
		return err
	}
	pol, perr := loadPolicy()
	if perr != nil {
		return err
	}
	dir, derr := chooseDataDir(pol, dataDir)
	if derr != nil {
		return err
	}
	folder := backupFolder(pol, dir)
	latest, lerr := backup.Latest(folder)
	if lerr != nil || latest == "" {
		return fmt.Errorf("%w\nNo backup was found in %s to restore", err, folder)
	}
	return fmt.Errorf("%w\nThe latest backup is %s. To restore it (the damaged folder is moved aside, not deleted):\n  chancery restore %q --data %q", err, latest, latest, dir)
}
