package briefing

import (
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
// PDF writer looks for one on this computer when it writes (cjkFontPaths), and prints a
// placeholder with a Notice when it finds none.

// cjkFontEnv names an environment variable that may point at a TrueType font for Chinese,
// Japanese and Korean text; it is tried first.
const cjkFontEnv = "CHANCERY_CJK_FONT"

// cjkFontPaths lists TrueType (glyf outline, not .ttc or CFF .otf, which the PDF library
// cannot read) fonts with CJK glyphs where systems keep them, best first. Tests replace it.
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
		for _, f := range []string{"simhei.ttf", "simkai.ttf", "simfang.ttf", "malgun.ttf", "arialuni.ttf"} {
			ps = append(ps, filepath.Join(win, "Fonts", f))
		}
	case "darwin":
		ps = append(ps, "/Library/Fonts/Arial Unicode.ttf", "/System/Library/Fonts/Supplemental/Arial Unicode.ttf")
	default:
		ps = append(ps,
			"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", // Debian, Ubuntu: fonts-droid-fallback
			"/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/TTF/DroidSansFallbackFull.ttf",
			"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
			"/usr/share/fonts/truetype/arphic-bkai00mp/bkai00mp.ttf",
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
		f, err := newFace("cjk", data)
		if err != nil || !f.has('中') {
			continue
		}
		return f
	}
	return nil
}
