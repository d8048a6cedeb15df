package briefing

import (
	"encoding/binary"
	"testing"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"golang.org/x/image/font/sfnt"
)

// collection builds a TrueType collection of fonts, each table copied to a new offset.
func collection(fonts ...[]byte) []byte {
	be := binary.BigEndian
	out := make([]byte, 12+4*len(fonts))
	copy(out, "ttcf")
	be.PutUint32(out[4:], 0x00010000)
	be.PutUint32(out[8:], uint32(len(fonts)))
	for i, f := range fonts {
		be.PutUint32(out[12+4*i:], uint32(len(out)))
		n := int(be.Uint16(f[4:]))
		dir := len(out)
		out = append(out, f[:12+16*n]...)
		for j := range n {
			rec := f[12+16*j:]
			start, length := be.Uint32(rec[8:]), be.Uint32(rec[12:])
			be.PutUint32(out[dir+12+16*j+8:], uint32(len(out)))
			out = append(out, f[start:start+length]...)
			for len(out)%4 != 0 {
				out = append(out, 0)
			}
		}
	}
	return out
}

func TestFirstOfCollection(t *testing.T) {
	ttc := collection(dejavusans.TTF, dejavusansbold.TTF)
	got, err := firstOfCollection(ttc)
	if err != nil {
		t.Fatal(err)
	}
	f, err := sfnt.Parse(got)
	if err != nil {
		t.Fatalf("the font taken out does not parse: %v", err)
	}
	want, _ := sfnt.Parse(dejavusans.TTF)
	var buf sfnt.Buffer
	for _, id := range []sfnt.NameID{sfnt.NameIDFull} {
		g, _ := f.Name(&buf, id)
		w, _ := want.Name(&buf, id)
		if g != w {
			t.Errorf("name %q, want %q (the first font of the collection)", g, w)
		}
	}
	for _, r := range "AЖλ€" {
		gi, err1 := f.GlyphIndex(&buf, r)
		wi, err2 := want.GlyphIndex(&buf, r)
		if err1 != nil || err2 != nil || gi != wi || gi == 0 {
			t.Errorf("%q: glyph %d (%v), want %d (%v)", r, gi, err1, wi, err2)
		}
	}
	// A plain font passes through; a broken collection is an error, not a panic.
	if same, err := firstOfCollection(dejavusans.TTF); err != nil || len(same) != len(dejavusans.TTF) {
		t.Errorf("a plain font changed: %d bytes, %v", len(same), err)
	}
	for _, bad := range [][]byte{ttc[:20], ttc[:100], append([]byte("ttcf"), make([]byte, 12)...)} {
		if _, err := firstOfCollection(bad); err == nil {
			t.Errorf("a cut collection of %d bytes was taken", len(bad))
		}
	}
}
