package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"unicode"

	"github.com/abadojack/whatlanggo"
)

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

// keyLanguagesFilled is the setting that records that fillLanguages has run.
const keyLanguagesFilled = "filled:language"

// fillLanguages gives a language, once, to the items a Chancery before this one saved
// without one: it detected their language each time it indexed them, and now the store
// fills it when an item is saved (normalize). The change sequence does not move: the
// language filled is the one the index already used.
func (db *DB) fillLanguages(ctx context.Context) error {
	if _, err := db.Setting(ctx, keyLanguagesFilled); !errors.Is(err, ErrNotFound) {
		return err // nil: filled already
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, title, body FROM items WHERE language = ''")
		if err != nil {
			return fmt.Errorf("store: fill languages: %w", err)
		}
		filled := map[string]string{}
		for rows.Next() {
			var id, title, body string
			if err := rows.Scan(&id, &title, &body); err != nil {
				rows.Close()
				return fmt.Errorf("store: fill languages: %w", err)
			}
			if l := DetectLanguage(title + "\n" + body); l != "" {
				filled[id] = l
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("store: fill languages: %w", err)
		}
		for id, l := range filled {
			if _, err := tx.ExecContext(ctx, "UPDATE items SET language = ? WHERE id = ?", l, id); err != nil {
				return fmt.Errorf("store: fill languages: %w", err)
			}
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO settings(key, value) VALUES (?, '1') ON CONFLICT(key) DO UPDATE SET value = '1'", keyLanguagesFilled)
		return err
	})
}
