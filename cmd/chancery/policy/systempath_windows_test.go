package policy

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestSystemPathIsTheKnownFolder: on Windows the policy is in the ProgramData known folder,
// and setting %ProgramData% (as any user can) does not move it.
func TestSystemPathIsTheKnownFolder(t *testing.T) {
	pd, err := windows.KnownFolderPath(windows.FOLDERID_ProgramData, 0)
	if err != nil {
		t.Fatal(err)
	}
	fake := t.TempDir()
	t.Setenv("ProgramData", fake)
	got := SystemPath()
	if want := filepath.Join(pd, "Chancery", "policy.toml"); !strings.EqualFold(got, want) {
		t.Errorf("SystemPath() = %s, want %s", got, want)
	}
	if strings.HasPrefix(strings.ToLower(got), strings.ToLower(fake)) {
		t.Errorf("SystemPath() = %s follows %%ProgramData%%", got)
	}
}
