package searchtest

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
)

// The ways Damage breaks an index on disk: what a failing disk, a careless tool or a
// person does to a folder. The index is a cache: after each, it repairs itself.
const (
	Deleted          = "deleted"                 // the whole index folder
	TruncatedSegment = "segment truncated"       // the largest segment file cut short
	GarbageMeta      = "garbage in its metadata" // index_meta.json or store/root.bolt overwritten
	ZeroByte         = "a zero-byte file"        // a segment, root.bolt or index_meta.json emptied
	Unreadable       = "unreadable permissions"  // files made mode 000 (root reads them anyway)
)

// DamageKinds lists every way, in a fixed order.
var DamageKinds = []string{Deleted, TruncatedSegment, GarbageMeta, ZeroByte, Unreadable}

// Damage breaks the index in dir (closed) in the way named, varied by round (which file,
// how much), and says in words what it did.
func Damage(dir, kind string, round int) (string, error) {
	rng := rand.New(rand.NewPCG(uint64(round), 14))
	meta := filepath.Join(dir, "index_meta.json")
	root := filepath.Join(dir, "store", "root.bolt")
	switch kind {
	case Deleted:
		return "removed " + dir, os.RemoveAll(dir)
	case TruncatedSegment:
		seg, size, err := largestSegment(dir)
		if err != nil {
			return "", err
		}
		to := size * int64(1+rng.IntN(7)) / 8
		return fmt.Sprintf("cut %s from %d to %d bytes", seg, size, to), os.Truncate(seg, to)
	case GarbageMeta:
		file := []string{meta, root}[round%2]
		st, err := os.Stat(file)
		if err != nil {
			return "", err
		}
		b := make([]byte, max(64, st.Size()))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		return fmt.Sprintf("wrote %d random bytes over %s", len(b), file), os.WriteFile(file, b, 0o600)
	case ZeroByte:
		file := []string{"", root, meta}[round%3]
		if file == "" {
			seg, _, err := largestSegment(dir)
			if err != nil {
				return "", err
			}
			file = seg
		}
		return "emptied " + file, os.Truncate(file, 0)
	case Unreadable:
		seg, _, err := largestSegment(dir)
		if err != nil {
			return "", err
		}
		files := [][]string{{seg}, {meta}, {root}, {seg, meta, root}}[round%4]
		for _, f := range files {
			if err := os.Chmod(f, 0); err != nil {
				return "", err
			}
		}
		return fmt.Sprintf("made %v unreadable (mode 000)", files), nil
	}
	return "", fmt.Errorf("searchtest: no damage called %q", kind)
}

// largestSegment is the index's largest segment file and its size.
func largestSegment(dir string) (string, int64, error) {
	files, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(files) == 0 {
		return "", 0, fmt.Errorf("searchtest: no segment files in %s (%v)", dir, err)
	}
	size := func(p string) int64 {
		st, _ := os.Stat(p)
		if st == nil {
			return 0
		}
		return st.Size()
	}
	slices.SortFunc(files, func(a, b string) int { return int(size(b) - size(a)) })
	return files[0], size(files[0]), nil
}
