package search

import (
	"path/filepath"
	"testing"
)

// SegmentsResidentKiB is how many KiB of the index's segment files (dir's *.zap) are
// resident in this process's maps.
func SegmentsResidentKiB(t *testing.T, dir string) int64 {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "store", "*.zap"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no segment files under %s (%v)", dir, err)
	}
	for i, p := range paths {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			paths[i] = r
		}
	}
	return residentKiB(t, paths)
}
