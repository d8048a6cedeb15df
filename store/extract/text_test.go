package extract

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

func encodeWith(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %q: %v", s, err)
	}
	return b
}

const (
	textRU = "Министерство иностранных дел сообщает, что переговоры продолжатся в понедельник в Женеве."
	textFR = "Le ministère a reçu l'ambassadeur à l'hôtel; « très cordial », dit-on — café offert."
	textDE = "Die Botschaft in Wien bestätigt: Gespräche über Zölle fanden am Dienstag statt."
)

func TestDecodeText(t *testing.T) {
	le := xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM)
	be := xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"UTF-8", []byte(textRU), textRU},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, textFR...), textFR},
		{"UTF-16 LE with BOM", append([]byte{0xFF, 0xFE}, encodeWith(t, le, textDE)...), textDE},
		{"UTF-16 BE with BOM", append([]byte{0xFE, 0xFF}, encodeWith(t, be, textRU)...), textRU},
		{"UTF-16 LE without BOM", encodeWith(t, le, textFR), textFR},
		{"UTF-16 BE without BOM", encodeWith(t, be, textDE), textDE},
		{"Windows-1252", encodeWith(t, charmap.Windows1252, textFR), textFR},
		{"Windows-1252, German", encodeWith(t, charmap.Windows1252, textDE), textDE},
		{"Windows-1251", encodeWith(t, charmap.Windows1251, textRU), textRU},
		{"KOI8-R", encodeWith(t, charmap.KOI8R, textRU), textRU},
		{"Windows-1251, a short line", encodeWith(t, charmap.Windows1251, "Привет, мир"), "Привет, мир"},
		{"KOI8-R, a short line", encodeWith(t, charmap.KOI8R, "Привет, мир"), "Привет, мир"},
		{"Windows-1251, mixed with Latin", encodeWith(t, charmap.Windows1251, "Ref. MFA/2024/17: "+textRU), "Ref. MFA/2024/17: " + textRU},
		{"empty", nil, ""},
		{"form feed and escape are text", []byte("page one\fpage two \x1b[1m"), "page one\fpage two \x1b[1m"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeText(tt.data)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDecodeTextRefusals(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00")
	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), bytes.Repeat([]byte{0, 1, 2, 3, 0xff}, 100)...)
	controls := bytes.Repeat([]byte("ab\x01\x02\x03\x04"), 100)
	for name, data := range map[string][]byte{"PNG": png, "ELF": elf, "control bytes": controls, "one NUL in text": []byte("hello\x00world, a longer line of text")} {
		t.Run(name, func(t *testing.T) {
			_, err := DecodeText(data)
			var ref *Refusal
			if !errors.As(err, &ref) || ref.Reason != "not a text file (it contains binary data)" {
				t.Errorf("err = %v, want the binary-data refusal", err)
			}
		})
	}
}

// TestDecodeTextAlwaysUTF8 feeds invalid UTF-8 of several kinds: whatever is decoded, the
// result is valid UTF-8.
func TestDecodeTextAlwaysUTF8(t *testing.T) {
	for _, data := range [][]byte{
		[]byte("abc \xff\xfe\xfd def"),
		[]byte("\xEF\xBB\xBFbom then \xc3\x28 bad"),
		[]byte("\xFF\xFEodd length"),
		append([]byte{0xFE, 0xFF}, 0xD8, 0x00, 0x00, 0x41), // lone surrogate
		[]byte("cut in a rune: \xe2\x82"),
	} {
		s, err := DecodeText(data)
		if err != nil {
			var ref *Refusal
			if !errors.As(err, &ref) {
				t.Errorf("%q: error %v is not a *Refusal", data, err)
			}
			continue
		}
		if !utf8.ValidString(s) {
			t.Errorf("%q decoded to invalid UTF-8 %q", data, s)
		}
	}
}

func TestTextReader(t *testing.T) {
	r, err := As(context.Background(), Text, []byte("line one\r\nline two\rline three\n\n\n"), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Text != "line one\nline two\nline three" || r.Format != Text || r.Empty {
		t.Errorf("got %+v", r)
	}
	r, err = As(context.Background(), Text, []byte(" \n\t\n"), Limits{})
	if err != nil || !r.Empty || r.Reason != "no text" {
		t.Errorf("blank file: %+v, %v", r, err)
	}
	long := strings.Repeat("A paragraph of the cable.\n\n", 10000)
	r, err = As(context.Background(), Text, []byte(long), Limits{MaxText: 1000})
	if err != nil || len(r.Text) > 1000 || !strings.HasSuffix(r.Text, "cable.") {
		t.Errorf("MaxText 1000: %d bytes, ends %q, err %v", len(r.Text), r.Text[max(0, len(r.Text)-20):], err)
	}
	if _, err := File(context.Background(), "photo.txt", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), Limits{}); err == nil || !strings.Contains(err.Error(), "binary data") {
		t.Errorf("binary .txt: err = %v", err)
	}
}

func FuzzText(f *testing.F) {
	for _, s := range []string{textRU, textFR, "\xEF\xBB\xBFbom", "\xFF\xFEa\x00b\x00", "a\x00b\x00c\x00d\x00", "\x00a\x00b\x00c\x00d", "abc \xff def", "\x00\x01\x02"} {
		f.Add([]byte(s))
	}
	f.Add(encodeWith(f, charmap.KOI8R, textRU))
	f.Add(encodeWith(f, charmap.Windows1251, textRU))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeText(data)
		if err == nil && !utf8.ValidString(s) {
			t.Fatalf("DecodeText gave invalid UTF-8 %q", s)
		}
		r, err := As(context.Background(), Text, data, Limits{Time: 10 * time.Second})
		checkOutcome(t, r, err)
	})
}
