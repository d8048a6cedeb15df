package policy

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func write(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "policy.toml")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadValid(t *testing.T) {
	seed := t.TempDir()
	t.Setenv("CHANCERY_TEST_ROOT", "/srv/kb")
	path := write(t, `# a ministry's policy
data_folder = "${CHANCERY_TEST_ROOT}/desk"
classes = ["public", "Internal", "RESTRICTED"]
max_class = "internal"
seed_folder = "`+seed+`"
`)
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.File != path || p.DataFolder != "/srv/kb/desk" || !slices.Equal(p.Classes, []string{"PUBLIC", "INTERNAL", "RESTRICTED"}) ||
		p.MaxClass != "INTERNAL" || p.SeedFolder != seed {
		t.Errorf("policy %+v", p)
	}
	if p.Line("max_class") != 4 || p.Where("seed_folder") != path+":5" {
		t.Errorf("lines: max_class %d, seed_folder %s", p.Line("max_class"), p.Where("seed_folder"))
	}
	if o := p.Options(); o.MaxClass != "INTERNAL" || len(o.Classes) != 3 {
		t.Errorf("options %+v", o)
	}
	if s := p.Summary(); !strings.Contains(s, path) || !strings.Contains(s, "nothing above INTERNAL") {
		t.Errorf("summary %q", s)
	}
	home := userHome(t)
	if p, err := Load(write(t, "data_folder = \"~/kb\"\n")); err != nil || p.DataFolder != filepath.Join(home, "kb") {
		t.Errorf("~: %+v %v", p, err)
	}
	if p, err := Load(""); err != nil || p.File != "" || p.Summary() != "" {
		t.Errorf("no policy: %+v %v", p, err)
	}
	if p, err := Load(write(t, "# nothing set\n")); err != nil || p.Options().MaxClass != "" {
		t.Errorf("empty policy: %+v %v", p, err)
	}
}

// TestLoadMalformed: every mistake names the file and the line, and says what is wrong.
func TestLoadMalformed(t *testing.T) {
	seed := t.TempDir()
	if err := os.WriteFile(filepath.Join(seed, "file.txt"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, text string
		line       int
		want       string
	}{
		{"syntax", "max_class = \"RESTRICTED\"\nclasses = [\"A\", \n\nseed_folder = 3 3\n", 4, ""},
		{"unclosed string", "\n\ndata_folder = \"/srv\n", 3, ""},
		{"unknown key", "max_class = \"SECRET\"\n\nmaxclass = \"SECRET\"\n", 3, `unknown setting "maxclass"`},
		{"table", "max_class = \"SECRET\"\n[data]\nfolder = \"/x\"\n", 2, `unknown setting "data"`},
		{"type", "classes = [\"A\"]\nmax_class = 3\n", 2, "max_class must be a string"},
		{"class not in scheme", "classes = [\"PUBLIC\", \"INTERNAL\"]\n\nmax_class = \"SECRET\"\n", 3, "SECRET is not one of the markings PUBLIC, INTERNAL"},
		{"class not in default scheme", "max_class = \"TOP SECRET\"\n", 1, "UNCLASSIFIED, RESTRICTED"},
		{"duplicate class", "classes = [\"A\", \"a\"]\n", 1, "names A twice"},
		{"empty classes", "\nclasses = []\n", 2, "list of markings"},
		{"relative folder", "data_folder = \"kb\"\n", 1, "not an absolute path"},
		{"unset variable", "data_folder = \"$CHANCERY_NO_SUCH_VAR/kb\"\n", 1, "CHANCERY_NO_SUCH_VAR is not set"},
		{"seed is a file", "seed_folder = \"" + filepath.Join(seed, "file.txt") + "\"\n", 1, "is not a folder"},
		{"empty value", "max_class = \"\"\n", 1, "max_class is empty"},
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
	if _, err := Load(filepath.Join(seed, "absent.toml")); err == nil || !strings.Contains(err.Error(), "absent.toml") {
		t.Errorf("missing file: %v", err)
	}
}

func TestFindPrefersTheSystemFile(t *testing.T) {
	if _, err := os.Stat(SystemPath()); err == nil {
		t.Skip("this machine has a system-wide policy")
	}
	t.Setenv(Env, "/from/env.toml")
	if got := Find("/from/flag.toml"); got != "/from/flag.toml" {
		t.Errorf("flag: %q", got)
	}
	if got := Find(""); got != "/from/env.toml" {
		t.Errorf("env: %q", got)
	}
}

// export_ceiling is the highest marking an export may carry, and its default ceiling.
func TestExportCeiling(t *testing.T) {
	p, err := Load(write(t, "classes = [\"public\", \"internal\", \"secret\"]\nexport_ceiling = \"Internal\"\n"))
	if err != nil || p.ExportCeiling != "INTERNAL" || p.Line("export_ceiling") != 2 {
		t.Fatalf("export_ceiling: %+v %v", p, err)
	}
	if s := p.Summary(); !strings.Contains(s, "exports up to INTERNAL") {
		t.Errorf("summary %q", s)
	}
	for _, c := range []struct{ text, want string }{
		{"export_ceiling = \"TOP SECRET\"\n", "export_ceiling TOP SECRET is not one of the markings UNCLASSIFIED"},
		{"export_ceiling = 2\n", "export_ceiling must be a string"},
	} {
		if _, err := Load(write(t, c.text)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.text, err, c.want)
		}
	}
}
