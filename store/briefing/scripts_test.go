package briefing

import (
	"reflect"
	"testing"
)

func TestSplitScripts(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []piece
	}{
		{"plain text", []piece{{"plain text", script{}}}},
		{"Line: مرحبا بالعالم end.", []piece{{"Line: ", script{}}, {"مرحبا بالعالم", scriptArabic}, {" end.", script{}}}},
		{"中文文本。", []piece{{"中文文本。", scriptChinese}}},
		{"Русский 中文, 한국어 and ひらがな", []piece{{"Русский ", script{}}, {"中文", scriptChinese}, {", ", script{}}, {"한국어", scriptKorean}, {" and ", script{}}, {"ひらがな", scriptJapanese}}},
		{"שלום 12 עולם", []piece{{"שלום 12 עולם", scriptHebrew}}},
	} {
		if got := splitScripts(c.in); !reflect.DeepEqual(got, c.want) {
			t.Errorf("splitScripts(%q) = %+v, want %+v", c.in, got, c.want)
		}
	}
}
