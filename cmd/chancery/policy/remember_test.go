package policy

import (
	"strings"
	"testing"
)

// remember_searches = false asks that nothing of a search be kept between runs.
func TestRememberSearches(t *testing.T) {
	tests := []struct {
		text   string
		forget bool
		err    string
	}{
		{"", false, ""},
		{"remember_searches = true\n", false, ""},
		{"remember_searches = false\n", true, ""},
		{"max_class = \"SECRET\"\nremember_searches = \"no\"\n", false, ":2: remember_searches must be true or false"},
	}
	for _, tc := range tests {
		p, err := Load(write(t, tc.text))
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: error %v, want %q", tc.text, err, tc.err)
			}
			continue
		}
		if err != nil || p.ForgetSearches != tc.forget {
			t.Errorf("%q: ForgetSearches %v (%v), want %v", tc.text, p.ForgetSearches, err, tc.forget)
		}
		if tc.forget && !strings.Contains(p.Summary(), "searches not remembered") {
			t.Errorf("summary %q", p.Summary())
		}
	}
}
