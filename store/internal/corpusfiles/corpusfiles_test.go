package corpusfiles_test

import (
	"os"
	"testing"

	"chancery/store/internal/corpusfiles"
)

// The manifest lists every data file of the corpus, with a known class, and each is there
// with the size it says.
func TestManifestMatchesFiles(t *testing.T) {
	dir, rows := corpusfiles.ForTest(t)
	perFolder := map[string]int{}
	classes := map[string]bool{"ok": true, "broken": true, "encrypted": true, "scanned": true, "non-latin": true, "huge": true}
	for _, r := range rows {
		perFolder[r.Folder]++
		if !classes[r.Class] {
			t.Errorf("%s/%s: unknown class %q", r.Folder, r.File, r.Class)
		}
		st, err := os.Stat(r.Path(dir))
		if err != nil {
			t.Errorf("%s/%s: %v", r.Folder, r.File, err)
			continue
		}
		if st.Size() != r.Size {
			t.Errorf("%s/%s: %d bytes, the manifest says %d", r.Folder, r.File, st.Size(), r.Size)
		}
	}
	// The counts the corpus README gives in its summary table.
	for folder, want := range map[string]int{"pdf": 119, "docx": 45, "html": 117, "vcard": 20, "md": 86} {
		if perFolder[folder] != want {
			t.Errorf("%s: %d rows, want %d", folder, perFolder[folder], want)
		}
	}
}
