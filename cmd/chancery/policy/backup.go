package policy

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// DefaultBackupKeep is how many automatic backups are kept when backup_every is set
// without backup_keep.
const DefaultBackupKeep = 7

// Backup is what the policy fixes about backups. The zero value fixes nothing.
type Backup struct {
	// Recipients (backup_recipients) are age recipients (age1... keys: the ministry's
	// recovery key) every backup is also encrypted to.
	Recipients []string
	// Folder (backup_folder) is where backups go, expanded and absolute; "" for the
	// default.
	Folder string
	// Every (backup_every) is how often the app makes a backup on its own; 0 for never.
	// It needs Recipients: an automatic backup has no one to ask for a passphrase.
	Every time.Duration
	// Keep (backup_keep) is how many automatic backups are kept in Folder, the newest.
	Keep int
}

// parse reads one backup_ setting.
func (b *Backup) parse(key string, v any) error {
	switch key {
	case "backup_recipients":
		list, ok := v.([]any)
		if !ok || len(list) == 0 {
			return fmt.Errorf(`backup_recipients must be a list of age recipients, such as ["age1..."]`)
		}
		for _, r := range list {
			s, ok := r.(string)
			s = strings.TrimSpace(s)
			if !ok || s == "" {
				return fmt.Errorf("backup_recipients must hold age recipients in quotes, not %v", r)
			}
			if rs, err := age.ParseRecipients(strings.NewReader(s)); err != nil || len(rs) != 1 {
				return fmt.Errorf("backup_recipients: %q is not an age recipient (a public key starting age1..., as age-keygen prints it)", s)
			}
			b.Recipients = append(b.Recipients, s)
		}
	case "backup_folder":
		s, ok := v.(string)
		if !ok || strings.TrimSpace(s) == "" {
			return fmt.Errorf("backup_folder must be a folder in quotes")
		}
		dir, err := expand(s)
		if err != nil {
			return fmt.Errorf("backup_folder: %v", err)
		}
		if !filepath.IsAbs(dir) {
			return fmt.Errorf("backup_folder %q is not an absolute path", s)
		}
		b.Folder = filepath.Clean(dir)
	case "backup_every":
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf(`backup_every must be a duration in quotes, such as "24h", "daily" or "weekly"`)
		}
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "daily":
			b.Every = 24 * time.Hour
		case "weekly":
			b.Every = 7 * 24 * time.Hour
		default:
			d, err := time.ParseDuration(strings.TrimSpace(s))
			if err != nil || d < time.Minute {
				return fmt.Errorf(`backup_every %q is not a duration of a minute or more, such as "24h", "daily" or "weekly"`, s)
			}
			b.Every = d
		}
	case "backup_keep":
		n, ok := v.(int64)
		if !ok || n < 1 || n > 10000 {
			return fmt.Errorf("backup_keep must be a whole number of backups to keep, 1 or more")
		}
		b.Keep = int(n)
	}
	return nil
}

// check checks the backup settings together.
func (b *Backup) check() error {
	if b.Every > 0 && len(b.Recipients) == 0 {
		return fmt.Errorf("backup_every needs backup_recipients: an automatic backup has no one to ask for a passphrase, so it is encrypted to the recipients")
	}
	if b.Every > 0 && b.Keep == 0 {
		b.Keep = DefaultBackupKeep
	}
	return nil
}

func (b Backup) summary() []string {
	var parts []string
	if len(b.Recipients) > 0 {
		parts = append(parts, fmt.Sprintf("backups also to %d recovery keys", len(b.Recipients)))
	}
	if b.Folder != "" {
		parts = append(parts, "backups in "+b.Folder)
	}
	if b.Every > 0 {
		parts = append(parts, fmt.Sprintf("a backup every %s, the last %d kept", b.Every, b.Keep))
	}
	return parts
}
