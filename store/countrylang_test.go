package store_test

import (
	"testing"

	"chancery/store"
)

func TestLookupCountryName(t *testing.T) {
	tests := []struct {
		in     string
		alpha3 string // "" when no match is expected
	}{
		// Togo in the six UN languages, and its demonyms.
		{"Togo", "TGO"},
		{"togo", "TGO"},
		{"Того", "TGO"},
		{"того", "TGO"},
		{"多哥", "TGO"},
		{"توغو", "TGO"},
		{"Togolese", "TGO"},
		{"togolais", "TGO"},
		{"Togolaise", "TGO"},
		{"togolaises", "TGO"}, // a plural of a demonym
		{"République togolaise", "TGO"},
		{"republique togolaise", "TGO"},
		{"República de Togo", "TGO"},
		// Case, accents, punctuation.
		{"Côte d’Ivoire", "CIV"},
		{"cote d'ivoire", "CIV"},
		{"COTE D IVOIRE", "CIV"},
		{"Allemagne", "DEU"},
		{"Alemania", "DEU"},
		{"Германия", "DEU"},
		{"德国", "DEU"},
		{"ألمانيا", "DEU"},
		{"allemand", "DEU"},
		{"German", "DEU"},
		{"Germans", "DEU"},
		{"Nigérian", "NGA"},
		{"Nigerians", "NGA"},
		{"nigérian", "NGA"},
		{"Nigérienne", "NER"},
		{"Russian Federation", "RUS"},
		{"Российская Федерация", "RUS"},
		{"Estados Unidos", "USA"},
		{"États-Unis", "USA"},
		{"Etats Unis", "USA"},
		{"美国", "USA"},
		{"الولايات المتحدة", "USA"},
		{"Соединенные Штаты", "USA"}, // ё written as е
		{"Yugoslavia", "YUG"},        // the English name of a historical entry
		// Not names.
		{"TGO", ""}, // a code is not a name
		{"TG", ""},
		{"in", ""},
		{"Tog", ""},
		{"", ""},
		{"  ", ""},
		{"Atlantis", ""},
	}
	for _, tt := range tests {
		c, ok := store.LookupCountryName(tt.in)
		if got := c.Alpha3; !ok && got != "" || ok && got != tt.alpha3 || !ok && tt.alpha3 != "" {
			t.Errorf("LookupCountryName(%q) = %q, %v; want %q", tt.in, got, ok, tt.alpha3)
		}
	}
}

// TestCountryNamesEveryCountry checks that every current country has a name in each of the
// six UN languages, English and French demonyms where the source has them, and that each
// of its English table name and common names in the six languages finds it again.
func TestCountryNamesEveryCountry(t *testing.T) {
	noDemonym := 0
	for _, c := range store.Countries() {
		if c.Historical {
			if _, ok := store.NamesOf(c.Alpha3); ok {
				t.Errorf("NamesOf(%s): a historical entry has names", c.Alpha3)
			}
			continue
		}
		n, ok := store.NamesOf(c.Alpha3)
		if !ok {
			t.Errorf("NamesOf(%s): none", c.Alpha3)
			continue
		}
		for _, l := range store.UNLanguages {
			if len(n.Names[l]) == 0 {
				t.Errorf("%s has no %s name", c.Alpha3, l)
				continue
			}
			// A name two countries share finds neither (the Arabic الكونغو); one of
			// the country's names finds it.
			found := false
			for _, name := range n.Names[l] {
				if got, ok := store.LookupCountryName(name); ok && got.Alpha3 == c.Alpha3 {
					found = true
				} else if ok {
					t.Errorf("LookupCountryName(%q) (%s's %s name) = %s", name, c.Alpha3, l, got.Alpha3)
				}
			}
			if !found {
				t.Errorf("none of %s's %s names %q finds it", c.Alpha3, l, n.Names[l])
			}
		}
		if len(n.Demonyms["en"]) == 0 || len(n.Demonyms["fr"]) == 0 {
			noDemonym++
		}
		if got, ok := store.LookupCountryName(c.Name); !ok || got.Alpha3 != c.Alpha3 {
			t.Errorf("LookupCountryName(%q) = %s, %v", c.Name, got.Alpha3, ok)
		}
	}
	// world-countries has English and French demonyms for nearly every country; a few
	// territories have none (16 in world-countries 5.1).
	if noDemonym > 20 {
		t.Errorf("%d countries lack an English or French demonym", noDemonym)
	}
}

// TestNamesOfIsACopy checks that a caller cannot change the table through NamesOf.
func TestNamesOfIsACopy(t *testing.T) {
	n, _ := store.NamesOf("TGO")
	n.Names["en"][0] = "Atlantis"
	if again, _ := store.NamesOf("tgo"); again.Names["en"][0] != "Togo" {
		t.Fatalf("NamesOf returned the table itself: %q", again.Names["en"][0])
	}
}
