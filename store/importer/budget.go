package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"

	"chancery/store/extract"
)

// DefaultMemoryBudget is what the documents being read at one time may use together, by
// default: every worker of an import draws on this one budget.
const DefaultMemoryBudget int64 = 1 << 30

// budget is a weighted semaphore of bytes, shared by an import's workers: what they hold
// together never exceeds total. A request larger than total waits for the whole of it.
type budget struct {
	mu    sync.Mutex
	total int64
	used  int64
	freed chan struct{} // closed (and replaced) at each release
}

func newBudget(total int64) *budget {
	return &budget{total: max(total, 1), freed: make(chan struct{})}
}

// acquire waits until n bytes (at most the whole budget, at least 1) are free, or ctx is
// done, and returns what it took.
func (b *budget) acquire(ctx context.Context, n int64) (int64, error) {
	n = min(max(n, 1), b.total)
	for {
		b.mu.Lock()
		if b.used+n <= b.total {
			b.used += n
			b.mu.Unlock()
			return n, nil
		}
		freed := b.freed
		b.mu.Unlock()
		select {
		case <-freed:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

// release gives back what acquire took.
func (b *budget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	close(b.freed)
	b.freed = make(chan struct{})
	b.mu.Unlock()
}

func (b *budget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Parsing multiplies a file's size: what reading one may use at its peak, per byte of the
// parts read (measured: 7.8 MB of HTML took 600 MB; a DOCX part's unpacked bytes are held,
// parsed and turned into text, about three times over).
const (
	htmlCostFactor = 80
	docxCostFactor = 3
	pdfCostBase    = 64 << 20
	pdfCostFactor  = 16
)

// readCost estimates what reading the document file name (its bytes data) may use at its
// peak: for a DOCX, from the unpacked sizes its archive declares for the parts read (a zip
// bomb declares gigabytes); for HTML, from its size; for a PDF, the engine's working memory
// and its size.
func readCost(name string, data []byte) int64 {
	n := int64(len(data))
	switch strings.ToLower(filepath.Ext(name)) {
	case ".docx":
		zr, err := zip.NewReader(bytes.NewReader(data), n)
		if err != nil {
			return 2 * n
		}
		var unpacked int64
		for _, f := range zr.File {
			if l := strings.ToLower(f.Name); strings.HasSuffix(l, ".xml") || strings.HasSuffix(l, ".rels") {
				unpacked += int64(min(f.UncompressedSize64, 1<<40))
			}
		}
		return n + docxCostFactor*min(unpacked, DocumentLimits.Memory+1)
	case ".html", ".htm", ".xhtml":
		return htmlCostFactor * n
	case ".pdf":
		return min(pdfCostBase+pdfCostFactor*n, DocumentLimits.Memory)
	}
	return 2 * n
}

// grantedLimits are the limits for reading the file name once granted bytes of the budget:
// a DOCX may unpack only its share, so one whose archive lied about its sizes, or that
// needs more than the whole budget, is refused instead of overrunning it.
func grantedLimits(name string, granted int64) extract.Limits {
	lim := DocumentLimits
	if strings.EqualFold(filepath.Ext(name), ".docx") {
		lim.Memory = max(min(lim.Memory, granted/docxCostFactor), 1)
	}
	return lim
}
