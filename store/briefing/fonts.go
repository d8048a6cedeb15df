package briefing

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"

	"github.com/go-fonts/dejavu/dejavusans"
	"github.com/go-fonts/dejavu/dejavusansbold"
	"github.com/go-fonts/dejavu/dejavusansoblique"
	"golang.org/x/image/font/sfnt"
)

// The PDF is set in DejaVu Sans (embedded through github.com/go-fonts/dejavu; the DejaVu
// fonts' licence is the Bitstream Vera licence with DejaVu changes, free to embed and
// redistribute), which covers Latin, Cyrillic and Greek. DejaVu has no Chinese, Japanese or
// Korean glyphs, and a CJK TrueType font is some 4 MB or more, so one is not built in: the
// PDF writer looks for one on this computer when it writes (cjkFontPaths: on Windows,
// Microsoft YaHei and SimSun, which every Windows 10 and 11 has, are collections), and prints
// a placeholder with a Notice when it finds none.

// cjkFontEnv names an environment variable that may point at a TrueType font for Chinese,
// Japanese and Korean text; it is tried first.
const cjkFontEnv = "CHANCERY_CJK_FONT"

// cjkFontPaths lists fonts with CJK glyphs where systems keep them, best first: TrueType
// files, and TrueType collections (.ttc), whose first font is taken out (firstOfCollection).
// CFF-outline fonts (.otf, such as Noto Sans CJK) are skipped: the PDF library reads only
// TrueType outlines. Tests replace it.
var cjkFontPaths = func() []string {
	var ps []string
	if p := os.Getenv(cjkFontEnv); p != "" {
		ps = append(ps, p)
	}
	switch runtime.GOOS {
	case "windows":
		win := os.Getenv("WINDIR")
		if win == "" {
			win = `C:\Windows`
		}
		// Microsoft YaHei and SimSun come with every Windows 10 and 11; SimHei, KaiTi and
		// FangSong with the Chinese supplemental fonts.
		for _, f := range []string{"simhei.ttf", "msyh.ttc", "simsun.ttc", "simkai.ttf", "simfang.ttf", "malgun.ttf", "arialuni.ttf"} {
			ps = append(ps, filepath.Join(win, "Fonts", f))
		}
	case "darwin":
		ps = append(ps, "/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
			"/System/Library/Fonts/STHeiti Light.ttc", "/System/Library/Fonts/STHeiti Medium.ttc")
	default:
		ps = append(ps,
			"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // Debian, Ubuntu: fonts-droid-fallback
			"/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/TTF/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
			"/usr/share/fonts/truetype/arphic-bkai00mp/bkai00mp.ttf",
			"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", // fonts-wqy-zenhei
			"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
			"/usr/share/fonts/wenquanyi/wqy-zenhei/wqy-zenhei.ttc",
		)
	}
	return ps
}

// face is a font the PDF uses, with what it covers.
type face struct {
	family string
	ttf    []byte
	sf     *sfnt.Font
	buf    sfnt.Buffer
}

func newFace(family string, ttf []byte) (*face, error) {
	sf, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	return &face{family: family, ttf: ttf, sf: sf}, nil
}

// has reports whether the font has a glyph for r.
func (f *face) has(r rune) bool {
	if f == nil {
		return false
	}
	i, err := f.sf.GlyphIndex(&f.buf, r)
	return err == nil && i != 0
}

var latinStyles = map[string][]byte{"": dejavusans.TTF, "B": dejavusansbold.TTF, "I": dejavusansoblique.TTF}

// findCJKFont returns the first CJK font found on this computer, or nil.
func findCJKFont() *face {
	for _, p := range cjkFontPaths() {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		if data, err = firstOfCollection(data); err != nil {
			continue
		}
		if len(data) < 4 || string(data[:4]) == "OTTO" {
			continue // CFF outlines
		}
		f, err := newFace("cjk", data)
		if err != nil || !f.has('中') {
			continue
		}
		return f
	}
	return nil
}

// firstOfCollection returns the first font of a TrueType collection (a .ttc file, "ttcf") as a
// font file of its own: its table directory, then its tables, each at its new offset. Data
// that is not a collection is returned as it is.
func firstOfCollection(data []byte) ([]byte, error) {
	if len(data) < 16 || string(data[:4]) != "ttcf" {
		return data, nil
	}
	be := binary.BigEndian
	if be.Uint32(data[8:]) == 0 {
		return nil, errors.New("empty font collection")
	}
	off := int(be.Uint32(data[12:]))
	if off+12 > len(data) {
		return nil, errors.New("font collection: offset table out of range")
	}
	n := int(be.Uint16(data[off+4:]))
	dir := off + 12
	if dir+16*n > len(data) {
		return nil, errors.New("font collection: table directory out of range")
	}
	head := 12 + 16*n
	out := make([]byte, head, len(data))
	copy(out, data[off:off+12])
	for i := range n {
		rec := data[dir+16*i : dir+16*i+16]
		start, length := int(be.Uint32(rec[8:])), int(be.Uint32(rec[12:]))
		if start < 0 || length < 0 || start+length > len(data) {
			return nil, errors.New("font collection: table out of range")
		}
		copy(out[12+16*i:], rec[:8]) // tag and checksum
		be.PutUint32(out[12+16*i+8:], uint32(len(out)))
		be.PutUint32(out[12+16*i+12:], uint32(length))
		out = append(out, data[start:start+length]...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out, nil
}
