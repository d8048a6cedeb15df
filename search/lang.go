package search

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
