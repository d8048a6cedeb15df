package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSyncSection(t *testing.T) {
	const key = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"
	const desk = "chancery-desk alice ed25519:GMM6yZna87FNAjCX8WpTWLRCHjhfDYa7PpW/4J/mGuo= " + key
	good := "[sync]\nremote = \"s3\"\nendpoint = \"http://127.0.0.1:9000\"\nbucket = \"team\"\nceiling = \"restricted\"\n" +
		"recipients = [\"" + key + "\"]\nrecovery = [\"" + key + "\"]\nteam = [\"" + desk + "\"]\nevery = \"1m\"\n"
	p, err := parse("p.toml", good)
	if err != nil {
		t.Fatal(err)
	}
	s := p.Sync
	if !s.Enabled() || s.Remote != "s3" || s.Ceiling != "RESTRICTED" || s.Every != time.Minute || len(s.Team) != 1 || len(s.Recovery) != 1 {
		t.Fatalf("parsed %+v", s)
	}
	if !strings.Contains(p.Summary(), "team sync with s3") {
		t.Fatalf("summary: %s", p.Summary())
	}
	for _, bad := range []struct{ text, want string }{
		{"[sync]\nremote = \"ftp\"\nceiling = \"RESTRICTED\"\n", "not one of s3, webdav, dir"},
		{"[sync]\nremote = \"dir\"\npath = \"/x\"\n", "sync.ceiling is missing"},
		{"[sync]\nremote = \"dir\"\npath = \"/x\"\nceiling = \"TOP\"\n", "not one of the markings"},
		{"[sync]\nremote = \"s3\"\nceiling = \"RESTRICTED\"\n", "needs sync.endpoint and sync.bucket"},
		{"[sync]\nremote = \"dir\"\npath = \"/x\"\nceiling = \"RESTRICTED\"\nteam = [\"ed25519:abc\"]\n", "not a desk's key"},
		{"[sync]\nremote = \"dir\"\npath = \"/x\"\nceiling = \"RESTRICTED\"\nrecipients = [\"age1no\"]\n", "not an age recipient"},
		{"[sync]\nremote = \"dir\"\npath = \"/x\"\nceiling = \"RESTRICTED\"\npassword = \"hunter2\"\n", "unknown setting sync.password"},
	} {
		_, err := parse("p.toml", bad.text)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.Contains(err.Error(), "p.toml:1") {
			t.Errorf("%q: want %q, got %v", bad.text, bad.want, err)
		}
	}
}

func TestSyncCredentials(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "creds")
	os.WriteFile(f, []byte("# team bucket\nCHANCERY_SYNC_ACCESS_KEY = AK\nCHANCERY_SYNC_SECRET_KEY=SK\n"), 0o600)
	s := Sync{Credentials: f}
	t.Setenv("CHANCERY_SYNC_ACCESS_KEY", "")
	t.Setenv("CHANCERY_SYNC_SECRET_KEY", "from-env")
	c, err := s.ReadCredentials()
	if err != nil || c.AccessKey != "AK" || c.SecretKey != "from-env" {
		t.Fatalf("%+v %v", c, err)
	}
	os.Chmod(f, 0o644)
	if _, err := s.ReadCredentials(); err == nil || !strings.Contains(err.Error(), "0600") {
		t.Fatalf("a credentials file readable by others was accepted: %v", err)
	}
}
