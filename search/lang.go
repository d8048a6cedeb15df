package search

import (
	"unicode"

	"github.com/abadojack/whatlanggo"
)

// Analysed languages: each has its own body field with its own analyzer. Text in any other
// language goes to the plain field (Unicode words, lower-cased, no stemming).
var languages = []struct {
	code, field, analyzer string
	fuzzy                 bool // typo tolerance makes sense (alphabetic scripts)
}{
	{"en", "body_en", "en", true},
	{"fr", "body_fr", "fr", true},
	{"es", "body_es", "es", true},
	{"ru", "body_ru", "ru", true},
	{"ar", "body_ar", "ar", true},
	{"zh", "body_cjk", "cjk", false},
	{"", "body", "standard", true},
}

// bodyField returns the body field for a language code.
func bodyField(lang string) string {
	switch lang {
	case "ja", "ko":
		lang = "zh"
	}
	for _, l := range languages {
		if l.code == lang {
			return l.field
		}
	}
	return "body"
}

// latinCandidates are the languages whatlanggo may answer for Latin-script text: the UN's
// and the European languages a ministry meets most, so short texts are not mistaken for a
// rare language.
var latinCandidates = map[whatlanggo.Lang]bool{
	whatlanggo.Eng: true, whatlanggo.Fra: true, whatlanggo.Spa: true, whatlanggo.Deu: true,
	whatlanggo.Por: true, whatlanggo.Ita: true, whatlanggo.Nld: true, whatlanggo.Pol: true,
}

// DetectLanguage guesses the ISO 639-1 code of a text's language: by script first (Arabic,
// Cyrillic, Han, Kana, Hangul), then by trigrams among common Latin-script languages. It
// returns "" when it cannot tell.
func DetectLanguage(text string) string {
	if len(text) > 4000 {
		text = text[:4000]
	}
	var latin, arabic, cyrillic, han, kana, hangul, letters int
	for _, r := range text {
		if !unicode.IsLetter(r) {
			continue
		}
		letters++
		switch {
		case unicode.Is(unicode.Latin, r):
			latin++
		case unicode.Is(unicode.Arabic, r):
			arabic++
		case unicode.Is(unicode.Cyrillic, r):
			cyrillic++
		case unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r):
			kana++
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		}
	}
	if letters < 3 {
		return ""
	}
	switch {
	case arabic*2 > letters:
		return "ar"
	case cyrillic*2 > letters:
		return "ru"
	case kana > 0 && (kana+han)*2 > letters:
		return "ja"
	case hangul*2 > letters:
		return "ko"
	case han*2 > letters:
		return "zh"
	case latin*2 <= letters:
		return ""
	}
	// Trigrams of a few hundred characters decide as well as the whole text, at a fraction
	// of the cost.
	sample := text
	if len(sample) > 800 {
		sample = sample[:800]
	}
	info := whatlanggo.DetectWithOptions(sample, whatlanggo.Options{Whitelist: latinCandidates})
	if info.Confidence < 0.1 && letters < 40 {
		return ""
	}
	return info.Lang.Iso6391()
}
