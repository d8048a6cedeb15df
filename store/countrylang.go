package store

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

//go:generate go run ./internal/countrygen -out countrynames.go

// CountryNames are a country's names in the six UN languages and its demonyms, by language
// code (ar, zh, en, fr, ru, es): the common name first, then the ISO and official names.
// Demonyms are given for English and French (masculine, then feminine). The table is
// generated from Debian's iso-codes and the world-countries package (countrynames.go,
// docs/country-names.md).
type CountryNames struct {
	Alpha3   string
	Names    map[string][]string
	Demonyms map[string][]string
}

// UNLanguages are the codes of the six UN languages, in the order names are shown.
var UNLanguages = []string{"ar", "zh", "en", "fr", "ru", "es"}

// NamesOf returns a country's names and demonyms (copies the caller may change); ok is
// false for an unknown code or a historical entry, which has none.
func NamesOf(alpha3 string) (n CountryNames, ok bool) {
	i, ok := countryNameIdx().byCode[strings.ToUpper(strings.TrimSpace(alpha3))]
	if !ok {
		return CountryNames{}, false
	}
	n = countryNameTable[i]
	n.Names, n.Demonyms = cloneNames(n.Names), cloneNames(n.Demonyms)
	return n, true
}

func cloneNames(m map[string][]string) map[string][]string {
	out := maps.Clone(m)
	for k, v := range out {
		out[k] = slices.Clone(v)
	}
	return out
}

// LookupCountryName finds a country by one of its names in the six UN languages or by a
// demonym ("Togo", "togolais", "Того", "Togolese", "多哥", "توغو"), ignoring case, accents
// and punctuation; codes are not names (LookupCountry reads them). The English names of
// the historical entries ("Yugoslavia") are read too. A plural of a demonym
// ("Nigerians", "togolaises") is read as the demonym. A name that several countries share
// ("Congolese", "Dominican") finds nothing, unless it is one of their English table names.
func LookupCountryName(s string) (Country, bool) {
	k := FoldCountryName(s)
	if k == "" {
		return Country{}, false
	}
	names := countryNameIdx()
	code, ok := names.byTableName[k]
	if !ok {
		code, ok = names.byKey[k]
	}
	if !ok && len(k) > 3 && strings.HasSuffix(k, "s") {
		code, ok = names.byDemonym[strings.TrimSuffix(k, "s")]
	}
	if !ok || code == "" {
		return Country{}, false
	}
	return LookupCountry(code)
}

// FoldCountryName is the form names are compared in: lower case, without accents, Arabic
// vowel marks or tatweel, alef forms as bare alef, every run of punctuation and spaces one
// space ("Côte d’Ivoire" and "cote d'ivoire" are "cote d ivoire").
func FoldCountryName(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == 'ـ':
			continue
		case r == 'أ' || r == 'إ' || r == 'آ' || r == 'ٱ':
			r = 'ا'
		case r == 'ى':
			r = 'ي'
		}
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		space = true
	}
	return norm.NFC.String(b.String())
}

// countryNameIndex maps each folded name and demonym to its alpha-3 code ("" when several
// countries share it).
type countryNameIndex struct {
	byTableName map[string]string // the English names of countryTable, historical ones too
	byKey       map[string]string
	byDemonym   map[string]string
	byCode      map[string]int
}

var countryNameIdx = sync.OnceValue(func() countryNameIndex {
	idx := countryNameIndex{byTableName: map[string]string{}, byKey: map[string]string{}, byDemonym: map[string]string{}, byCode: map[string]int{}}
	for _, c := range countryTable {
		idx.byTableName[FoldCountryName(c.Name)] = c.Alpha3
	}
	put := func(m map[string]string, k, code string) {
		if k == "" {
			return
		}
		if old, dup := m[k]; dup && old != code {
			m[k] = "" // shared: ambiguous
			return
		}
		m[k] = code
	}
	for i, n := range countryNameTable {
		idx.byCode[n.Alpha3] = i
		for _, vs := range n.Names {
			for _, v := range vs {
				put(idx.byKey, FoldCountryName(v), n.Alpha3)
			}
		}
		for _, vs := range n.Demonyms {
			for _, v := range vs {
				put(idx.byKey, FoldCountryName(v), n.Alpha3)
				put(idx.byDemonym, FoldCountryName(v), n.Alpha3)
			}
		}
	}
	return idx
})
