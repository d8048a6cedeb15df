package teamsync

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// KeyFile is the name of the desk's identity file in the key folder (mode 0600).
const KeyFile = "teamsync.key"

// Identity is a desk's secret keys: its ed25519 signing key and its age identity.
type Identity struct {
	Name string
	Sign ed25519.PrivateKey
	Age  *age.X25519Identity
}

// DeskID is the desk ID of a signing public key: the first 16 bytes, in hex, of its
// SHA-256.
func DeskID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:16])
}

// Desk is this identity's desk ID.
func (id *Identity) Desk() string { return DeskID(id.Public()) }

// Public is the signing public key.
func (id *Identity) Public() ed25519.PublicKey { return id.Sign.Public().(ed25519.PublicKey) }

// Member is the identity as a team member (its public keys).
func (id *Identity) Member() TeamMember {
	return TeamMember{Name: id.Name, Key: id.Public(), Recipient: id.Age.Recipient().String()}
}

type keyFile struct {
	Format  string `json:"format"`
	Name    string `json:"name"`
	Ed25519 []byte `json:"ed25519"` // the 32-byte seed
	Age     string `json:"age"`     // AGE-SECRET-KEY-1...
}

// LoadIdentity reads the desk's identity from dir/KeyFile, or makes one (named name)
// and writes it with mode 0600 when there is none. A key file readable by others is
// refused, naming it.
func LoadIdentity(dir, name string) (*Identity, error) {
	path := filepath.Join(dir, KeyFile)
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return newIdentity(path, name)
	}
	if err != nil {
		return nil, fmt.Errorf("teamsync: the desk's key %s: %w", path, err)
	}
	if st, err := os.Stat(path); err == nil && st.Mode().Perm()&0o077 != 0 && os.PathSeparator == '/' {
		return nil, fmt.Errorf("teamsync: the desk's key %s can be read by others (mode %v); make it 0600", path, st.Mode().Perm())
	}
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil || kf.Format != "chancery-desk-key" || len(kf.Ed25519) != ed25519.SeedSize {
		return nil, fmt.Errorf("teamsync: the desk's key %s is not readable: damaged", path)
	}
	ai, err := age.ParseX25519Identity(kf.Age)
	if err != nil {
		return nil, fmt.Errorf("teamsync: the desk's key %s: its age key is damaged", path)
	}
	return &Identity{Name: kf.Name, Sign: ed25519.NewKeyFromSeed(kf.Ed25519), Age: ai}, nil
}

func newIdentity(path, name string) (*Identity, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("teamsync: make the desk's key: %w", err)
	}
	ai, err := age.GenerateX25519Identity()
	if err != nil {
		return nil, fmt.Errorf("teamsync: make the desk's key: %w", err)
	}
	if name == "" {
		name, _ = os.Hostname()
	}
	id := &Identity{Name: name, Sign: priv, Age: ai}
	data, _ := json.MarshalIndent(keyFile{Format: "chancery-desk-key", Name: name, Ed25519: priv.Seed(), Age: ai.String()}, "", "  ")
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("teamsync: write the desk's key %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) { // made by another process meanwhile
			return LoadIdentity(filepath.Dir(path), name)
		}
		return nil, fmt.Errorf("teamsync: write the desk's key %s: %w", path, err)
	}
	if _, err := f.Write(append(data, '\n')); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("teamsync: write the desk's key %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("teamsync: write the desk's key %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, fmt.Errorf("teamsync: write the desk's key %s: %w", path, err)
	}
	return id, nil
}

// TeamMember is a desk allowed to write bundles that are applied: its signing key, and
// the age recipient it reads with (informative; Config.Recipients decides who can read).
type TeamMember struct {
	Name      string
	Key       ed25519.PublicKey
	Recipient string
}

// Desk is the member's desk ID.
func (m TeamMember) Desk() string { return DeskID(m.Key) }

// String is the member's public line: "chancery-desk NAME ed25519:BASE64 age1...".
func (m TeamMember) String() string {
	name := strings.Join(strings.Fields(m.Name), "_")
	if name == "" {
		name = "-"
	}
	s := fmt.Sprintf("chancery-desk %s ed25519:%s", name, base64.StdEncoding.EncodeToString(m.Key))
	if m.Recipient != "" {
		s += " " + m.Recipient
	}
	return s
}

// ParseTeamMember reads a member from its public line (see TeamMember.String), or from
// "ed25519:BASE64" alone.
func ParseTeamMember(s string) (TeamMember, error) {
	f := strings.Fields(s)
	var m TeamMember
	if len(f) > 0 && f[0] == "chancery-desk" {
		f = f[1:]
		if len(f) > 0 && !strings.HasPrefix(f[0], "ed25519:") {
			m.Name, f = f[0], f[1:]
		}
	}
	if len(f) == 0 || !strings.HasPrefix(f[0], "ed25519:") {
		return m, fmt.Errorf("teamsync: %q is not a desk's key (chancery-desk NAME ed25519:... age1..., as `chancery sync key` prints it)", s)
	}
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(f[0], "ed25519:"))
	if err != nil || len(key) != ed25519.PublicKeySize {
		return m, fmt.Errorf("teamsync: %q is not a desk's key: its ed25519 key is not 32 bytes of base64", s)
	}
	m.Key = key
	if len(f) > 1 {
		if _, err := age.ParseX25519Recipient(f[1]); err != nil {
			return m, fmt.Errorf("teamsync: %q: %q is not an age recipient", s, f[1])
		}
		m.Recipient = f[1]
	}
	if len(f) > 2 {
		return m, fmt.Errorf("teamsync: %q: too many fields", s)
	}
	if m.Name == "-" {
		m.Name = ""
	}
	return m, nil
}
