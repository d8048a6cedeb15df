package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"testing"
)

// TestBudgetAccounting: what workers hold together never exceeds the budget; a request
// larger than the whole budget waits for all of it; a cancelled wait takes nothing.
func TestBudgetAccounting(t *testing.T) {
	ctx := context.Background()
	b := newBudget(100)
	g1, err := b.acquire(ctx, 60)
	if err != nil || g1 != 60 || b.inUse() != 60 {
		t.Fatalf("first: granted %d, in use %d, %v", g1, b.inUse(), err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if g, err := b.acquire(cancelled, 60); err == nil || g != 0 || b.inUse() != 60 {
		t.Fatalf("a request beyond what is left was granted %d (in use %d, %v)", g, b.inUse(), err)
	}
	got := make(chan int64)
	go func() {
		g, _ := b.acquire(ctx, 60)
		got <- g
	}()
	b.release(g1) // lets the waiting request in
	if g := <-got; g != 60 || b.inUse() != 60 {
		t.Fatalf("after a release: granted %d, in use %d", g, b.inUse())
	}
	b.release(60)
	if g, err := b.acquire(ctx, 5000); err != nil || g != 100 || b.inUse() != 100 {
		t.Fatalf("a request above the budget: granted %d, in use %d, %v; want the whole budget", g, b.inUse(), err)
	}
	b.release(100)
	if b.inUse() != 0 {
		t.Fatalf("in use %d after every release", b.inUse())
	}
}

// zipBomb is a DOCX whose document part unpacks to n bytes of blanks, after name (which
// makes each one's bytes distinct).
func zipBomb(t *testing.T, n int, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.Create("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>` + name))
	blank := bytes.Repeat([]byte(" "), 1<<20)
	for range n >> 20 {
		w.Write(blank)
	}
	w.Write([]byte(`</w:t></w:r></w:p></w:body></w:document>`))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestReadCostOfADOCXBomb: a zip bomb costs the whole budget, and what it may unpack is a
// share of what it was granted, so a small budget refuses it.
func TestReadCostOfADOCXBomb(t *testing.T) {
	bomb := zipBomb(t, 48<<20, "")
	if c := readCost("bomb.docx", bomb); c < 3*(48<<20) {
		t.Errorf("a DOCX unpacking to 48 MB costs %d MB, want at least 144 MB", c>>20)
	}
	lim := grantedLimits("bomb.docx", 30<<20)
	if lim.Memory > 10<<20 {
		t.Errorf("a DOCX granted 30 MB may unpack %d MB, want at most 10 MB", lim.Memory>>20)
	}
	if c := readCost("page.html", make([]byte, 1<<20)); c < 32<<20 {
		t.Errorf("a 1 MB HTML file costs %d MB, want at least 32 MB (parsing multiplies it)", c>>20)
	}
}
