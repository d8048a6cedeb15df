package teamsync

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"chancery/store"
	"chancery/store/pack"
)

// AuditSync is the audit trail's action for a sync round.
const AuditSync = "sync"

// Config is what a Syncer needs: the remote, its ceiling, who reads and who writes.
type Config struct {
	// Remote is the team's storage.
	Remote Remote
	// Ceiling is the highest marking this remote may hold (the policy's); required.
	Ceiling string
	// Recipients read the bundles and originals: the team's desks and the ministry's
	// recovery key. This desk is always added.
	Recipients []age.Recipient
	// Team are the desks whose bundles are applied (their signing keys). A desk on the
	// remote that is not here is foreign: reported, never applied. This desk is always
	// in it.
	Team []TeamMember
	// KeyDir is where the desk's identity (KeyFile) is kept (the cursors are in the store);
	// the store's data folder when "".
	KeyDir string
	// Name names this desk in its key (the host name when "").
	Name string
}

// Syncer runs sync rounds of one knowledge base against one remote. Its methods may be
// called from several goroutines; rounds run one at a time.
type Syncer struct {
	db   *store.DB
	cfg  Config
	id   *Identity
	team map[string]TeamMember
	recp []age.Recipient
	ceil map[string]bool // markings at or below the ceiling
	mu   sync.Mutex
}

// Report is what a sync round did. Item lines are "ID" or "ID \"title\"".
type Report struct {
	Remote      string
	Desk        string // this desk's ID
	Pushed      int    // bundles created
	Items       int    // item versions in them
	Tombstones  int    // deletions sent
	Withdrawals int    // withdrawals sent
	Originals   int    // originals uploaded
	Applied     int    // bundles of other desks applied
	Added       []string
	Updated     []string
	Merged      []string // contacts merged field by field
	Conflicts   []string // kept both, one winner on every desk (store.ConflictWinner); see store.DB.Conflicts; only those still open when the round ended
	Trashed     []string // moved to the trash here by another desk's tombstone
	Restored    []string // brought back from the trash by another desk
	Withdrawn   []string // withdrawn by another desk (raised above the remote's ceiling): hidden here (store.DB.Withdrawals)
	Refused     []string // above this machine's ceiling, left out
	Records     []string // incident records applied, and their conflicts, in words (store.PackResult)
	Problems    []string // in words, per desk: gaps, altered, foreign, forks; nothing of those applied
}

// Summary says in one line what the round did.
func (r Report) Summary() string {
	s := fmt.Sprintf("pushed %d bundle(s) (%d item versions, %d deletions, %d withdrawals, %d originals); applied %d bundle(s): %d added, %d updated, %d merged, %d conflicts, %d trashed, %d restored, %d withdrawn",
		r.Pushed, r.Items, r.Tombstones, r.Withdrawals, r.Originals, r.Applied, len(r.Added), len(r.Updated), len(r.Merged), len(r.Conflicts), len(r.Trashed), len(r.Restored), len(r.Withdrawn))
	if len(r.Problems) > 0 {
		s += fmt.Sprintf("; %d problem(s)", len(r.Problems))
	}
	return s
}

// Status is the sync state as the status line shows it.
type Status struct {
	Remote    string
	Desk      string
	Ceiling   string
	LastSync  time.Time // zero when never
	Waiting   int       // local changes not yet pushed
	Conflicts int       // open conflicts (store.DB.OpenConflicts)
	LastError string
	Number    int64 // this desk's last bundle
	Desks     []DeskStatus
}

// DeskStatus is another desk as this one knows it.
type DeskStatus struct {
	Desk    string
	Name    string
	Applied int64  // its last bundle applied here
	Problem string // "" when none
}

// New prepares a Syncer: it reads (or, on the first sync, makes) the desk's identity in
// cfg.KeyDir and checks the configuration.
func New(db *store.DB, cfg Config) (*Syncer, error) {
	if cfg.Remote == nil {
		return nil, errors.New("teamsync: no remote configured")
	}
	classes, err := db.Classes(context.Background())
	if err != nil {
		return nil, err
	}
	cfg.Ceiling = strings.ToUpper(strings.TrimSpace(cfg.Ceiling))
	if !slices.Contains(classes, cfg.Ceiling) {
		return nil, fmt.Errorf("teamsync: the remote %s has no ceiling, or %q is not a marking of this knowledge base (%s)", cfg.Remote, cfg.Ceiling, strings.Join(classes, ", "))
	}
	if cfg.KeyDir == "" {
		cfg.KeyDir = db.Dir()
	}
	id, err := LoadIdentity(cfg.KeyDir, cfg.Name)
	if err != nil {
		return nil, err
	}
	s := &Syncer{db: db, cfg: cfg, id: id, team: map[string]TeamMember{}, ceil: map[string]bool{}}
	for _, c := range classes[:slices.Index(classes, cfg.Ceiling)+1] {
		s.ceil[c] = true
	}
	for _, m := range cfg.Team {
		s.team[m.Desk()] = m
	}
	s.team[id.Desk()] = id.Member()
	s.recp = append(slices.Clone(cfg.Recipients), id.Age.Recipient())
	return s, nil
}

func (s *Syncer) loadState(ctx context.Context) (*state, error) {
	st, err := loadState(ctx, s.db, stateKey(s.cfg.Remote))
	if err != nil {
		return nil, err
	}
	// A knowledge base restored from an older backup counts changes from where it was:
	// push from there again (what the remote already holds is unchanged on arrival).
	if last, err := s.db.LastSeq(ctx); err == nil && st.Pushed > last {
		st.Pushed = 0
	}
	return st, nil
}

func (s *Syncer) saveState(ctx context.Context, st *state) error {
	return st.save(ctx, s.db, stateKey(s.cfg.Remote))
}

// Identity is this desk's identity.
func (s *Syncer) Identity() *Identity { return s.id }

// Sync runs one round: push this desk's changes, then pull and apply the other desks'
// bundles. Problems with another desk's bundles are in Report.Problems (not an error);
// an error means the round stopped (the remote unreachable, emptied or another team's).
// The round is recorded in the audit trail when it pushed or applied something, found a
// problem or failed.
func (s *Syncer) Sync(ctx context.Context) (Report, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rep := Report{Remote: s.cfg.Remote.String(), Desk: s.id.Desk()}
	st, err := s.loadState(ctx)
	if err != nil {
		return rep, err
	}
	err = s.round(ctx, st, &rep)
	if err == nil {
		st.LastSync = time.Now().UTC()
		st.LastError = ""
	} else {
		st.LastError = err.Error()
	}
	st.Remote = rep.Remote
	if serr := s.saveState(ctx, st); err == nil {
		err = serr
	}
	if err != nil || rep.Pushed > 0 || rep.Applied > 0 || len(rep.Problems) > 0 {
		detail := rep.Summary()
		if err != nil {
			detail = "failed: " + err.Error() + "; " + detail
		}
		if aerr := s.db.Audit(ctx, store.AuditEvent{Action: AuditSync, Subject: rep.Remote, Detail: detail, Marking: s.cfg.Ceiling}); aerr != nil && err == nil {
			err = fmt.Errorf("teamsync: record the sync in the audit trail: %w", aerr)
		}
	}
	return rep, err
}

// teamFile is team.json.
type teamFile struct {
	Format  string    `json:"format"`
	Version int       `json:"version"`
	Team    string    `json:"team"`
	Created time.Time `json:"created"`
}

// deskKey is desks/<id>/key.
type deskKey struct {
	Format  string `json:"format"`
	Desk    string `json:"desk"`
	Name    string `json:"name"`
	Ed25519 []byte `json:"ed25519"`
	Age     string `json:"age"`
}

func (s *Syncer) round(ctx context.Context, st *state, rep *Report) error {
	r := s.cfg.Remote
	team, err := s.joinTeam(ctx, st)
	if err != nil {
		return err
	}
	st.Team = team
	names, err := r.List(ctx, "desks/")
	if err != nil {
		return fmt.Errorf("teamsync: list the remote %s: %w (nothing was changed here)", r, err)
	}
	desks := groupDesks(names)
	me := s.id.Desk()
	if st.Number > 0 && len(desks[me].numbers) == 0 {
		return fmt.Errorf("teamsync: the remote %s no longer holds this desk's %d bundle(s): it was emptied or replaced; nothing was deleted or sent; ask the administrator", r, st.Number)
	}
	if !desks[me].key {
		k := deskKey{Format: "chancery-desk", Desk: me, Name: s.id.Name, Ed25519: s.id.Public(), Age: s.id.Age.Recipient().String()}
		b, _ := json.MarshalIndent(k, "", "  ")
		if err := r.Create(ctx, "desks/"+me+"/key", b); err != nil && !errors.Is(err, ErrExists) {
			return fmt.Errorf("teamsync: write this desk's key to %s: %w", r, err)
		}
	}
	if err := s.push(ctx, st, rep); err != nil {
		return err
	}
	err = s.pull(ctx, st, desks, rep)
	if len(rep.Conflicts) > 0 {
		// A conflict one bundle made and a later bundle of the same round resolved is
		// not news: report only the conflicts still open.
		open, cerr := s.db.Conflicts(ctx, true)
		if cerr != nil && err == nil {
			err = cerr
		}
		if cerr == nil {
			still := map[string]bool{}
			for _, c := range open {
				still[c.ItemID] = true
			}
			rep.Conflicts = slices.DeleteFunc(rep.Conflicts, func(l string) bool {
				id, _, _ := strings.Cut(l, " ")
				return !still[id]
			})
		}
	}
	return err
}

func (s *Syncer) joinTeam(ctx context.Context, st *state) (string, error) {
	r := s.cfg.Remote
	for range 2 {
		b, err := r.Get(ctx, "team.json")
		if errors.Is(err, ErrNotFound) {
			if st.Team != "" {
				return "", fmt.Errorf("teamsync: the remote %s has no team.json any more: it was emptied or replaced; nothing was deleted or sent; ask the administrator", r)
			}
			var raw [16]byte
			rand.Read(raw[:])
			tf, _ := json.MarshalIndent(teamFile{Format: "chancery-team", Version: 1, Team: hex.EncodeToString(raw[:]), Created: time.Now().UTC().Truncate(time.Second)}, "", "  ")
			if err := r.Create(ctx, "team.json", tf); err != nil && !errors.Is(err, ErrExists) {
				return "", fmt.Errorf("teamsync: start the team on %s: %w", r, err)
			}
			continue
		}
		if err != nil {
			return "", fmt.Errorf("teamsync: read the remote %s: %w (nothing was changed here)", r, err)
		}
		var tf teamFile
		if err := json.Unmarshal(b, &tf); err != nil || tf.Format != "chancery-team" || tf.Team == "" {
			return "", fmt.Errorf("teamsync: the remote %s holds a team.json that is not readable; nothing was changed here", r)
		}
		if tf.Version > 1 {
			return "", fmt.Errorf("teamsync: the remote %s is of a newer format (version %d); use a newer Chancery", r, tf.Version)
		}
		if st.Team != "" && tf.Team != st.Team {
			return "", fmt.Errorf("teamsync: the remote %s now holds another team (%s, this desk joined %s): it was emptied or replaced; nothing was deleted or sent; ask the administrator", r, tf.Team, st.Team)
		}
		return tf.Team, nil
	}
	return "", fmt.Errorf("teamsync: the remote %s does not keep team.json", r)
}

type deskObjects struct {
	key     bool
	numbers []int64 // sorted
}

func bundleName(desk string, n int64) string { return fmt.Sprintf("desks/%s/%012d.bundle", desk, n) }

func groupDesks(names []string) map[string]deskObjects {
	out := map[string]deskObjects{}
	for _, n := range names {
		parts := strings.Split(n, "/")
		if len(parts) != 3 || parts[0] != "desks" {
			continue
		}
		d := out[parts[1]]
		switch {
		case parts[2] == "key":
			d.key = true
		case strings.HasSuffix(parts[2], ".bundle"):
			num, err := strconv.ParseInt(strings.TrimSuffix(parts[2], ".bundle"), 10, 64)
			if err != nil || num < 1 {
				continue
			}
			d.numbers = append(d.numbers, num)
		}
		out[parts[1]] = d
	}
	for k, d := range out {
		slices.Sort(d.numbers)
		out[k] = d
	}
	return out
}

// sharedKey is what the remote holds of an item, as the sync state remembers it: the
// ContentHash of its current version; then, when that version names resolution markers
// among its parents (store.ResolutionPrefix), "+" and a hash of them, so that a
// resolution that kept the version current (same content, a new marker) is sent again;
// and "~" when it is in the trash.
func sharedKey(hash string, deleted bool, marks []string) string {
	k := hash
	if len(marks) > 0 {
		k += "+" + objectHash([]byte(strings.Join(marks, "\n")))[:16]
	}
	if deleted {
		k += "~"
	}
	return k
}

// itemKey is the shared key of an item as it is here, marks being
// store.DB.ResolutionMarkers.
func itemKey(it *store.Item, marks map[string]map[string][]string) string {
	h := it.ContentHash()
	return sharedKey(h, it.Deleted != nil, marks[it.ID][h])
}

// sharedHash is the ContentHash in a shared key.
func sharedHash(shared string) string {
	h, _, _ := strings.Cut(strings.SplitN(shared, "#", 2)[0], "~")
	h, _, _ = strings.Cut(h, "+")
	return h
}

// versionMarks are the resolution markers among a packed version's parents, sorted.
func versionMarks(parents []string) []string {
	var out []string
	for _, p := range parents {
		if strings.HasPrefix(p, store.ResolutionPrefix) && !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// recordsKey is the shared key of an incident with its records: the item's key and a
// hash of the records as packed.
func recordsKey(key string, recs []store.IncidentRecords, id string) string {
	for _, r := range recs {
		if r.Incident == id {
			b, _ := json.Marshal(r)
			return key + "#" + objectHash(b)
		}
	}
	return key
}

// push sends this desk's changes since the last push as one bundle.
func (s *Syncer) push(ctx context.Context, st *state, rep *Report) error {
	withdrawn := map[string]bool{}
	ws, err := s.db.Withdrawals(ctx)
	if err != nil {
		return err
	}
	for _, w := range ws {
		withdrawn[w.ID] = true
	}
	marks, err := s.db.ResolutionMarkers(ctx)
	if err != nil {
		return err
	}
	upto := st.Pushed
	var ids []string
	var tombs []Tombstone
	seen := map[string]bool{}
	err = s.db.EachChange(ctx, st.Pushed, 500, func(c store.Change) error {
		upto = max(upto, c.Seq)
		if seen[c.ID] || withdrawn[c.ID] {
			return nil
		}
		seen[c.ID] = true
		shared, known := st.Shared[c.ID]
		switch {
		case c.Item == nil: // purged: only a deletion to tell, if the remote knows it
			if known {
				tombs = append(tombs, Tombstone{ID: c.ID, Hash: sharedHash(shared)})
			}
		case !known || itemKey(c.Item, marks) != strings.SplitN(shared, "#", 2)[0] || c.Item.Kind == store.KindIncident:
			ids = append(ids, c.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("teamsync: read the changes to push: %w", err)
	}
	var p *pack.Pack
	var withdrawals []string
	if len(ids) > 0 {
		// Items in the trash travel as tombstones (their version, marked deleted).
		p, err = pack.Collect(ctx, s.db, ids, pack.Options{Ceiling: s.cfg.Ceiling, Selection: "team sync", Trash: true})
		if err != nil {
			return fmt.Errorf("teamsync: collect the changes to push: %w", err)
		}
		for _, w := range p.Withheld {
			id, _, _ := strings.Cut(w, " (")
			if _, known := st.Shared[id]; known {
				withdrawals = append(withdrawals, id)
			}
		}
		// Leave out what the remote already holds.
		keepInc := map[string]bool{}
		var entries []pack.Entry
		for _, e := range p.Entries {
			cur := e.Versions[len(e.Versions)-1]
			if st.Shared[e.ID] == recordsKey(sharedKey(cur.Hash, cur.Deleted, versionMarks(cur.Parents)), p.Records, e.ID) {
				continue
			}
			entries = append(entries, e)
			keepInc[e.ID] = true
		}
		p.Entries = entries
		var recs []store.IncidentRecords
		for _, r := range p.Records {
			if keepInc[r.Incident] {
				recs = append(recs, r)
			}
		}
		p.Records = recs
		// Originals once, by content, before the bundle that names them.
		for _, e := range p.Entries {
			for _, v := range e.Versions {
				d := v.Item.Document
				if d == nil || d.SHA256 == "" || st.Originals[d.SHA256] {
					continue
				}
				data, ok := p.Originals[d.SHA256]
				if !ok {
					continue
				}
				if err := s.uploadOriginal(ctx, d.SHA256, data); err != nil {
					return err
				}
				st.Originals[d.SHA256] = true
				rep.Originals++
			}
		}
		p.Originals = map[string][]byte{}
		if len(p.Entries) == 0 {
			p = nil
		}
	}
	if p == nil && len(tombs) == 0 && len(withdrawals) == 0 {
		st.Pushed = upto
		return nil
	}
	me := s.id.Desk()
	for {
		n := st.Number + 1
		obj, err := sealBundle(s.id, st.Team, n, st.Hash, upto, tombs, withdrawals, p, s.recp)
		if err != nil {
			return err
		}
		err = s.cfg.Remote.Create(ctx, bundleName(me, n), obj)
		if errors.Is(err, ErrExists) {
			// Made by an earlier round that stopped before it saved its cursors (or by
			// this desk's other process): take it as the last bundle if it is this
			// desk's own and follows the chain, and push the same changes after it.
			old, gerr := s.cfg.Remote.Get(ctx, bundleName(me, n))
			if gerr != nil {
				return fmt.Errorf("teamsync: %s on %s exists but cannot be read: %w", bundleName(me, n), s.cfg.Remote, gerr)
			}
			h, _, herr := openHeader(old, s.id.Public())
			if herr != nil {
				return fmt.Errorf("teamsync: %s on %s exists and is not this desk's own bundle (%v); nothing was sent", bundleName(me, n), s.cfg.Remote, herr)
			}
			if h.Prev != st.Hash {
				return fmt.Errorf("teamsync: %s on %s does not follow this desk's bundle %d: %w; nothing was sent", bundleName(me, n), s.cfg.Remote, st.Number, ErrFork)
			}
			st.Number, st.Hash = n, objectHash(old)
			if err := s.saveState(ctx, st); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("teamsync: send bundle %d to %s: %w", n, s.cfg.Remote, err)
		}
		st.Number, st.Hash, st.Pushed = n, objectHash(obj), upto
		if p != nil {
			for _, e := range p.Entries {
				cur := e.Versions[len(e.Versions)-1]
				st.Shared[e.ID] = recordsKey(sharedKey(cur.Hash, cur.Deleted, versionMarks(cur.Parents)), p.Records, e.ID)
				rep.Items += len(e.Versions)
				if cur.Deleted {
					rep.Tombstones++
				}
			}
		}
		for _, t := range tombs {
			delete(st.Shared, t.ID)
		}
		for _, w := range withdrawals {
			delete(st.Shared, w)
		}
		rep.Pushed++
		rep.Tombstones += len(tombs)
		rep.Withdrawals += len(withdrawals)
		return s.saveState(ctx, st)
	}
}

func (s *Syncer) uploadOriginal(ctx context.Context, sum string, data []byte) error {
	var ct bytes.Buffer
	enc, err := age.Encrypt(&ct, s.recp...)
	if err != nil {
		return fmt.Errorf("teamsync: encrypt original %s: %w", sum, err)
	}
	enc.Write(data)
	if err := enc.Close(); err != nil {
		return fmt.Errorf("teamsync: encrypt original %s: %w", sum, err)
	}
	if err := s.cfg.Remote.Create(ctx, "originals/"+sum, ct.Bytes()); err != nil && !errors.Is(err, ErrExists) {
		return fmt.Errorf("teamsync: send original %s to %s: %w", sum, s.cfg.Remote, err)
	}
	return nil
}

func (s *Syncer) fetchOriginal(ctx context.Context, sum string) ([]byte, error) {
	ct, err := s.cfg.Remote.Get(ctx, "originals/"+sum)
	if err != nil {
		return nil, fmt.Errorf("the original %s cannot be fetched (%w)", sum, err)
	}
	r, err := age.Decrypt(bytes.NewReader(ct), s.id.Age)
	if err != nil {
		return nil, fmt.Errorf("the original %s: %w: it cannot be decrypted (%v)", sum, ErrAltered, err)
	}
	data, err := io.ReadAll(r)
	if err != nil || objectHash(data) != sum {
		return nil, fmt.Errorf("the original %s: %w: it does not match its SHA-256", sum, ErrAltered)
	}
	return data, nil
}

// pull applies every other desk's new bundles, in order, each verified first.
func (s *Syncer) pull(ctx context.Context, st *state, desks map[string]deskObjects, rep *Report) error {
	ids := make([]string, 0, len(desks))
	for d := range desks {
		if d != s.id.Desk() {
			ids = append(ids, d)
		}
	}
	for d := range st.Desks { // desks applied here whose objects are all gone
		if _, listed := desks[d]; !listed && d != s.id.Desk() {
			ids = append(ids, d)
		}
	}
	slices.Sort(ids)
	for _, desk := range ids {
		objs := desks[desk]
		problem := func(format string, a ...any) {
			msg := fmt.Sprintf("desk %s: ", desk) + fmt.Sprintf(format, a...)
			rep.Problems = append(rep.Problems, msg)
			st.Problems[desk] = msg
		}
		delete(st.Problems, desk)
		m, ok := s.team[desk]
		if !ok {
			if len(objs.numbers) > 0 {
				problem("its %d bundle(s) are %v: not applied", len(objs.numbers), ErrForeign)
			}
			continue
		}
		cur := st.Desks[desk]
		if cur.Number > 0 && (len(objs.numbers) == 0 || objs.numbers[len(objs.numbers)-1] < cur.Number) {
			problem("the remote no longer holds its bundles up to %d, which were applied here (removed); nothing was deleted here", cur.Number)
			continue
		}
		for next := cur.Number + 1; ; next++ {
			if err := ctx.Err(); err != nil {
				return err
			}
			if _, found := slices.BinarySearch(objs.numbers, next); !found {
				if len(objs.numbers) > 0 && objs.numbers[len(objs.numbers)-1] > next {
					problem("bundle %d: %v (later ones are there); nothing after bundle %d applied", next, ErrGap, next-1)
				}
				break
			}
			obj, err := s.cfg.Remote.Get(ctx, bundleName(desk, next))
			if errors.Is(err, ErrNotFound) {
				problem("bundle %d: %v; nothing after bundle %d applied", next, ErrGap, next-1)
				break
			}
			if err != nil {
				return fmt.Errorf("teamsync: read %s from %s: %w", bundleName(desk, next), s.cfg.Remote, err)
			}
			b, err := openBundle(obj, desk, next, m.Key, s.id.Age)
			if err != nil {
				problem("bundle %d: %v; not applied", next, err)
				break
			}
			if b.Header.Prev != cur.Hash {
				problem("bundle %d: %v (it does not follow bundle %d as applied here); not applied", next, ErrFork, next-1)
				break
			}
			if b.Header.Team != st.Team {
				problem("bundle %d: %v: it belongs to another team; not applied", next, ErrAltered)
				break
			}
			cur = deskCursor{Number: next, Hash: b.Hash}
			if err := s.apply(ctx, st, desk, b, cur, rep); err != nil {
				problem("bundle %d: %v; not applied", next, err)
				break
			}
			rep.Applied++
		}
	}
	return nil
}

// apply writes one verified bundle here, in one transaction with the desk's cursor
// (ApplyOptions.State), so that a bundle is applied whole, once, or not at all.
func (s *Syncer) apply(ctx context.Context, st *state, desk string, b *Bundle, next deskCursor, rep *Report) error {
	source := fmt.Sprintf("team sync %s: desk %s bundle %d", s.cfg.Remote, desk, b.Header.Number)
	// Withdrawals first: applying one again changes nothing.
	for _, id := range b.Withdrawals {
		it, err := s.db.Get(ctx, id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		if err := s.db.ApplyWithdrawal(ctx, id, desk, fmt.Sprintf("raised above the ceiling of %s (%s)", s.cfg.Remote, s.cfg.Ceiling)); err != nil {
			return err
		}
		delete(st.Shared, id)
		if err == nil && it.ID != "" && it.Deleted == nil {
			rep.Withdrawn = append(rep.Withdrawn, fmt.Sprintf("%s %q", it.ID, it.Title))
		}
	}
	var incoming []store.Incoming
	originals := map[string][]byte{}
	opt := store.ApplyOptions{Sync: true, Desk: desk, SkipAboveCeiling: true, Source: source}
	p := b.Pack
	if p != nil {
		for _, e := range p.Entries {
			for _, v := range e.Versions {
				d := v.Item.Document
				if d == nil || d.SHA256 == "" {
					continue
				}
				if _, ok := originals[d.SHA256]; ok {
					continue
				}
				if _, err := s.db.OriginalBySHA(ctx, d.SHA256); err == nil {
					continue
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
				data, err := s.fetchOriginal(ctx, d.SHA256)
				if err != nil {
					return err
				}
				originals[d.SHA256] = data
				st.Originals[d.SHA256] = true
			}
		}
		incoming = p.Incoming()
		opt = p.ApplyOptions(opt)
	}
	for _, t := range b.Tombstones { // items purged on the sending desk
		incoming = append(incoming, store.Incoming{Item: store.Item{ID: t.ID}, Tombstone: true, TombHash: t.Hash})
	}
	after := *st
	after.Desks = maps.Clone(st.Desks)
	after.Desks[desk] = next
	opt.State = map[string]string{stateKey(s.cfg.Remote): after.encode()}
	res, err := s.db.ApplyPack(ctx, incoming, originals, opt)
	if err != nil {
		return err
	}
	st.Desks[desk] = next
	rep.Added = append(rep.Added, res.Added...)
	rep.Updated = append(rep.Updated, res.Updated...)
	rep.Merged = append(rep.Merged, res.Merged...)
	rep.Conflicts = append(rep.Conflicts, res.Conflicts...)
	rep.Trashed = append(rep.Trashed, res.Trashed...)
	rep.Restored = append(rep.Restored, res.Restored...)
	rep.Refused = append(rep.Refused, res.Refused...)
	rep.Records = append(rep.Records, res.Records...)
	rep.Records = append(rep.Records, res.RecordConflicts...)
	// What the remote holds: the versions this bundle brought, where they are now
	// current here (a version kept here instead is still to be pushed).
	for _, t := range b.Tombstones {
		delete(st.Shared, t.ID)
	}
	if p == nil {
		return nil
	}
	ids := make([]string, 0, len(p.Entries))
	want := map[string]string{}
	for _, e := range p.Entries {
		cur := e.Versions[len(e.Versions)-1]
		ids = append(ids, e.ID)
		want[e.ID] = sharedKey(cur.Hash, cur.Deleted, versionMarks(cur.Parents))
	}
	items, err := s.db.GetMany(ctx, ids)
	if err != nil {
		return err
	}
	marks, err := s.db.ResolutionMarkers(ctx)
	if err != nil {
		return err
	}
	for _, it := range items {
		if k := itemKey(&it, marks); k == want[it.ID] {
			st.Shared[it.ID] = recordsKey(k, p.Records, it.ID)
		}
	}
	return nil
}

// Status reads the sync state: the last sync, changes waiting, problems per desk.
func (s *Syncer) Status(ctx context.Context) (Status, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, err := s.loadState(ctx)
	if err != nil {
		return Status{}, err
	}
	out := Status{Remote: s.cfg.Remote.String(), Desk: s.id.Desk(), Ceiling: s.cfg.Ceiling, LastSync: st.LastSync,
		LastError: st.LastError, Number: st.Number}
	if out.Conflicts, err = s.db.OpenConflicts(ctx); err != nil {
		return out, err
	}
	marks, err := s.db.ResolutionMarkers(ctx)
	if err != nil {
		return out, err
	}
	err = s.db.EachChange(ctx, st.Pushed, 500, func(c store.Change) error {
		shared, known := st.Shared[c.ID]
		switch {
		case c.Item == nil:
			if known {
				out.Waiting++
			}
		case !s.ceil[c.Item.Class]:
			if known { // a withdrawal to send
				out.Waiting++
			}
		case !known || itemKey(c.Item, marks) != strings.SplitN(shared, "#", 2)[0]:
			out.Waiting++
		}
		return nil
	})
	if err != nil {
		return out, err
	}
	seen := map[string]bool{}
	for d, c := range st.Desks {
		seen[d] = true
		out.Desks = append(out.Desks, DeskStatus{Desk: d, Name: s.team[d].Name, Applied: c.Number, Problem: st.Problems[d]})
	}
	for d, p := range st.Problems {
		if !seen[d] {
			out.Desks = append(out.Desks, DeskStatus{Desk: d, Name: s.team[d].Name, Problem: p})
		}
	}
	slices.SortFunc(out.Desks, func(a, b DeskStatus) int { return strings.Compare(a.Desk, b.Desk) })
	return out, nil
}
