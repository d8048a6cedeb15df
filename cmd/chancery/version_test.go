package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
)

// TestVersionComesFromFyneAppToml builds the binary the way the Makefile does (with the
// flags `make ldflags` prints and the tags `make tags` prints) and checks that `chancery --version` reports the version
// FyneApp.toml holds, and the build number from the environment.
func TestVersionComesFromFyneAppToml(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	var meta struct{ Details struct{ Version string } }
	if _, err := toml.DecodeFile("../../FyneApp.toml", &meta); err != nil {
		t.Fatal(err)
	}
	if meta.Details.Version == "" {
		t.Fatal("FyneApp.toml has no Details.Version")
	}
	mk := exec.Command("make", "-s", "-C", "../..", "ldflags")
	mk.Env = append(os.Environ(), "BUILD_NUMBER=417")
	flags, err := mk.Output()
	if err != nil {
		t.Fatalf("make ldflags: %v", err)
	}
	tags, err := exec.Command("make", "-s", "-C", "../..", "tags").Output()
	if err != nil {
		t.Fatalf("make tags: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "chancery")
	// `go test` puts its own go first on PATH. The headless driver (-tags ci) needs no C compiler; the version is set the same way.
	build := exec.Command("go", "build", "-tags", strings.Join(append([]string{"ci"}, strings.Fields(string(tags))...), ","), "-ldflags", strings.TrimSpace(string(flags)), "-o", bin, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "--version").CombinedOutput()
	if err != nil {
		t.Fatalf("chancery --version: %v\n%s", err, out)
	}
	want := "chancery version " + meta.Details.Version + " (build 417)\n"
	if string(out) != want {
		t.Errorf("chancery --version says %q; FyneApp.toml and BUILD_NUMBER make %q", out, want)
	}
}
