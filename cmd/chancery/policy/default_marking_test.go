package policy

import (
	"strings"
	"testing"
)

func TestDefaultMarking(t *testing.T) {
	p, err := Load(write(t, "max_class = \"CONFIDENTIAL\"\ndefault_marking = \"restricted\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p.DefaultClass != "RESTRICTED" || p.Options().DefaultClass != "RESTRICTED" {
		t.Errorf("default_marking: policy %q, options %q; want RESTRICTED", p.DefaultClass, p.Options().DefaultClass)
	}
	if s := p.Summary(); !strings.Contains(s, "new items RESTRICTED") {
		t.Errorf("the summary (About, chancery check) does not say the default marking: %q", s)
	}
	for text, want := range map[string]string{
		"default_marking = \"TOP SECRET\"\n":                         "TOP SECRET is not one of the markings",
		"max_class = \"RESTRICTED\"\ndefault_marking = \"SECRET\"\n": "above max_class",
	} {
		if _, err := Load(write(t, text)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want it to say %q", text, err, want)
		}
	}
}
