package policy

import (
	"context"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"chancery/store"
)

// userHome is the home folder the user database gives this process's user.
func userHome(t *testing.T) string {
	t.Helper()
	u, err := user.LookupId(strconv.Itoa(os.Getuid()))
	if runtime.GOOS == "windows" {
		u, err = user.Current()
	}
	if err != nil {
		t.Skipf("this user is not in the user database: %v", err)
	}
	return u.HomeDir
}

// TestHomeIsFromTheUserDatabase: "~" in data_folder is the home folder the user database
// gives, whatever $HOME (or %USERPROFILE%) says: setting it does not move the knowledge base.
func TestHomeIsFromTheUserDatabase(t *testing.T) {
	home := userHome(t)
	t.Setenv("HOME", t.TempDir())
	t.Setenv("USERPROFILE", t.TempDir())
	p, err := Load(write(t, "data_folder = \"~/kb\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(home, "kb"); p.DataFolder != want {
		t.Errorf("data_folder ~/kb is %s with $HOME set elsewhere; want %s", p.DataFolder, want)
	}
}

// userSymlink makes link → target as a symbolic link an ordinary user owns (when the test
// runs as root it gives the link to nobody).
func userSymlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("no symbolic links here: %v", err)
	}
	if runtime.GOOS != "windows" && os.Getuid() == 0 {
		if err := os.Lchown(link, 65534, 65534); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDataFolderSymlinkRefused: a data folder that is, or passes through, a symbolic link a
// user made is refused, naming the link; the same folder reached without it is accepted.
func TestDataFolderSymlinkRefused(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "real")
	if err := os.MkdirAll(filepath.Join(real, "kb"), 0o700); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(tmp, "link")
	userSymlink(t, real, link)
	kbLink := filepath.Join(real, "kblink")
	userSymlink(t, filepath.Join(real, "kb"), kbLink)
	for _, tc := range []struct{ folder, link string }{
		{filepath.Join(link, "kb"), link},            // passes through one
		{kbLink, kbLink},                             // is one
		{filepath.Join(kbLink, "new", "kb"), kbLink}, // passes through one to a folder not made yet
	} {
		path := write(t, "\ndata_folder = \""+tc.folder+"\"\n")
		_, err := Load(path)
		if err == nil || !strings.HasPrefix(err.Error(), "administrator's policy "+path+":2: ") || !strings.Contains(err.Error(), "symbolic link "+tc.link) {
			t.Errorf("data_folder %s: %v; want it refused naming the link %s", tc.folder, err, tc.link)
		}
	}
	ok := []string{filepath.Join(real, "kb"), filepath.Join(real, "not", "made", "yet")}
	if runtime.GOOS != "windows" && os.Getuid() == 0 {
		// A link root owns is the administrator's (/var on macOS, an automounted /home).
		adminLink := filepath.Join(tmp, "admin")
		if err := os.Symlink(real, adminLink); err != nil {
			t.Fatal(err)
		}
		ok = append(ok, filepath.Join(adminLink, "kb"))
	}
	for _, ok := range ok {
		if p, err := Load(write(t, "data_folder = \""+ok+"\"\n")); err != nil || p.DataFolder != ok {
			t.Errorf("data_folder %s: %+v, %v", ok, p, err)
		}
	}
}

// TestUnreachableSeedFolderIsNoError: a seed folder that cannot be reached (a share offline)
// does not stop the policy from loading: the caller warns and imports it at a later start.
func TestUnreachableSeedFolderIsNoError(t *testing.T) {
	seed := filepath.Join(t.TempDir(), "offline-share")
	p, err := Load(write(t, "seed_folder = \""+seed+"\"\n"))
	if err != nil || p.SeedFolder != seed {
		t.Fatalf("unreachable seed folder: %+v, %v", p, err)
	}
	// A file where the folder should be is a mistake in the policy, not an outage.
	file := write(t, "not a folder")
	path := write(t, "seed_folder = \""+file+"\"\n")
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), path+":1: seed_folder "+file+" is not a folder") {
		t.Errorf("seed folder that is a file: %v", err)
	}
}

func TestPrivateUserNamespace(t *testing.T) {
	for _, tc := range []struct {
		name, uidMap string
		private      bool
	}{
		{"initial", "         0          0 4294967295\n", false},
		{"initial without padding", "0 0 4294967295", false},
		{"unshare -r", "         0       1000          1\n", true},
		{"bubblewrap (flatpak)", "      1000       1000          1\n", true},
		{"rootless container", "0 1000 1\n1 100000 65536\n", true},
		{"initial and more", "0 0 4294967295\n0 0 1\n", true},
		{"not yet mapped", "", true},
		{"garbage", "zero zero all\n", true},
	} {
		if got := privateUserNamespace(tc.uidMap); got != tc.private {
			t.Errorf("%s (%q): private %v, want %v", tc.name, tc.uidMap, got, tc.private)
		}
	}
}

// TestRecordPolicy: the knowledge base remembers the policy it was opened under; opening it
// without that policy, or under another, is reported naming the policy expected.
func TestRecordPolicy(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	none := Policy{}
	if w, err := Record(ctx, db, none); err != nil || w != "" {
		t.Errorf("no policy ever: %q, %v", w, err)
	}
	path := write(t, "max_class = \"RESTRICTED\"\n")
	strict, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(strict.SHA256) != 64 {
		t.Errorf("SHA256 %q", strict.SHA256)
	}
	for i := range 2 {
		if w, err := Record(ctx, db, strict); err != nil || w != "" {
			t.Errorf("opened under the same policy (%d): %q, %v", i, w, err)
		}
	}
	// Without it (hidden by a bind mount in a user namespace, say): reported, every time.
	for i := range 2 {
		w, err := Record(ctx, db, none)
		if err != nil || !strings.Contains(w, path) || !strings.Contains(w, strict.SHA256[:12]) || !strings.Contains(w, "without") {
			t.Errorf("opened without the policy (%d): %q, %v", i, w, err)
		}
	}
	// Under another file at the same place: reported, naming both.
	if err := os.WriteFile(path, []byte("max_class = \"SECRET\"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loose, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	w, err := Record(ctx, db, loose)
	if err != nil || !strings.Contains(w, strict.SHA256[:12]) || !strings.Contains(w, loose.SHA256[:12]) || !strings.Contains(w, path) {
		t.Errorf("opened under a different policy: %q, %v", w, err)
	}
	// Under the original again: reported again (the change is not forgotten).
	if w, err := Record(ctx, db, strict); err != nil || !strings.Contains(w, loose.SHA256[:12]) {
		t.Errorf("back under the first policy: %q, %v", w, err)
	}
}
