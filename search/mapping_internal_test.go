package search

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"
)

// TestMappingIsItsVersion: the mapping the table of fields builds is the one recorded for
// MappingVersion (testdata/mapping-v<version>.json). A change to the mapping needs a new
// MappingVersion, so that older indexes are rebuilt, and a new file.
func TestMappingIsItsVersion(t *testing.T) {
	want, err := os.ReadFile("testdata/mapping-v" + MappingVersion + ".json")
	if err != nil {
		t.Fatalf("no mapping recorded for version %s: %v", MappingVersion, err)
	}
	got, err := json.MarshalIndent(newMapping(), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("the mapping is not that of version %s: give it a new MappingVersion\n%s", MappingVersion, got)
	}
}
