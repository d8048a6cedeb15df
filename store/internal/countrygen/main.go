// Command countrygen writes store/countrynames.go: the names of every current ISO 3166-1
// country of the store's table in the six UN languages (Arabic, Chinese, English, French,
// Russian, Spanish) and its demonyms, from two sources:
//
//   - Debian's iso-codes (LGPL-2.1+): /usr/share/iso-codes/json/iso_3166-1.json for the
//     English names, and the translations of them in
//     /usr/share/locale/<lang>/LC_MESSAGES/iso_3166-1.mo (ar, zh_CN, zh_TW, fr, ru, es).
//     Install with `apt-get install -y iso-codes`.
//   - the npm package world-countries (ODbL-1.0): countries.json, its common and official
//     names (translations ara, zho, fra, rus, spa) and demonyms (eng, fra). Fetch with
//     `cd /tmp && npm pack world-countries && tar xzf world-countries-*.tgz`.
//
// Run from the store folder (go generate does): go run ./internal/countrygen
// [-isocodes DIR] [-locale DIR] [-world FILE] [-out FILE].
package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"chancery/store"
)

// langs are the six UN languages: our code, the gettext locales of iso-codes, the
// world-countries translation key.
var langs = []struct {
	code    string
	locales []string
	world   string
}{
	{"ar", []string{"ar"}, "ara"},
	{"zh", []string{"zh_CN", "zh_TW"}, "zho"},
	{"en", nil, ""},
	{"fr", []string{"fr"}, "fra"},
	{"ru", []string{"ru"}, "rus"},
	{"es", []string{"es"}, "spa"},
}

type isoEntry struct {
	Alpha3       string `json:"alpha_3"`
	Name         string `json:"name"`
	OfficialName string `json:"official_name"`
	CommonName   string `json:"common_name"`
}

type worldEntry struct {
	CCA3 string `json:"cca3"`
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	Translations map[string]struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"translations"`
	Demonyms map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

func main() {
	isoDir := flag.String("isocodes", "/usr/share/iso-codes/json", "iso-codes' JSON folder")
	localeDir := flag.String("locale", "/usr/share/locale", "the gettext locale folder holding iso_3166-1.mo")
	world := flag.String("world", "/tmp/package/countries.json", "world-countries' countries.json")
	out := flag.String("out", "countrynames.go", "the Go file to write")
	flag.Parse()
	if err := run(*isoDir, *localeDir, *world, *out); err != nil {
		log.Fatal("countrygen: ", err)
	}
}

func run(isoDir, localeDir, worldFile, out string) error {
	var iso struct {
		Entries []isoEntry `json:"3166-1"`
	}
	if err := readJSON(filepath.Join(isoDir, "iso_3166-1.json"), &iso); err != nil {
		return err
	}
	isoBy := map[string]isoEntry{}
	for _, e := range iso.Entries {
		isoBy[e.Alpha3] = e
	}
	var worldList []worldEntry
	if err := readJSON(worldFile, &worldList); err != nil {
		return err
	}
	worldBy := map[string]worldEntry{}
	for _, e := range worldList {
		worldBy[e.CCA3] = e
	}
	catalogs := map[string][]map[string]string{} // lang -> .mo catalogs
	for _, l := range langs {
		for _, loc := range l.locales {
			p := filepath.Join(localeDir, loc, "LC_MESSAGES", "iso_3166-1.mo")
			m, err := readMO(p)
			if err != nil {
				return err
			}
			catalogs[l.code] = append(catalogs[l.code], m)
		}
	}

	var buf bytes.Buffer
	buf.WriteString(header)
	buf.WriteString("var countryNameTable = []CountryNames{\n")
	missing := 0
	for _, c := range store.Countries() {
		if c.Historical {
			continue
		}
		ie, inISO := isoBy[c.Alpha3]
		we, inWorld := worldBy[c.Alpha3]
		if !inISO || !inWorld {
			return fmt.Errorf("%s (%s) is missing from iso-codes (%v) or world-countries (%v)", c.Alpha3, c.Name, inISO, inWorld)
		}
		names := map[string][]string{}
		add := func(lang string, vs ...string) {
			for _, v := range vs {
				v = strings.TrimSpace(v)
				if v != "" && !slices.Contains(names[lang], v) {
					names[lang] = append(names[lang], v)
				}
			}
		}
		isoNames := []string{ie.Name, ie.CommonName, ie.OfficialName}
		for _, l := range langs {
			if l.code == "en" {
				add("en", c.Name, we.Name.Common)
				add("en", isoNames...)
				add("en", we.Name.Official)
				continue
			}
			if t, ok := we.Translations[l.world]; ok {
				add(l.code, t.Common)
			}
			for _, cat := range catalogs[l.code] {
				for _, n := range isoNames {
					if n != "" {
						add(l.code, cat[n])
					}
				}
			}
			if t, ok := we.Translations[l.world]; ok {
				add(l.code, t.Official)
			}
			if len(names[l.code]) == 0 {
				missing++
				fmt.Fprintf(os.Stderr, "countrygen: no %s name for %s\n", l.code, c.Alpha3)
			}
		}
		dem := map[string][]string{}
		for lang, key := range map[string]string{"en": "eng", "fr": "fra"} {
			d, ok := we.Demonyms[key]
			if !ok {
				continue
			}
			for _, v := range []string{d.M, d.F} {
				if v = strings.TrimSpace(v); v != "" && !slices.Contains(dem[lang], v) {
					dem[lang] = append(dem[lang], v)
				}
			}
		}
		fmt.Fprintf(&buf, "\t{Alpha3: %q,\n\t\tNames: map[string][]string{", c.Alpha3)
		for _, l := range langs {
			if len(names[l.code]) > 0 {
				fmt.Fprintf(&buf, "\n\t\t\t%q: %s,", l.code, strList(names[l.code]))
			}
		}
		buf.WriteString("\n\t\t},\n")
		if len(dem) > 0 {
			buf.WriteString("\t\tDemonyms: map[string][]string{")
			for _, l := range []string{"en", "fr"} {
				if len(dem[l]) > 0 {
					fmt.Fprintf(&buf, "\n\t\t\t%q: %s,", l, strList(dem[l]))
				}
			}
			buf.WriteString("\n\t\t},\n")
		}
		buf.WriteString("\t},\n")
	}
	buf.WriteString("}\n")
	src, err := format.Source(buf.Bytes())
	if err != nil {
		return fmt.Errorf("format: %w", err)
	}
	if missing > 0 {
		fmt.Fprintf(os.Stderr, "countrygen: %d names missing\n", missing)
	}
	return os.WriteFile(out, src, 0o644)
}

const header = `// Code generated by go run ./internal/countrygen; DO NOT EDIT.

// Country names in the six UN languages and demonyms, for every current ISO 3166-1 country
// of countryTable. Sources (docs/country-names.md):
//   - Debian iso-codes 4.15 (LGPL-2.1-or-later): the ISO 3166-1 English names and their
//     translations (iso_3166-1.mo for ar, zh_CN, zh_TW, fr, ru, es);
//   - the npm package world-countries 5.1 (ODbL-1.0, © Mohammed Le Doze): common and official
//     names (translations ara, zho, fra, rus, spa) and the English and French demonyms.

package store

`

func strList(vs []string) string {
	q := make([]string, len(vs))
	for i, v := range vs {
		q[i] = fmt.Sprintf("%q", v)
	}
	return "{" + strings.Join(q, ", ") + "}"
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// readMO reads a gettext .mo catalog: msgid -> msgstr (untranslated entries left out).
func readMO(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(b) < 28 {
		return nil, fmt.Errorf("%s: too short for a .mo file", path)
	}
	var bo binary.ByteOrder
	switch binary.LittleEndian.Uint32(b) {
	case 0x950412de:
		bo = binary.LittleEndian
	case 0xde120495:
		bo = binary.BigEndian
	default:
		return nil, fmt.Errorf("%s: not a .mo file", path)
	}
	n, origs, trans := bo.Uint32(b[8:]), bo.Uint32(b[12:]), bo.Uint32(b[16:])
	str := func(table uint32, i uint32) (string, error) {
		off := table + 8*i
		if int(off)+8 > len(b) {
			return "", errors.New("table out of range")
		}
		l, o := bo.Uint32(b[off:]), bo.Uint32(b[off+4:])
		if int(o)+int(l) > len(b) {
			return "", errors.New("string out of range")
		}
		return string(b[o : o+l]), nil
	}
	m := make(map[string]string, n)
	for i := uint32(0); i < n; i++ {
		id, err := str(origs, i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s, err := str(trans, i)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if id != "" && s != "" {
			m[id] = s
		}
	}
	return m, nil
}
