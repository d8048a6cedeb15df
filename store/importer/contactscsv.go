package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"chancery/store"
)

// csvColumn says where a CSV column goes. Columns are matched by their header, ignoring case
// and spaces, so both Outlook's ("First Name", "E-mail Address", "Business Street") and
// Google's ("Given Name", "E-mail 1 - Value", "Organization 1 - Name") exports are read.
type csvColumn struct {
	field string // "given", "family", "name", "honorific", "title", "role", "org", "email", "phone", "address", "notes", "tags"
	label string // for email, phone, address
	part  int    // for address: the order of the part within its address
}

var csvColumns = map[string]csvColumn{
	"firstname": {field: "given"}, "givenname": {field: "given"},
	"lastname": {field: "family"}, "familyname": {field: "family"}, "surname": {field: "family"},
	"name": {field: "name"}, "displayname": {field: "name"}, "fullname": {field: "name"},
	"title": {field: "honorific"}, "nameprefix": {field: "honorific"}, "prefix": {field: "honorific"},
	"jobtitle": {field: "title"}, "organization1-title": {field: "title"},
	"organisation1-title": {field: "title"},
	"role":                {field: "role"}, "profession": {field: "role"}, "organization1-jobdescription": {field: "role"},
	"company": {field: "org"}, "organization": {field: "org"}, "organisation": {field: "org"},
	"organization1-name": {field: "org"}, "organisation1-name": {field: "org"},
	"e-mailaddress": {field: "email"}, "emailaddress": {field: "email"}, "email": {field: "email"},
	"e-mail2address": {field: "email"}, "e-mail3address": {field: "email"},
	"mobilephone": {field: "phone", label: "cell"}, "businessphone": {field: "phone", label: "work"},
	"businessphone2": {field: "phone", label: "work"}, "homephone": {field: "phone", label: "home"},
	"homephone2": {field: "phone", label: "home"}, "otherphone": {field: "phone"},
	"primaryphone": {field: "phone"}, "businessfax": {field: "phone", label: "fax"},
	"phone": {field: "phone"}, "telephone": {field: "phone"},
	"notes": {field: "notes"}, "note": {field: "notes"},
	"categories": {field: "tags"}, "groupmembership": {field: "tags"}, "labels": {field: "tags"},
}

func init() {
	// Google: "E-mail 1 - Value", "Phone 2 - Value", "Address 1 - Formatted"...
	for i := 1; i <= 9; i++ {
		n := fmt.Sprint(i)
		csvColumns["e-mail"+n+"-value"] = csvColumn{field: "email", label: "#e-mail" + n + "-type"}
		csvColumns["phone"+n+"-value"] = csvColumn{field: "phone", label: "#phone" + n + "-type"}
		csvColumns["address"+n+"-formatted"] = csvColumn{field: "address", label: "#address" + n + "-type"}
	}
	// Outlook: Business/Home/Other Street, City, State, Postal Code, Country/Region.
	for _, where := range []string{"business", "home", "other"} {
		label := map[string]string{"business": "work", "home": "home", "other": ""}[where]
		for i, part := range []string{"street", "street2", "street3", "city", "state", "postalcode", "country", "country/region"} {
			csvColumns[where+part] = csvColumn{field: "address", label: label, part: i + 1}
		}
	}
}

// csvKey is a header as csvColumns has it: lower case, no spaces.
func csvKey(h string) string {
	return strings.ToLower(strings.Join(strings.Fields(h), ""))
}

// decodeText returns data as UTF-8: without a BOM; UTF-16 with a BOM decoded; otherwise
// as is when valid UTF-8, else as Windows-1252 (Outlook's export on Western Windows).
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte("\xff\xfe")), bytes.HasPrefix(data, []byte("\xfe\xff")):
		return decodeCharset(data, "utf-16")
	case utf8.Valid(data):
		return string(data)
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(out)
}

// readContactsCSV reads an Outlook or Google contacts CSV export: one contact per row,
// columns matched by header. A row that cannot be read is an error naming its line.
func readContactsCSV(name string, data []byte) ([]contact, []RecordError) {
	text := decodeText(data)
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty file")
		}
		return nil, []RecordError{{"line 1", fmt.Errorf("header: %w", err)}}
	}
	if len(header) == 1 && strings.Count(header[0], ";") > 0 {
		// A semicolon-separated export (Excel in many European locales).
		r = csv.NewReader(strings.NewReader(text))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = ';', -1, true
		header, _ = r.Read()
	}
	cols := make([]csvColumn, len(header))
	keys := map[string]int{}
	known := 0
	for i, h := range header {
		k := csvKey(h)
		keys[k] = i
		if c, ok := csvColumns[k]; ok {
			cols[i] = c
			known++
		}
	}
	if known == 0 {
		return nil, []RecordError{{"line 1", errors.New("no known contact column (First Name, Given Name, E-mail Address, ...) in the header")}}
	}
	var out []contact
	var errs []RecordError
	for row := 1; ; row++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		var line int
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			errs = append(errs, RecordError{fmt.Sprintf("line %d", line), err})
			if pe == nil {
				break
			}
			continue
		}
		line, _ = r.FieldPos(0)
		if row > maxCards {
			errs = append(errs, RecordError{fmt.Sprintf("line %d", line), fmt.Errorf("more than %d rows; the rest is not read", maxCards)})
			break
		}
		c, err := csvRowToContact(rec, cols, keys)
		if err == nil {
			err = c.item.CheckLengths()
		}
		if err != nil {
			errs = append(errs, RecordError{fmt.Sprintf("line %d", line), err})
			continue
		}
		c.item.SourceKey = contentKey(c.item)
		c.legacy = "csv:" + recordHash(name, row)
		c.item.Source = "CSV file " + name
		out = append(out, c)
	}
	return out, errs
}

func csvRowToContact(rec []string, cols []csvColumn, keys map[string]int) (contact, error) {
	ct := &store.Contact{}
	var c contact
	var name, notes string
	var tags []string
	type addr struct {
		label string
		parts map[int]string
	}
	addrs := map[string]*addr{}
	var addrOrder []string
	cell := func(k string) string {
		if i, ok := keys[k]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	for i, v := range rec {
		if i >= len(cols) {
			break
		}
		v = strings.TrimSpace(v)
		col := cols[i]
		if v == "" || col.field == "" {
			continue
		}
		label := col.label
		if strings.HasPrefix(label, "#") {
			label = strings.ToLower(strings.TrimLeft(cell(label[1:]), "* "))
		}
		switch col.field {
		case "given":
			ct.GivenName = v
		case "family":
			ct.FamilyName = v
		case "name":
			name = v
		case "honorific":
			ct.Honorific = v
		case "title":
			ct.JobTitle = v
		case "role":
			ct.Role = v
		case "org":
			c.org = v
		case "notes":
			notes = v
		case "tags":
			for _, t := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ':' }) {
				t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "*"))
				if t != "" && !strings.EqualFold(t, "myContacts") {
					tags = append(tags, strings.TrimSpace(t))
				}
			}
		case "email":
			for _, e := range strings.Split(v, ":::") { // Google puts several in one cell
				if e = strings.TrimSpace(e); e != "" {
					ct.Emails = appendLabeled(ct.Emails, store.Labeled{Label: label, Value: e})
				}
			}
		case "phone":
			for _, p := range strings.Split(v, ":::") {
				if p = strings.TrimSpace(p); p != "" {
					ct.Phones = appendLabeled(ct.Phones, store.Labeled{Label: label, Value: p})
				}
			}
		case "address":
			key := fmt.Sprintf("%d/%s", i, label)
			if col.part > 0 {
				key = "part/" + label
			}
			a, ok := addrs[key]
			if !ok {
				a = &addr{label: label, parts: map[int]string{}}
				addrs[key] = a
				addrOrder = append(addrOrder, key)
			}
			a.parts[col.part] = strings.Join(strings.Fields(v), " ")
		}
	}
	for _, k := range addrOrder {
		a := addrs[k]
		var parts []string
		for p := 0; p <= 8; p++ {
			if v, ok := a.parts[p]; ok {
				parts = append(parts, v)
			}
		}
		ct.Addresses = appendLabeled(ct.Addresses, store.Labeled{Label: a.label, Value: strings.Join(parts, ", ")})
	}
	it := store.Item{Kind: store.KindContact, Contact: ct, Body: notes, Tags: tags, Title: name}
	if it.Title == "" {
		it.Title = strings.Join(nonEmpty(ct.Honorific, ct.GivenName, ct.FamilyName), " ")
	}
	if it.Title == "" && len(ct.Emails) > 0 {
		it.Title = ct.Emails[0].Value
	}
	if it.Title == "" {
		it.Title = c.org
	}
	if it.Title == "" {
		return c, errors.New("row has no name, email or company")
	}
	c.item = it
	return c, nil
}
