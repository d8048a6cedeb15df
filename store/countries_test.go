package store

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

func TestLookupCountry(t *testing.T) {
	tests := []struct {
		in     string
		alpha3 string // "" when no match is expected
	}{
		{"NGA", "NGA"},
		{"NG", "NGA"},
		{"nga", "NGA"},
		{"ng", "NGA"},
		{"Nigeria", "NGA"},
		{"nigeria", "NGA"},
		{"NIGERIA", "NGA"},
		{" Nigeria ", "NGA"},
		{"GBR", "GBR"},
		{"gb", "GBR"},
		{"United Kingdom", "GBR"},
		{"United States", "USA"},
		{"us", "USA"},
		{"Russia", "RUS"},
		{"Iran", "IRN"},
		{"Bolivia", "BOL"},
		{"Viet Nam", "VNM"},
		{"Côte d'Ivoire", "CIV"},
		{"CÔTE D'IVOIRE", "CIV"},
		{"Türkiye", "TUR"},
		{"TÜRKIYE", "TUR"},
		{"Åland Islands", "ALA"},
		{"ax", "ALA"},
		{"Congo", "COG"},
		{"Democratic Republic of the Congo", "COD"},
		{"Namibia", "NAM"},
		{"NA", "NAM"},
		{"YUG", "YUG"},
		{"Yugoslavia", "YUG"},
		{"csk", "CSK"},
		{"DDR", "DDR"},
		{"YMD", "YMD"},
		{"EU", "EU"},
		{"eu", "EU"},
		{"European Union", "EU"},
		{"", ""},
		{"   ", ""},
		{"XX", ""},
		{"XXX", ""},
		{"ZZZZ", ""},
		{"Nigeri", ""},
		{"Atlantis", ""},
		{"Russian Federation", ""}, // only the table's own name is matched
	}
	for _, tt := range tests {
		c, ok := LookupCountry(tt.in)
		if tt.alpha3 == "" {
			if ok {
				t.Errorf("LookupCountry(%q) = %+v, true; want no match", tt.in, c)
			}
			continue
		}
		if !ok {
			t.Errorf("LookupCountry(%q): no match; want %s", tt.in, tt.alpha3)
			continue
		}
		if c.Alpha3 != tt.alpha3 {
			t.Errorf("LookupCountry(%q) = %+v; want %s", tt.in, c, tt.alpha3)
		}
	}
}

func TestLookupCountryHistorical(t *testing.T) {
	tests := []struct {
		in         string
		historical bool
	}{
		{"NGA", false},
		{"DEU", false},
		{"YUG", true},
		{"CSK", true},
		{"DDR", true},
		{"YMD", true},
		{"EU", true},
	}
	for _, tt := range tests {
		c, ok := LookupCountry(tt.in)
		if !ok {
			t.Errorf("LookupCountry(%q): no match", tt.in)
			continue
		}
		if c.Historical != tt.historical {
			t.Errorf("LookupCountry(%q).Historical = %v; want %v", tt.in, c.Historical, tt.historical)
		}
	}
}

// TestLookupCountryEveryEntry checks that every entry is found by each of its codes and by its
// name, in upper and lower case.
func TestLookupCountryEveryEntry(t *testing.T) {
	for _, c := range Countries() {
		for _, k := range []string{c.Alpha3, c.Alpha2, c.Name} {
			if k == "" {
				continue
			}
			for _, s := range []string{k, strings.ToLower(k), strings.ToUpper(k)} {
				got, ok := LookupCountry(s)
				if !ok || got != c {
					t.Errorf("LookupCountry(%q) = %+v, %v; want %+v", s, got, ok, c)
				}
			}
		}
	}
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func TestCountryCodes(t *testing.T) {
	alpha3 := map[string]bool{}
	alpha2 := map[string]string{}
	names := map[string]string{}
	current := 0
	for _, c := range Countries() {
		if n := len(c.Alpha3); n < 2 || n > 3 || !isUpperASCII(c.Alpha3) {
			t.Errorf("%+v: Alpha3 %q is not 2-3 upper-case letters", c, c.Alpha3)
		}
		if alpha3[c.Alpha3] {
			t.Errorf("Alpha3 %q appears twice", c.Alpha3)
		}
		alpha3[c.Alpha3] = true
		if c.Name == "" {
			t.Errorf("%+v: empty Name", c)
		}
		if prev, dup := names[countryKey(c.Name)]; dup {
			t.Errorf("name %q is used by %s and %s", c.Name, prev, c.Alpha3)
		}
		names[countryKey(c.Name)] = c.Alpha3
		if c.Alpha2 != "" {
			if len(c.Alpha2) != 2 || !isUpperASCII(c.Alpha2) {
				t.Errorf("%+v: Alpha2 %q is not 2 upper-case letters", c, c.Alpha2)
			}
			if prev, dup := alpha2[c.Alpha2]; dup {
				t.Errorf("Alpha2 %q is used by %s and %s", c.Alpha2, prev, c.Alpha3)
			}
			alpha2[c.Alpha2] = c.Alpha3
		}
		if c.Historical {
			continue
		}
		current++
		if len(c.Alpha3) != 3 {
			t.Errorf("%+v: current entry without a 3-letter Alpha3", c)
		}
		if len(c.Alpha2) != 2 {
			t.Errorf("%+v: current entry without a 2-letter Alpha2", c)
		}
	}
	if current < 249 {
		t.Errorf("%d current (non-historical) entries; want at least 249", current)
	}
}

func TestCountriesSorted(t *testing.T) {
	cs := Countries()
	if len(cs) != len(countryTable) {
		t.Fatalf("Countries() has %d entries; the table has %d", len(cs), len(countryTable))
	}
	for i := 1; i < len(cs); i++ {
		if compareCountryNames(cs[i-1].Name, cs[i].Name) >= 0 {
			t.Errorf("Countries() not sorted by name: %q before %q", cs[i-1].Name, cs[i].Name)
		}
	}
	// Accents and case do not move a name out of its place.
	pos := func(name string) int {
		return slices.IndexFunc(cs, func(c Country) bool { return c.Name == name })
	}
	for _, pair := range [][2]string{
		{"Afghanistan", "Åland Islands"},
		{"Åland Islands", "Albania"},
		{"Costa Rica", "Côte d'Ivoire"},
		{"Côte d'Ivoire", "Croatia"},
		{"Tunisia", "Türkiye"},
		{"Türkiye", "Turkmenistan"},
	} {
		if a, b := pos(pair[0]), pos(pair[1]); a < 0 || b < 0 || a > b {
			t.Errorf("%q (at %d) should come before %q (at %d)", pair[0], a, pair[1], b)
		}
	}
}

func TestCountriesReturnsCopy(t *testing.T) {
	cs := Countries()
	first := cs[0]
	cs[0].Name = "Changed"
	cs[0].Alpha3 = "ZZZ"
	if again := Countries(); again[0] != first {
		t.Errorf("changing the result of Countries() changed the table: %+v", again[0])
	}
	if c, ok := LookupCountry(first.Alpha3); !ok || c != first {
		t.Errorf("changing the result of Countries() changed LookupCountry: %+v, %v", c, ok)
	}
	if _, ok := LookupCountry("ZZZ"); ok {
		t.Error(`LookupCountry("ZZZ") found the changed copy`)
	}
}

// ungdCorpus is the UN General Debate corpus, relative to this package's folder (the project's
// shared folder sits beside its root).
var ungdCorpus = filepath.Join("..", "..", "shared", "corpora", "ungd", "ungd-1946-2024.jsonl.gz")

// TestUNGDCountriesResolve checks that every country code in the UN General Debate corpus is
// in the table under that very alpha-3 code.
func TestUNGDCountriesResolve(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the UN General Debate corpus scan in -short mode")
	}
	f, err := os.Open(ungdCorpus)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("UN General Debate corpus not found at %s: skipping the check that its country codes resolve", ungdCorpus)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// gzip(1) when there is one: compress/gzip under the race detector takes half a minute.
	var zr io.Reader
	if gz, err := exec.LookPath("gzip"); err == nil {
		cmd := exec.Command(gz, "-dc")
		cmd.Stdin = f
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		defer cmd.Wait()
		zr = out
	} else {
		gr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatalf("%s: %v", ungdCorpus, err)
		}
		defer gr.Close()
		zr = gr
	}

	// Read the country field from each line's head: decoding 200 MB of JSON takes minutes
	// under the race detector.
	counts := map[string]int{}
	countryRE := regexp.MustCompile(`"country":\s*"([^"]*)"`)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for records := 1; sc.Scan(); records++ {
		head := sc.Bytes()[:min(300, len(sc.Bytes()))]
		m := countryRE.FindSubmatch(head)
		if m == nil {
			t.Fatalf("%s: record %d has no country field in its first 300 bytes", ungdCorpus, records)
		}
		counts[string(m[1])]++
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", ungdCorpus, err)
	}
	if len(counts) == 0 {
		t.Fatalf("%s: no records", ungdCorpus)
	}
	for code, n := range counts {
		c, ok := LookupCountry(code)
		switch {
		case !ok:
			t.Errorf("UNGD country code %q (%d statements) does not resolve", code, n)
		case c.Alpha3 != code:
			t.Errorf("UNGD country code %q (%d statements) resolves to %+v, not to that alpha-3 code", code, n, c)
		}
	}
	if !t.Failed() {
		t.Logf("%d distinct country codes in %s, all resolved", len(counts), ungdCorpus)
	}
}
