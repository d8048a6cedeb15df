package extract

import (
	"strings"
	"unicode"
)

// Some PDF producers write the ToUnicode map of a font with UTF-8 bytes where UTF-16 is
// required: "М" (U+041C, UTF-8 D0 9C) is mapped to <D09C>, which PDFium then reads as the
// Hangul syllable U+D09C. pdf.js issue 20232 is such a file (poppler warns "Invalid entry in
// bfrange block in ToUnicode CMap" and reads it right). fixUTF8AsUTF16 undoes this on a page
// when every Hangul syllable on it has that shape and the decoded letters are nearly all of
// one alphabetic script; a page of real Korean has syllables of every shape and is left alone.
func fixUTF8AsUTF16(page string) string {
	var (
		candidates int
		scripts    = map[*unicode.RangeTable]int{}
	)
	for _, r := range page {
		if d, ok := utf8AsUTF16(r); ok {
			candidates++
			if t := scriptOf(d); t != nil {
				scripts[t]++
			}
			continue
		}
		if unicode.Is(unicode.Hangul, r) {
			return page // real Hangul on the page
		}
	}
	if candidates < 3 {
		return page
	}
	best := 0
	for _, n := range scripts {
		best = max(best, n)
	}
	if best*10 < candidates*9 {
		return page
	}
	return strings.Map(func(r rune) rune {
		if d, ok := utf8AsUTF16(r); ok {
			return d
		}
		return r
	}, page)
}

// utf8AsUTF16 reads r as the two bytes of a UTF-8 sequence for U+0080..U+07FF.
func utf8AsUTF16(r rune) (rune, bool) {
	hi, lo := r>>8, r&0xff
	if r > 0xffff || hi < 0xc2 || hi > 0xdf || lo < 0x80 || lo > 0xbf {
		return 0, false
	}
	return (hi&0x1f)<<6 | lo&0x3f, true
}

var twoByteScripts = []*unicode.RangeTable{unicode.Cyrillic, unicode.Greek, unicode.Hebrew, unicode.Arabic, unicode.Armenian, unicode.Latin, unicode.Syriac, unicode.Thaana}

func scriptOf(r rune) *unicode.RangeTable {
	for _, t := range twoByteScripts {
		if unicode.Is(t, r) {
			return t
		}
	}
	return nil
}
