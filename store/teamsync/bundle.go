package teamsync

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"filippo.io/age"

	"chancery/store/pack"
)

const bundleMagic = "chancery-bundle 1\n"

// Header is a bundle's signed header (see the package doc).
type Header struct {
	Team    string    `json:"team"`
	Desk    string    `json:"desk"`
	Number  int64     `json:"number"`
	Prev    string    `json:"prev"`
	Created time.Time `json:"created"`
	Payload string    `json:"payload"`
	Size    int64     `json:"size"`
	Key     []byte    `json:"key"`
	Sig     []byte    `json:"sig"`
}

func (h Header) signed() []byte {
	h.Sig = nil
	b, _ := json.Marshal(h)
	return b
}

// Tombstone names an item deleted on the sending desk and the version deleted.
type Tombstone struct {
	ID   string `json:"id"`
	Hash string `json:"hash,omitempty"`
}

// inner is the first line of a bundle's plaintext.
type inner struct {
	Type        string      `json:"type"`
	Desk        string      `json:"desk"`
	Number      int64       `json:"number"`
	Upto        int64       `json:"upto"`
	Tombstones  []Tombstone `json:"tombstones,omitempty"`
	Withdrawals []string    `json:"withdrawals,omitempty"`
}

// Bundle is a bundle's content.
type Bundle struct {
	Header      Header
	Hash        string // SHA-256 of the whole object
	Upto        int64
	Tombstones  []Tombstone
	Withdrawals []string
	Pack        *pack.Pack // nil when the bundle holds no items
}

// Problem kinds, as Report.Problems and Status.Desks name them.
var (
	ErrForeign = errors.New("signed by a key not in the team")
	ErrAltered = errors.New("altered")
	ErrGap     = errors.New("a bundle is missing")
	ErrFork    = errors.New("the desk's chain of bundles forks")
)

// sealBundle encrypts and signs a bundle's content.
func sealBundle(id *Identity, team string, number int64, prev string, upto int64, tombs []Tombstone, withdrawals []string, p *pack.Pack, recipients []age.Recipient) ([]byte, error) {
	var ct bytes.Buffer
	enc, err := age.Encrypt(&ct, recipients...)
	if err != nil {
		return nil, fmt.Errorf("teamsync: encrypt bundle: %w", err)
	}
	bw := bufio.NewWriterSize(enc, 1<<16)
	line, _ := json.Marshal(inner{Type: "sync", Desk: id.Desk(), Number: number, Upto: upto, Tombstones: tombs, Withdrawals: withdrawals})
	bw.Write(append(line, '\n'))
	if p != nil {
		if err := p.WritePlain(bw); err != nil {
			return nil, err
		}
	}
	if err := bw.Flush(); err != nil {
		return nil, fmt.Errorf("teamsync: encrypt bundle: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("teamsync: encrypt bundle: %w", err)
	}
	sum := sha256.Sum256(ct.Bytes())
	h := Header{Team: team, Desk: id.Desk(), Number: number, Prev: prev, Created: time.Now().UTC().Truncate(time.Second),
		Payload: hex.EncodeToString(sum[:]), Size: int64(ct.Len()), Key: id.Public()}
	h.Sig = ed25519.Sign(id.Sign, h.signed())
	hb, _ := json.Marshal(h)
	out := make([]byte, 0, len(bundleMagic)+len(hb)+1+ct.Len())
	out = append(out, bundleMagic...)
	out = append(out, hb...)
	out = append(out, '\n')
	out = append(out, ct.Bytes()...)
	return out, nil
}

func objectHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// openHeader reads and checks a bundle object's header against the key the team gives
// for its desk (nil: the desk is not in the team). It does not decrypt.
func openHeader(obj []byte, key ed25519.PublicKey) (Header, []byte, error) {
	var h Header
	if !bytes.HasPrefix(obj, []byte(bundleMagic)) {
		return h, nil, fmt.Errorf("%w: it is not a Chancery bundle", ErrAltered)
	}
	rest := obj[len(bundleMagic):]
	i := bytes.IndexByte(rest, '\n')
	if i < 0 {
		return h, nil, fmt.Errorf("%w: its header is cut", ErrAltered)
	}
	if err := json.Unmarshal(rest[:i], &h); err != nil {
		return h, nil, fmt.Errorf("%w: its header is not readable", ErrAltered)
	}
	ct := rest[i+1:]
	if key == nil || !bytes.Equal(h.Key, key) {
		return h, nil, fmt.Errorf("%w", ErrForeign)
	}
	if !ed25519.Verify(key, h.signed(), h.Sig) {
		return h, nil, fmt.Errorf("%w: its signature does not hold", ErrAltered)
	}
	if int64(len(ct)) != h.Size || objectHash(ct) != h.Payload {
		return h, nil, fmt.Errorf("%w: its content does not match its signed hash", ErrAltered)
	}
	return h, ct, nil
}

// openBundle checks and decrypts a bundle object found at desks/desk/number.
func openBundle(obj []byte, desk string, number int64, key ed25519.PublicKey, identities ...age.Identity) (*Bundle, error) {
	h, ct, err := openHeader(obj, key)
	if err != nil {
		return nil, err
	}
	if h.Desk != desk || h.Number != number {
		return nil, fmt.Errorf("%w: it says it is bundle %d of desk %s", ErrAltered, h.Number, h.Desk)
	}
	plain, err := age.Decrypt(bytes.NewReader(ct), identities...)
	if err != nil {
		return nil, fmt.Errorf("%w: it cannot be decrypted with this desk's key (%v)", ErrAltered, err)
	}
	br := bufio.NewReaderSize(plain, 1<<16)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return nil, fmt.Errorf("%w: its content is cut", ErrAltered)
	}
	var in inner
	if err := json.Unmarshal(line, &in); err != nil || in.Type != "sync" {
		return nil, fmt.Errorf("%w: its content is not readable", ErrAltered)
	}
	if in.Desk != desk || in.Number != number {
		return nil, fmt.Errorf("%w: its content belongs to bundle %d of desk %s", ErrAltered, in.Number, in.Desk)
	}
	b := &Bundle{Header: h, Hash: objectHash(obj), Upto: in.Upto, Tombstones: in.Tombstones, Withdrawals: in.Withdrawals}
	if _, err := br.Peek(1); err == io.EOF {
		return b, nil
	}
	p, err := pack.ReadPlain(br)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrAltered, err)
	}
	b.Pack = p
	return b, nil
}
