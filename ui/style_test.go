package ui

import (
	"testing"
	"time"

	"chancery/search"
)

func TestTrimLeadIn(t *testing.T) {
	tests := []struct {
		name string
		in   search.Snippet
		want string
	}{
		{"short lead-in kept", search.Snippet{{Text: "An "}, {Text: "oil", Match: true}, {Text: " spill"}}, "An «oil» spill"},
		{"cut word dropped", search.Snippet{{Text: "…ords Nigeria's "}, {Text: "oil", Match: true}}, "… Nigeria's «oil»"},
		{"cut word after separator dropped", search.Snippet{{Text: " … ords Nigeria's "}, {Text: "oil", Match: true}}, "… Nigeria's «oil»"},
		{"markdown stripped", search.Snippet{{Text: "## Core **message.** An "}, {Text: "oil", Match: true}}, "Core message. An «oil»"},
		{"list marker dropped", search.Snippet{{Text: " … otes). - Ghana is bearing "}, {Text: "oil", Match: true}}, "… Ghana is bearing «oil»"},
		{"list marker dropped after shortening", search.Snippet{{Text: " … icer (notes). **Our message (Director).** - Ghana is bearing the consequences of an "}, {Text: "oil", Match: true}}, "… Ghana is bearing the consequences of an «oil»"},
		{"spaces collapsed", search.Snippet{{Text: "a\n\n  b "}, {Text: "oil", Match: true}}, "a b «oil»"},
		{"long lead-in shortened at a word", search.Snippet{
			{Text: "The delegation of the Republic met the minister of water resources at length before the "},
			{Text: "spill", Match: true},
		}, "… of water resources at length before the «spill»"},
		{"match first", search.Snippet{{Text: "oil", Match: true}, {Text: " **x**"}}, "«oil» x"},
		{"no match: a lead read from its start", search.Snippet{{Text: "Executive Secretary · Beninese national, in office since 2023; previously at the Niger Basin Authority …"}},
			"Executive Secretary · Beninese national, in office since 2023; previously at the Niger Basin Authority …"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := trimLeadIn(tt.in, snippetContext).String(); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{thousands(0), "0"},
		{thousands(999), "999"},
		{thousands(10952), "10,952"},
		{thousands(1234567), "1,234,567"},
		{plural(1, "item", "items"), "1 item"},
		{plural(1234, "item", "items"), "1,234 items"},
		{formatTook(3100 * time.Microsecond), "3.1 ms"},
		{formatTook(42 * time.Millisecond), "42 ms"},
		{formatTook(1500 * time.Millisecond), "1.5 s"},
		{reliabilityWords("B2"), "B2 — usually reliable source, information probably true"},
		{reliabilityWords("F"), "F — source reliability cannot be judged"},
		{languageNames("en", "fr", "ha", "xx"), "English, French, Hausa, xx"},
		{countryNames([]string{"NGA", "CIV"}), "Nigeria, Côte d'Ivoire"},
		{formatDate(time.Date(1957, 1, 1, 0, 0, 0, 0, time.UTC)), "1957"},
		{formatDate(time.Date(2026, 11, 3, 15, 0, 0, 0, time.UTC)), "3 Nov 2026"},
		{formatDate(time.Time{}), ""},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}
