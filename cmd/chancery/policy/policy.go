package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"chancery/store"
)

// Env names the environment variable that points to a policy file for testing.
const Env = "CHANCERY_POLICY"

// SystemPath is where the administrator's policy lives on this OS. It reads nothing a user
// can set: on Windows the ProgramData known folder, not %ProgramData%.
func SystemPath() string {
	switch runtime.GOOS {
	case "windows":
		return filepath.Join(programData(), "Chancery", "policy.toml") // never %ProgramData%
	case "darwin":
		return "/Library/Application Support/Chancery/policy.toml"
	default:
		return "/etc/chancery/policy.toml"
	}
}

// Find says which policy file applies: the system-wide one when it exists; else override
// (a --policy flag), else $CHANCERY_POLICY. It returns "" when there is no policy.
func Find(override string) string {
	sys := SystemPath()
	if _, err := os.Stat(sys); err == nil || !errors.Is(err, os.ErrNotExist) {
		return sys // a file there that cannot be read is an error for Load to report
	}
	if override != "" {
		return override
	}
	return os.Getenv(Env)
}

// Policy is what the administrator fixed. The zero value fixes nothing.
type Policy struct {
	File       string   // where it was read from; "" when there is no policy
	DataFolder string   // the knowledge base's folder, expanded and absolute; "" to leave it
	Classes    []string // the classification scheme, lowest first, upper case; nil to leave it
	MaxClass   string   // the highest marking allowed, upper case; "" for any
	SeedFolder string   // a folder imported once into a new knowledge base; "" for none
	// ForgetSearches is remember_searches = false: nothing of a search (its text, the
	// item opened from it) is kept between runs.
	ForgetSearches bool
	// ExportCeiling is the highest marking a file export (contacts, briefing packs) may
	// carry, upper case, and the ceiling an export takes when none is given; "" for any
	// (an export then defaults to the lowest marking).
	ExportCeiling string
	SHA256        string // of the file's content, in hex: what a knowledge base records (Record)

	// DefaultClass (default_marking) is the marking of items saved or imported without
	// one, upper case; "" for the lowest.
	DefaultClass string

	// Backups: recovery keys every backup also goes to, where backups go, and automatic
	// backups (backup.go).
	Backup Backup

	// Sync is the [sync] section: the team's remote and its ceiling (sync.go).
	Sync Sync

	lines map[string]int
}

// Line is the line of the file that sets key (0 when none does), for messages.
func (p Policy) Line(key string) int { return p.lines[key] }

// Where is "FILE:LINE" for key, or the file alone.
func (p Policy) Where(key string) string {
	if l := p.lines[key]; l > 0 {
		return fmt.Sprintf("%s:%d", p.File, l)
	}
	return p.File
}

// Options are the store's options this policy asks for.
func (p Policy) Options() store.Options {
	return store.Options{Classes: p.Classes, MaxClass: p.MaxClass, DefaultClass: p.DefaultClass}
}

// Summary says in words what the policy fixes, for the About box and `chancery check`;
// "" when there is no policy.
func (p Policy) Summary() string {
	if p.File == "" {
		return ""
	}
	var parts []string
	if p.DataFolder != "" {
		parts = append(parts, "data folder "+p.DataFolder)
	}
	if p.Classes != nil {
		parts = append(parts, "markings "+strings.Join(p.Classes, " < "))
	}
	if p.MaxClass != "" {
		parts = append(parts, "nothing above "+p.MaxClass)
	}
	if p.DefaultClass != "" {
		parts = append(parts, "new items "+p.DefaultClass)
	}
	if p.SeedFolder != "" {
		parts = append(parts, "seed "+p.SeedFolder)
	}
	if p.ForgetSearches {
		parts = append(parts, "searches not remembered")
	}
	if p.ExportCeiling != "" {
		parts = append(parts, "exports up to "+p.ExportCeiling)
	}
	parts = append(parts, p.Backup.summary()...)
	parts = append(parts, p.Sync.summary()...)
	if len(parts) == 0 {
		parts = append(parts, "nothing")
	}
	return "Administrator's policy " + p.File + ": " + strings.Join(parts, "; ") + "."
}

// ExportCeilingFor is the ceiling a file export takes on a knowledge base with the scheme
// classes (lowest first): the one asked for, else the policy's export_ceiling, else the
// scheme's lowest marking. A ceiling above the policy's is refused, naming the policy.
func (p Policy) ExportCeilingFor(classes []string, asked string) (string, error) {
	if len(classes) == 0 {
		return "", fmt.Errorf("the knowledge base has no classification scheme")
	}
	c := strings.ToUpper(strings.TrimSpace(asked))
	limit := p.ExportCeiling
	switch {
	case c == "" && limit != "":
		c = limit
	case c == "":
		c = classes[0]
	}
	i := slices.Index(classes, c)
	if i < 0 {
		return "", fmt.Errorf("the release ceiling %q is not a marking of the classification scheme (%s)", asked, strings.Join(classes, ", "))
	}
	if limit != "" && i > slices.Index(classes, limit) {
		return "", fmt.Errorf("the administrator's policy (%s, export_ceiling) allows exports up to %s; %s is above it", p.Where("export_ceiling"), limit, c)
	}
	return c, nil
}

// defaultScheme is the store's scheme, for checking max_class when classes is not set.
var defaultScheme = []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET"}

// Load reads and checks the policy in path; path "" is no policy. Every error names the
// file, and the line when one is to blame.
func Load(path string) (Policy, error) {
	if path == "" {
		return Policy{}, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return Policy{}, fmt.Errorf("administrator's policy: %w", err)
	}
	p, err := parse(path, string(data))
	if err != nil {
		return Policy{}, err
	}
	sum := sha256.Sum256(data)
	p.SHA256 = hex.EncodeToString(sum[:])
	return p, nil
}

func parse(path, text string) (Policy, error) {
	p := Policy{File: path, lines: map[string]int{}}
	fail := func(line int, format string, a ...any) error {
		where := path
		if line > 0 {
			where = fmt.Sprintf("%s:%d", path, line)
		}
		return fmt.Errorf("administrator's policy %s: %s", where, fmt.Sprintf(format, a...))
	}
	var raw map[string]any
	if _, err := toml.Decode(text, &raw); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return Policy{}, fail(pe.Position.Line, "%s", pe.Message)
		}
		return Policy{}, fail(0, "%v", err)
	}
	keys := make([]string, 0, len(raw))
	for k := range raw {
		keys = append(keys, k)
		p.lines[k] = keyLine(text, k)
	}
	slices.Sort(keys)
	str := func(k string) (string, error) {
		s, ok := raw[k].(string)
		if !ok {
			return "", fail(p.lines[k], "%s must be a string in quotes", k)
		}
		if strings.TrimSpace(s) == "" {
			return "", fail(p.lines[k], "%s is empty", k)
		}
		return s, nil
	}
	for _, k := range keys {
		line := p.lines[k]
		switch k {
		case "data_folder", "seed_folder":
			s, err := str(k)
			if err != nil {
				return Policy{}, err
			}
			dir, err := expand(s)
			if err != nil {
				return Policy{}, fail(line, "%s: %v", k, err)
			}
			if !filepath.IsAbs(dir) {
				return Policy{}, fail(line, "%s %q is not an absolute path", k, s)
			}
			dir = filepath.Clean(dir)
			if k == "data_folder" {
				if err := noSymlink(dir); err != nil {
					return Policy{}, fail(line, "data_folder %s %v", dir, err)
				}
				p.DataFolder = dir
				break
			}
			// A seed folder that cannot be reached now (a share offline) is the caller's
			// warning, not a mistake in the policy.
			if st, err := os.Stat(dir); err == nil && !st.IsDir() {
				return Policy{}, fail(line, "seed_folder %s is not a folder", dir)
			}
			p.SeedFolder = dir
		case "classes":
			list, ok := raw[k].([]any)
			if !ok || len(list) == 0 {
				return Policy{}, fail(line, `classes must be a list of markings, lowest first, such as ["UNCLASSIFIED", "RESTRICTED"]`)
			}
			for _, v := range list {
				s, ok := v.(string)
				s = strings.ToUpper(strings.TrimSpace(s))
				if !ok || s == "" {
					return Policy{}, fail(line, "classes must hold markings in quotes, not %v", v)
				}
				if slices.Contains(p.Classes, s) {
					return Policy{}, fail(line, "classes names %s twice", s)
				}
				p.Classes = append(p.Classes, s)
			}
		case "remember_searches":
			b, ok := raw[k].(bool)
			if !ok {
				return Policy{}, fail(line, "remember_searches must be true or false")
			}
			p.ForgetSearches = !b
		case "max_class":
			s, err := str(k)
			if err != nil {
				return Policy{}, err
			}
			p.MaxClass = strings.ToUpper(strings.TrimSpace(s))
		case "export_ceiling":
			s, err := str(k)
			if err != nil {
				return Policy{}, err
			}
			p.ExportCeiling = strings.ToUpper(strings.TrimSpace(s))
		case "default_marking":
			s, err := str(k)
			if err != nil {
				return Policy{}, err
			}
			p.DefaultClass = strings.ToUpper(strings.TrimSpace(s))
		case "backup_recipients", "backup_folder", "backup_every", "backup_keep":
			if err := p.Backup.parse(k, raw[k]); err != nil {
				return Policy{}, fail(line, "%v", err)
			}
		case "sync":
			if err := p.Sync.parse(raw[k], p.scheme()); err != nil {
				return Policy{}, fail(line, "%v", err)
			}
		default:
			return Policy{}, fail(line, "unknown setting %q (known: data_folder, classes, max_class, default_marking, seed_folder, remember_searches, export_ceiling, backup_recipients, backup_folder, backup_every, backup_keep, [sync])", k)
		}
	}
	for _, m := range []struct{ key, value string }{
		{"max_class", p.MaxClass},
		{"export_ceiling", p.ExportCeiling},
		{"default_marking", p.DefaultClass},
	} {
		if m.value != "" && !slices.Contains(p.scheme(), m.value) {
			return Policy{}, fail(p.lines[m.key], "%s %s is not one of the markings %s", m.key, m.value, strings.Join(p.scheme(), ", "))
		}
	}
	if err := p.Backup.check(); err != nil {
		return Policy{}, fail(p.lines["backup_every"], "%v", err)
	}
	if p.DefaultClass != "" && p.MaxClass != "" && slices.Index(p.scheme(), p.DefaultClass) > slices.Index(p.scheme(), p.MaxClass) {
		return Policy{}, fail(p.lines["default_marking"], "default_marking %s is above max_class %s", p.DefaultClass, p.MaxClass)
	}
	return p, nil
}

// scheme is the classification scheme the policy's markings are checked against: its own
// classes, or the store's default.
func (p Policy) scheme() []string {
	if p.Classes == nil {
		return defaultScheme
	}
	return p.Classes
}

// keyLine is the line that sets the top-level key (or opens a table of that name).
func keyLine(text, key string) int {
	re := regexp.MustCompile(`^\s*(?:` + regexp.QuoteMeta(key) + `|"` + regexp.QuoteMeta(key) + `"|\[\s*` + regexp.QuoteMeta(key) + `\s*\])\s*(?:=|$)`)
	for i, l := range strings.Split(text, "\n") {
		if re.MatchString(l) {
			return i + 1
		}
	}
	return 0
}

var winVar = regexp.MustCompile(`%([A-Za-z_][A-Za-z0-9_()]*)%`)

// expand replaces a leading ~ with the home folder (from the user database, not $HOME) and $VAR, ${VAR} (and %VAR% on
// Windows) with the environment's values; a variable that is not set is an error.
func expand(s string) (string, error) {
	var missing []string
	get := func(name string) string {
		v, ok := os.LookupEnv(name)
		if !ok {
			missing = append(missing, name)
		}
		return v
	}
	if s == "~" || strings.HasPrefix(s, "~/") || strings.HasPrefix(s, `~\`) {
		home, err := homeDir()
		if err != nil {
			return "", err
		}
		s = home + s[1:]
	}
	if runtime.GOOS == "windows" {
		s = winVar.ReplaceAllStringFunc(s, func(m string) string { return get(m[1 : len(m)-1]) })
	}
	s = os.Expand(s, get)
	if len(missing) > 0 {
		return "", fmt.Errorf("environment variable %s is not set", strings.Join(missing, ", "))
	}
	return s, nil
}
