package search

import (
	"time"

	"github.com/blevesearch/bleve/v2/analysis/datetime/timestamp/microseconds"
	"github.com/blevesearch/bleve/v2/analysis/datetime/timestamp/milliseconds"
	"github.com/blevesearch/bleve/v2/analysis/datetime/timestamp/nanoseconds"
	"github.com/blevesearch/bleve/v2/analysis/datetime/timestamp/seconds"
	bdocument "github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bsearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/collector"
	index "github.com/blevesearch/bleve_index_api"
)

// The snippet pass reads the stored fields of the top hits itself, from the index snapshot
// its search read, by the hits' numbers in it: Bleve would look each hit up by ID, copy
// every stored field of it (the whole body in each language, twice: as bytes, then as a
// string) and keep them in a document, where the snippets need each body field once, as
// text, and a hit a few short fields. The values are those Bleve gives (a text field's
// text, a date in its layout (RFC 3339), a field stored more than once as the list of its values in
// order), checked against the hit by its stored ID; anything else (another kind of index,
// a snapshot other than the one searched, a number that is not the hit's) is read as
// Bleve reads it.

// The fields read are kept with the snapshot's expansions (expand.go), by document number,
// for the next searches while the index does not change: the top hits of one keystroke are
// mostly those of the one before. A kept entry is used only for the same fields and the
// same ID; the maps are shared, and only read.

// storedEntry is the stored fields of one document, as read for want.
type storedEntry struct {
	id     string
	want   string // the fields asked for, joined
	fields map[string]any
}

// maxStored is how many documents' stored fields a snapshot keeps at most (the bodies of
// UN statements are 20 to 60 kB).
const maxStored = 128

// readerOf returns a handler maker for the top-N collector that records the snapshot a
// search reads in *r.
func readerOf(r *index.IndexReader) bsearch.MakeDocumentMatchHandler {
	return func(sctx *bsearch.SearchContext) (bsearch.DocumentMatchHandler, bool, error) {
		*r = sctx.IndexReader
		return collector.MakeTopNDocumentMatchHandler(sctx)
	}
}

// storedReader reads the stored fields of documents of one scorch snapshot by number.
type storedReader struct {
	kept    *expansions // the snapshot's, or nil
	snap    *scorch.IndexSnapshot
	segs    []*scorch.SegmentSnapshot
	offsets []uint64 // by segment: the number of its first document
}

func newStoredReader(r index.IndexReader, kept *expansions) *storedReader {
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	s := &storedReader{kept: kept, snap: snap, segs: snap.Segments()}
	var running uint64
	for _, seg := range s.segs {
		s.offsets = append(s.offsets, running)
		running += seg.Segment().Count()
	}
	return s
}

// fields returns the stored values of the fields in want (wantKey: their names joined) of
// the hit d, as Bleve's SearchRequest.Fields gives them; false when d cannot be read by its
// number here.
func (s *storedReader) fields(d *bsearch.DocumentMatch, want map[string]bool, wantKey string) (map[string]any, bool) {
	n, ok := docNum(d.IndexInternalID)
	if !ok {
		return nil, false
	}
	if s.kept != nil {
		e, ok := kept(s.kept, s.kept.stored, n)
		if ok && e.id == d.ID && e.want == wantKey {
			return e.fields, true
		}
	}
	out, ok := s.read(d, n, want)
	if ok && s.kept != nil {
		keep(s.kept, s.kept.stored, n, storedEntry{d.ID, wantKey, out}, maxStored)
	}
	return out, ok
}

// read reads the fields in want of d, document n, from its segment.
func (s *storedReader) read(d *bsearch.DocumentMatch, n uint64, want map[string]bool) (map[string]any, bool) {
	seg := -1
	for i := len(s.offsets) - 1; i >= 0; i-- {
		if s.offsets[i] <= n {
			seg = i
			break
		}
	}
	if seg < 0 {
		return nil, false
	}
	out := map[string]any{}
	add := func(name string, v any) {
		switch prev := out[name].(type) {
		case nil:
			out[name] = v
		case []any:
			out[name] = append(prev, v)
		default:
			out[name] = []any{prev, v}
		}
	}
	idOK, fail := false, false
	err := s.segs[seg].VisitDocument(n-s.offsets[seg], func(name string, typ byte, val []byte, _ []uint64) bool {
		if name == "_id" {
			idOK = string(val) == d.ID
			return true
		}
		if !want[name] {
			return true
		}
		switch typ {
		case 't':
			add(name, string(val))
		case 'd':
			t, layout, err := bdocument.NewDateTimeFieldFromBytes(name, nil, val).DateTime()
			if err != nil {
				return true // as Bleve: a value it cannot read is left out
			}
			switch layout {
			case "":
				add(name, t.Format(time.RFC3339))
			case seconds.Name, milliseconds.Name, microseconds.Name, nanoseconds.Name:
				fail = true // a timestamp: not one of ours
				return false
			default:
				add(name, t.Format(layout)) // as Bleve formats a date with its layout
			}
		default:
			fail = true // no other kind of field is stored for hits
			return false
		}
		return true
	})
	if err != nil || fail || !idOK {
		return nil, false
	}
	return out, true
}
