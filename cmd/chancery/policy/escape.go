package policy

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"

	"chancery/store"
)

// homeDir is the user's home folder as the user database gives it (by uid on Unix; the
// profile of the process's account on Windows), never $HOME or %USERPROFILE%, which the user
// can set to move a data folder the policy fixes.
func homeDir() (string, error) {
	var u *user.User
	var err error
	if runtime.GOOS == "windows" {
		u, err = user.Current()
	} else {
		u, err = user.LookupId(strconv.Itoa(os.Getuid()))
	}
	if err != nil {
		return "", fmt.Errorf("~: the user database has no home folder for this user (%v)", err)
	}
	if u.HomeDir == "" {
		return "", fmt.Errorf("~: the user database gives %s no home folder", u.Username)
	}
	return u.HomeDir, nil
}

// noSymlink fails, naming the link, when dir is or passes through a symbolic link (or, on
// Windows, a junction) that an ordinary user could have made to point the folder elsewhere.
// Links the administrator owns (root on Unix: /var on macOS, an automounted /home) are
// followed. The part of dir not made yet is not looked at.
func noSymlink(dir string) error {
	vol := filepath.VolumeName(dir)
	rest := strings.TrimPrefix(dir[len(vol):], string(filepath.Separator))
	path := vol + string(filepath.Separator)
	for _, part := range strings.Split(rest, string(filepath.Separator)) {
		if part == "" {
			continue
		}
		path = filepath.Join(path, part)
		fi, err := os.Lstat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if fi.Mode()&(fs.ModeSymlink|fs.ModeIrregular) != 0 && !adminOwned(fi) {
			target, _ := os.Readlink(path)
			how := "passes through"
			if path == dir {
				how = "is"
			}
			return fmt.Errorf("%s the symbolic link %s (to %s), which its owner can point anywhere: give the folder itself", how, path, target)
		}
	}
	return nil
}

// initialUIDMap is /proc/self/uid_map in the initial user namespace: all of the ids, mapped
// to themselves.
const initialUIDMap = "0 0 4294967295"

// privateUserNamespace says whether uidMap (the text of /proc/self/uid_map) is anything but
// the initial user namespace's mapping. In a private namespace (`unshare -rm`) an ordinary
// user can bind-mount a file of their own over the administrator's policy.
func privateUserNamespace(uidMap string) bool {
	lines := strings.Split(strings.TrimSpace(uidMap), "\n")
	return len(lines) != 1 || strings.Join(strings.Fields(lines[0]), " ") != initialUIDMap
}

// UserNamespace reports, on Linux, whether Chancery runs in a private user namespace, with
// its uid_map, for a warning: there the administrator's policy may have been hidden or
// replaced by a bind mount. It reports false elsewhere and when /proc cannot be read.
func UserNamespace() (uidMap string, private bool) {
	if runtime.GOOS != "linux" {
		return "", false
	}
	b, err := os.ReadFile("/proc/self/uid_map")
	if err != nil {
		return "", false
	}
	m := strings.Join(strings.Fields(string(b)), " ")
	return m, privateUserNamespace(string(b))
}

// recordKey is the store setting holding the policy a knowledge base was last opened under:
// "SHA256 PATH".
const recordKey = "policy.opened_under"

// Record compares the policy p with the one the knowledge base in db was last opened under,
// and records p. It returns a warning in words, naming the policy expected, when the
// knowledge base was opened under a policy before and is now opened without one (which is
// not recorded: the warning comes at every such opening), or under a different file or
// content; "" when all is as before or no policy was ever recorded.
func Record(ctx context.Context, db *store.DB, p Policy) (warning string, err error) {
	prev, err := db.Setting(ctx, recordKey)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", fmt.Errorf("policy: read the policy recorded in the knowledge base: %w", err)
	}
	prevSum, prevFile, _ := strings.Cut(prev, " ")
	if prev != "" && p.File == "" {
		return fmt.Sprintf("this knowledge base was opened under the administrator's policy %s (SHA-256 %.12s…) and is now opened without it: that policy's settings do not apply. If you did not expect this, tell your IT unit.", prevFile, prevSum), nil
	}
	if p.File == "" {
		return "", nil
	}
	now := p.SHA256 + " " + p.File
	if prev == now {
		return "", nil
	}
	if err := db.SetSetting(ctx, recordKey, now); err != nil {
		return "", fmt.Errorf("policy: record the policy in the knowledge base: %w", err)
	}
	if prev == "" {
		return "", nil
	}
	return fmt.Sprintf("this knowledge base was last opened under the administrator's policy %s (SHA-256 %.12s…) and is now opened under %s (SHA-256 %.12s…), which differs. If you did not expect this, tell your IT unit.", prevFile, prevSum, p.File, p.SHA256), nil
}
