package store_test

import (
	"testing"

	"chancery/store"
)

func TestDetectLanguage(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"The delegation expressed concern about the pollution of the river and asked for information.", "en"},
		{"La délégation a exprimé sa préoccupation au sujet de la pollution du fleuve et a demandé des informations.", "fr"},
		{"La delegación expresó su preocupación por la contaminación del río y pidió información.", "es"},
		{"Делегация выразила обеспокоенность загрязнением реки.", "ru"},
		{"أعرب الوفد عن قلقه إزاء تلوث النهر", "ar"},
		{"代表团对河流污染表示关切", "zh"},
		{"12 34", ""},
	} {
		if got := store.DetectLanguage(tc.text); got != tc.want {
			t.Errorf("DetectLanguage(%.30q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}
