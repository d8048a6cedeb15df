package briefing

import (
	"unicode"
)

// script is a writing system the formats treat specially.
type script struct {
	name string
	rtl  bool // written right to left: the PDF cannot shape it
	cjk  bool // needs a CJK font in the PDF
}

var (
	scriptArabic   = script{name: "Arabic", rtl: true}
	scriptHebrew   = script{name: "Hebrew", rtl: true}
	scriptSyriac   = script{name: "Syriac", rtl: true}
	scriptThaana   = script{name: "Thaana", rtl: true}
	scriptChinese  = script{name: "Chinese", cjk: true}
	scriptJapanese = script{name: "Japanese", cjk: true}
	scriptKorean   = script{name: "Korean", cjk: true}
)

// scriptOf is the special script of a letter, or the zero script.
func scriptOf(r rune) script {
	switch {
	case r < 0x0590:
		return script{}
	case unicode.Is(unicode.Arabic, r):
		return scriptArabic
	case unicode.Is(unicode.Hebrew, r):
		return scriptHebrew
	case unicode.Is(unicode.Syriac, r):
		return scriptSyriac
	case unicode.Is(unicode.Thaana, r):
		return scriptThaana
	case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
		return scriptJapanese
	case unicode.Is(unicode.Hangul, r):
		return scriptKorean
	case unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF):
		return scriptChinese
	}
	return script{}
}

// piece is a stretch of text in one script class.
type piece struct {
	text string
	sc   script // zero for ordinary text
}

// isNeutral reports whether r takes the script of the text around it.
func isNeutral(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsDigit(r) || unicode.IsSymbol(r)
}

// splitScripts cuts s into pieces of one special script or ordinary text. Spaces, digits and
// punctuation between two letters of one special script stay with it; at its edges they go
// to the ordinary text.
func splitScripts(s string) []piece {
	rs := []rune(s)
	cls := make([]script, len(rs))
	for i, r := range rs {
		cls[i] = scriptOf(r)
	}
	// A neutral run (spaces, digits, punctuation of no special script) takes the script of
	// its neighbours when both sides agree.
	neutral := func(i int) bool { return cls[i].name == "" && isNeutral(rs[i]) }
	for i := 0; i < len(rs); {
		if !neutral(i) {
			i++
			continue
		}
		j := i
		for j < len(rs) && neutral(j) {
			j++
		}
		if i > 0 && j < len(rs) && cls[i-1] == cls[j] {
			for k := i; k < j; k++ {
				cls[k] = cls[j]
			}
		} else {
			for k := i; k < j; k++ {
				cls[k] = script{}
			}
		}
		i = j
	}
	var out []piece
	for i := 0; i < len(rs); {
		j := i
		for j < len(rs) && cls[j] == cls[i] {
			j++
		}
		out = append(out, piece{text: string(rs[i:j]), sc: cls[i]})
		i = j
	}
	return out
}
