package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckReportsDamagedFolder (D9): a data folder whose database was emptied is reported
// as damaged by check (and every command), in words naming the folder, not checked as a new
// empty knowledge base.
func TestCheckReportsDamagedFolder(t *testing.T) {
	dir := t.TempDir()
	run(t, "--data", dir, "check")
	if err := os.Truncate(filepath.Join(dir, "chancery.db"), 0); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"check"}, {"search", "river"}} {
		out, err := chancery(append([]string{"--data", dir}, args...)...).CombinedOutput()
		if err == nil {
			t.Errorf("%s succeeded on a damaged folder:\n%s", args[0], out)
		}
		if strings.Contains(string(out), "database: ok") || !strings.Contains(string(out), "damaged") || !strings.Contains(string(out), dir) {
			t.Errorf("%s said:\n%s", args[0], out)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "chancery.db")); err != nil || st.Size() != 0 {
		t.Errorf("the damaged database was touched: %v, %v", st, err)
	}
}
