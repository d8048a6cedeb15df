package policy

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The ministry's recovery key (an X25519 recipient made with age-keygen).
const recoveryKey = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"

// TestBackupSettings: recovery keys, a backup folder and automatic backups are read, with
// backup_keep defaulting to 7 and named in the summary.
func TestBackupSettings(t *testing.T) {
	p, err := Load(write(t, "backup_recipients = [\""+recoveryKey+"\"]\nbackup_folder = \"/srv/backups\"\nbackup_every = \"daily\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	b := p.Backup
	if !slices.Equal(b.Recipients, []string{recoveryKey}) || b.Folder != "/srv/backups" || b.Every != 24*time.Hour || b.Keep != DefaultBackupKeep {
		t.Errorf("backup %+v", b)
	}
	if s := p.Summary(); !strings.Contains(s, "backups also to 1 recovery keys") || !strings.Contains(s, "a backup every 24h0m0s, the last 7 kept") {
		t.Errorf("summary %q", s)
	}
	if p, err := Load(write(t, "backup_recipients = [\""+recoveryKey+"\"]\nbackup_every = \"90m\"\nbackup_keep = 3\n")); err != nil || p.Backup.Every != 90*time.Minute || p.Backup.Keep != 3 {
		t.Errorf("90m, 3: %+v %v", p.Backup, err)
	}
}

// TestBackupSettingsMalformed: each mistake names the file and the line, and says what is
// wrong.
func TestBackupSettingsMalformed(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"not a key", "\nbackup_recipients = [\"age1nope\"]\n", 2, `"age1nope" is not an age recipient`},
		{"not a list", "backup_recipients = \"" + recoveryKey + "\"\n", 1, "must be a list of age recipients"},
		{"relative folder", "backup_folder = \"backups\"\n", 1, "not an absolute path"},
		{"bad duration", "backup_recipients = [\"" + recoveryKey + "\"]\nbackup_every = \"24\"\n", 2, "not a duration"},
		{"too often", "backup_recipients = [\"" + recoveryKey + "\"]\nbackup_every = \"1s\"\n", 2, "a minute or more"},
		{"keep zero", "backup_keep = 0\n", 1, "1 or more"},
		{"keep text", "backup_keep = \"7\"\n", 1, "whole number"},
		{"every without keys", "\n\nbackup_every = \"24h\"\n", 3, "backup_every needs backup_recipients"},
		{"misspelt", "backups_every = \"24h\"\n", 1, "backup_every, backup_keep"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := write(t, tc.text)
			_, err := Load(path)
			if err == nil {
				t.Fatal("loaded")
			}
			prefix := "administrator's policy " + path + ":" + strconv.Itoa(tc.line) + ": "
			if !strings.HasPrefix(err.Error(), prefix) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q; want it to start %q and say %q", err, prefix, tc.want)
			}
		})
	}
}
