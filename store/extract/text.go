package extract

import (
	"bytes"
	"context"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// readText reads a plain-text file in any common encoding (see DecodeText).
func readText(ctx context.Context, data []byte, lim Limits) (Result, error) {
	s, err := DecodeText(data)
	if err != nil {
		return Result{}, err
	}
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return Result{Text: s}, nil
}

// DecodeText turns the bytes of a plain-text file into valid UTF-8. It recognises, in this
// order: a byte-order mark (UTF-8, UTF-16 LE or BE); UTF-16 without a mark when the pattern of
// NUL bytes makes it plain (ASCII-heavy text has a NUL in every other byte); valid UTF-8; and
// otherwise an 8-bit code page chosen by a letter-frequency heuristic: Windows-1251 or KOI8-R
// for Russian-looking text, Windows-1252 for everything else. Central European code pages
// (Windows-1250, ISO-8859-2) are not told apart from Windows-1252: their text comes out with
// some wrong accented letters. Data holding NUL bytes that are not UTF-16 is refused as binary.
func DecodeText(data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD"), nil
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return decodeUTF16(data, unicode.LittleEndian, unicode.ExpectBOM)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return decodeUTF16(data, unicode.BigEndian, unicode.ExpectBOM)
	}
	if e, ok := utf16NoBOM(data); ok {
		return decodeUTF16(data, e, unicode.IgnoreBOM)
	}
	if looksBinary(data) {
		return "", refuse("not a text file (it contains binary data)")
	}
	if utf8.Valid(data) {
		return string(data), nil
	}
	s, err := guess8bit(data).NewDecoder().Bytes(data)
	if err != nil {
		return "", refuse("not a text file (its encoding cannot be read)")
	}
	return strings.ToValidUTF8(string(s), "\uFFFD"), nil
}

func decodeUTF16(data []byte, e unicode.Endianness, b unicode.BOMPolicy) (string, error) {
	s, err := unicode.UTF16(e, b).NewDecoder().Bytes(data)
	if err != nil {
		return "", refuse("not a text file (its UTF-16 encoding is damaged)")
	}
	if bytes.IndexByte(s, 0) >= 0 {
		return "", refuse("not a text file (it contains binary data)")
	}
	return strings.ToValidUTF8(string(s), "\uFFFD"), nil
}

// utf16NoBOM says whether data without a byte-order mark is UTF-16: at least 8 bytes, an even
// length, and in the first 4 KB NUL bytes in most odd positions (little-endian) or most even
// positions (big-endian) and almost none in the others.
func utf16NoBOM(data []byte) (unicode.Endianness, bool) {
	if len(data) < 8 || len(data)%2 != 0 {
		return unicode.LittleEndian, false
	}
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	var even, odd int
	for i, c := range head {
		if c != 0 {
			continue
		}
		if i%2 == 0 {
			even++
		} else {
			odd++
		}
	}
	half := len(head) / 2
	switch {
	case odd*10 >= half*6 && even*50 <= half:
		return unicode.LittleEndian, true
	case even*10 >= half*6 && odd*50 <= half:
		return unicode.BigEndian, true
	}
	return unicode.LittleEndian, false
}

// looksBinary is true when data holds a NUL byte, or when more than 1% of its first 64 KB are
// control bytes that text does not use.
func looksBinary(data []byte) bool {
	if bytes.IndexByte(data, 0) >= 0 {
		return true
	}
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	n := 0
	for _, c := range head {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1B {
			n++
		}
	}
	return n*100 > len(head)
}

// frequentRussian are the fifteen commonest lower-case letters of Russian text.
const frequentRussian = "оеаинтсрвлкмдпу"

// guess8bit picks the code page of text that is not UTF-8. When bytes 0xC0–0xFF make up more
// than a third of the letters, the text is taken as Cyrillic, and of Windows-1251 and KOI8-R
// the one whose decoding holds more of Russian's commonest lower-case letters wins (the two
// place lower and upper case in opposite halves of that range, so the wrong one decodes
// lower-case text into mostly capitals and rare letters). Otherwise Windows-1252.
func guess8bit(data []byte) encoding.Encoding {
	head := data
	if len(head) > 64<<10 {
		head = head[:64<<10]
	}
	var high, ascii int
	for _, c := range head {
		switch {
		case c >= 0xC0:
			high++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			ascii++
		}
	}
	if high*3 <= high+ascii {
		return charmap.Windows1252
	}
	best, bestScore := encoding.Encoding(charmap.Windows1251), -1
	for _, e := range []encoding.Encoding{charmap.Windows1251, charmap.KOI8R} {
		s, err := e.NewDecoder().Bytes(head)
		if err != nil {
			continue
		}
		score := 0
		for _, r := range string(s) {
			if strings.ContainsRune(frequentRussian, r) {
				score++
			}
		}
		if score > bestScore {
			best, bestScore = e, score
		}
	}
	return best
}
