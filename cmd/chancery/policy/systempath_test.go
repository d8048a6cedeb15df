package policy

import (
	"runtime"
	"testing"
)

// TestSystemPathIgnoresTheEnvironment: the administrator's policy is where the OS says,
// whatever the user's environment says (on Windows %ProgramData%, which any user can set
// for the programs they start).
func TestSystemPathIgnoresTheEnvironment(t *testing.T) {
	want := SystemPath()
	for _, v := range []string{"ProgramData", "PROGRAMDATA", "ALLUSERSPROFILE", "HOME", "XDG_CONFIG_DIRS", "SystemDrive"} {
		t.Setenv(v, t.TempDir())
	}
	if got := SystemPath(); got != want {
		t.Errorf("with the environment changed the policy is looked for in %s, not %s", got, want)
	}
	if runtime.GOOS == "linux" && want != "/etc/chancery/policy.toml" {
		t.Errorf("SystemPath() = %s", want)
	}
}
