package importer_test

import (
	"bytes"
	"context"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"chancery/store"
	"chancery/store/importer"
	"chancery/store/internal/corpusfiles"
	"chancery/store/storetest"
)

// contactsByTitle returns the live contacts of db by title.
func contactsByTitle(t *testing.T, db *store.DB) map[string]store.Item {
	t.Helper()
	items, err := db.List(context.Background(), store.ListOptions{Kind: store.KindContact, WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.Item{}
	for _, it := range items {
		m[it.Title] = it
	}
	return m
}

func values(ls []store.Labeled) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Label+"="+l.Value)
	}
	return out
}

const outlook21 = "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252:M\xfcller;J\xfcrgen;;Dr\r\nFN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:Dr J=FCrgen M=FCller\r\n" +
	"ORG:Ausw\xe4rtiges Amt;Referat 1\r\nTITLE;ENCODING=QUOTED-PRINTABLE:Referent=\r\n f=C3=BCr Afrika\r\n" +
	"TEL;WORK;VOICE:+49 30 1234\r\nTEL;CELL:+49 170 1\r\nEMAIL;PREF;INTERNET:J.Mueller@example.de\r\n" +
	"ADR;WORK;ENCODING=QUOTED-PRINTABLE:;;Werderscher Markt 1=0D=0AEingang B;Berlin;;10117;Germany\r\n" +
	"NOTE;ENCODING=QUOTED-PRINTABLE:Met at=0D=0Athe summit=\r\n\r\nPHOTO;TYPE=JPEG;ENCODING=BASE64:\r\n  /9j/4AAQSkZJRgABAQEASABIAAD\r\n  /2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJ\r\n\r\n" +
	"END:VCARD\r\n"

const three = `BEGIN:VCARD
VERSION:3.0
N:Okafor;Ngozi;;H.E.;
FN:H.E. Ngozi Okafor
ORG:Ministry of Foreign Affairs
TITLE:Director
EMAIL;TYPE=INTERNET,WORK:n.okafor@mfa.example
CATEGORIES:oil-spill,river
UID:okafor-1
END:VCARD
BEGIN:VCARD
VERSION:3.0
FN:No End
`

const four = `BEGIN:VCARD
VERSION:4.0
KIND:individual
FN:Simon Perreault
N:Perreault;Simon;;;ing. jr,M.Sc.
TEL;VALUE=uri;TYPE="work,voice";PREF=1:tel:+1-418-656-9254;ext=102
EMAIL;TYPE=work:simon.perreault@viagenie.ca
END:VCARD
BEGIN:VCARD
VERSION:4.0
KIND:org
FN:Viagenie
ORG:Viagenie
URL:http://www.viagenie.ca
END:VCARD
BEGIN:VCARD
VERSION:4.0
N:;;;;
END:VCARD
`

func TestImportVCard(t *testing.T) {
	tests := []struct {
		name       string
		file       string
		content    string
		failed     int // cards refused
		wantTitle  string
		wantGiven  string
		wantFamily string
		wantEmails []string
		wantPhones []string
		wantAddr   []string
		wantJob    string
		wantOrg    string
		wantBody   string
		wantTags   []string
	}{
		{name: "Outlook 2.1 QP and CHARSET", file: "outlook.vcf", content: outlook21,
			wantTitle: "Dr Jürgen Müller", wantGiven: "Jürgen", wantFamily: "Müller",
			wantEmails: []string{"=J.Mueller@example.de"}, wantPhones: []string{"work=+49 30 1234", "cell=+49 170 1"},
			wantAddr: []string{"work=Werderscher Markt 1\nEingang B, Berlin, 10117, Germany"},
			wantJob:  "Referent für Afrika", wantOrg: "Auswärtiges Amt", wantBody: "Met at\nthe summit"},
		{name: "3.0 with a cut-short card", file: "three.vcf", content: three, failed: 1,
			wantTitle: "H.E. Ngozi Okafor", wantGiven: "Ngozi", wantFamily: "Okafor",
			wantEmails: []string{"work=n.okafor@mfa.example"}, wantJob: "Director",
			wantOrg: "Ministry of Foreign Affairs", wantTags: []string{"oil-spill", "river"}},
		{name: "4.0 with an organisation and an empty card", file: "four.vcf", content: four, failed: 1,
			wantTitle: "Simon Perreault", wantGiven: "Simon", wantFamily: "Perreault",
			wantEmails: []string{"work=simon.perreault@viagenie.ca"}, wantPhones: []string{"work=+1-418-656-9254;ext=102"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, p := importOne(t, tc.file, tc.content, tc.failed, "card ")
			it, ok := contactsByTitle(t, db)[tc.wantTitle]
			if !ok {
				t.Fatalf("no contact %q in %v", tc.wantTitle, contactsByTitle(t, db))
			}
			c := it.Contact
			if c.GivenName != tc.wantGiven || c.FamilyName != tc.wantFamily || c.JobTitle != tc.wantJob {
				t.Errorf("name/job = %q %q %q", c.GivenName, c.FamilyName, c.JobTitle)
			}
			if got := values(c.Emails); !slices.Equal(got, tc.wantEmails) {
				t.Errorf("emails = %q, want %q", got, tc.wantEmails)
			}
			if got := values(c.Phones); !slices.Equal(got, tc.wantPhones) {
				t.Errorf("phones = %q, want %q", got, tc.wantPhones)
			}
			if got := values(c.Addresses); !slices.Equal(got, tc.wantAddr) {
				t.Errorf("addresses = %q, want %q", got, tc.wantAddr)
			}
			if it.Body != tc.wantBody {
				t.Errorf("body = %q, want %q", it.Body, tc.wantBody)
			}
			if !slices.Equal(it.Tags, tc.wantTags) {
				t.Errorf("tags = %q, want %q", it.Tags, tc.wantTags)
			}
			if tc.wantOrg != "" {
				org, err := db.Get(ctx, c.OrgID)
				if err != nil || org.Title != tc.wantOrg || org.Kind != store.KindOrganisation {
					t.Errorf("organisation = %q %v, want %q", org.Title, err, tc.wantOrg)
				}
				if !slices.Contains(it.Links, store.Link{From: it.ID, To: c.OrgID, Rel: "member-of"}) {
					t.Errorf("no member-of link: %v", it.Links)
				}
			}
			// Importing the same file again changes nothing.
			before, _ := db.Stats(ctx)
			if _, err := importer.Import(ctx, db, []string{p}, importer.Options{}); err != nil {
				t.Fatal(err)
			}
			after, _ := db.Stats(ctx)
			if before.Live != after.Live {
				t.Errorf("re-import: %d items, then %d", before.Live, after.Live)
			}
		})
	}
}

func TestImportVCardOrganisation(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	p := write(t, t.TempDir(), "four.vcf", four)
	if _, err := importer.Import(ctx, db, []string{p}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	orgs, err := db.List(ctx, store.ListOptions{Kind: store.KindOrganisation})
	if err != nil || len(orgs) != 1 || orgs[0].Title != "Viagenie" || orgs[0].Organisation.Website != "http://www.viagenie.ca" {
		t.Fatalf("organisations = %+v, %v", orgs, err)
	}
}

// win1252 encodes s (Latin-1 letters only) as Windows-1252.
func win1252(s string) string {
	var b []byte
	for _, r := range s {
		if r > 0xff {
			panic(r)
		}
		b = append(b, byte(r))
	}
	return string(b)
}

func TestImportContactsCSV(t *testing.T) {
	outlook := win1252("\"First Name\",\"Middle Name\",\"Last Name\",\"Title\",\"Company\",\"Job Title\",\"Business Street\",\"Business City\",\"Business Postal Code\",\"Business Country/Region\",\"Mobile Phone\",\"Business Phone\",\"E-mail Address\",\"Notes\",\"Categories\"\r\n" +
		"\"François\",\"\",\"Lefèvre\",\"M.\",\"Ministère des Affaires étrangères\",\"Conseiller\",\"37 quai d'Orsay\",\"Paris\",\"75007\",\"France\",\"+33 6 1\",\"+33 1 2\",\"f.lefevre@diplomatie.example\",\"Déjeuner, \"\"mardi\"\"\",\"Europe;VIP\"\r\n" +
		"\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n")
	google := "\xef\xbb\xbfName,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,E-mail 2 - Type,E-mail 2 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Organization 1 - Title,Address 1 - Type,Address 1 - Formatted\n" +
		"Amaka Eze,Amaka,Eze,* myContacts ::: Lagos,* Work,a.eze@example.ng,Home,amaka@example.com,Mobile,+234 80 1,Ministry of Environment,Permanent Secretary,Work,\"1 Marina\nLagos\"\n" +
		",,,,,,,,,,,,,\n"
	tests := []struct {
		name, file, content string
		failed              int
		title               string
		want                store.Contact
		wantOrg, wantBody   string
		wantTags            []string
	}{
		{name: "Outlook, Windows-1252", file: "outlook.csv", content: outlook, failed: 1, title: "M. François Lefèvre",
			want: store.Contact{Honorific: "M.", GivenName: "François", FamilyName: "Lefèvre", JobTitle: "Conseiller",
				Emails:    []store.Labeled{{Value: "f.lefevre@diplomatie.example"}},
				Phones:    []store.Labeled{{Label: "cell", Value: "+33 6 1"}, {Label: "work", Value: "+33 1 2"}},
				Addresses: []store.Labeled{{Label: "work", Value: "37 quai d'Orsay, Paris, 75007, France"}}},
			wantOrg: "Ministère des Affaires étrangères", wantBody: `Déjeuner, "mardi"`, wantTags: []string{"europe", "vip"}},
		{name: "Google, UTF-8 with BOM", file: "google.csv", content: google, failed: 1, title: "Amaka Eze",
			want: store.Contact{GivenName: "Amaka", FamilyName: "Eze", JobTitle: "Permanent Secretary",
				Emails:    []store.Labeled{{Label: "work", Value: "a.eze@example.ng"}, {Label: "home", Value: "amaka@example.com"}},
				Phones:    []store.Labeled{{Label: "mobile", Value: "+234 80 1"}},
				Addresses: []store.Labeled{{Label: "work", Value: "1 Marina Lagos"}}},
			wantOrg: "Ministry of Environment", wantTags: []string{"lagos"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			db, _ := importOne(t, tc.file, tc.content, tc.failed, "line ")
			it, ok := contactsByTitle(t, db)[tc.title]
			if !ok {
				t.Fatalf("no contact %q in %v", tc.title, contactsByTitle(t, db))
			}
			got := *it.Contact
			org, err := db.Get(ctx, got.OrgID)
			if err != nil || org.Title != tc.wantOrg {
				t.Errorf("organisation = %q %v, want %q", org.Title, err, tc.wantOrg)
			}
			got.OrgID = ""
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("contact =\n%+v\nwant\n%+v", got, tc.want)
			}
			if it.Body != tc.wantBody || !slices.Equal(it.Tags, tc.wantTags) {
				t.Errorf("body, tags = %q %q, want %q %q", it.Body, it.Tags, tc.wantBody, tc.wantTags)
			}
		})
	}
}

func TestImportContactsBadFileKeepsBatch(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	good := write(t, dir, "good.vcf", three)
	notVCard := write(t, dir, "junk.vcf", "\x00\x01 not a card")
	noColumns := write(t, dir, "junk.csv", "a,b,c\n1,2,3\n")
	rep, err := importer.Import(ctx, db, []string{notVCard, good, noColumns}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Saved != 2 { // the contact and its organisation
		t.Errorf("saved %d, want 2", rep.Saved)
	}
	var paths []string
	for _, f := range rep.Failed {
		paths = append(paths, filepath.Base(f.Path))
	}
	slices.Sort(paths)
	if !slices.Equal(paths, []string{"good.vcf", "junk.csv", "junk.vcf"}) {
		t.Errorf("failed = %v", rep.Failed)
	}
}

// TestVCardRoundTrip: contacts and organisations exported as vCard 4.0 and imported again
// have the same fields.
func TestVCardRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	dir := t.TempDir()
	for _, f := range []struct{ name, content string }{{"outlook.vcf", outlook21}, {"three.vcf", three}, {"four.vcf", four}} {
		if _, err := importer.Import(ctx, db, []string{write(t, dir, f.name, f.content)}, importer.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	items, err := db.List(ctx, store.ListOptions{WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	// What vCard has no property for travels too: marking, countries, last contact; and
	// the languages spoken, as LANG.
	for i := range items {
		it := &items[i]
		it.Class, it.Countries = "RESTRICTED", []string{"NGA", "BEN"}
		if it.Contact != nil {
			it.Contact.Languages = []string{"fr", "ha"}
			it.Contact.LastContact = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)
		}
		if *it, err = db.Save(ctx, *it); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	exp, err := importer.ExportVCards(ctx, db, &buf, importer.ExportFilter{Ceiling: "RESTRICTED"})
	if err != nil {
		t.Fatal(err)
	}
	n := exp.Written
	if n != len(items) {
		t.Fatalf("wrote %d cards for %d items", n, len(items))
	}
	if !strings.Contains(buf.String(), "VERSION:4.0") {
		t.Fatalf("not vCard 4.0:\n%s", buf.String())
	}
	db2 := storetest.Open(t)
	p := write(t, dir, "export.vcf", buf.String())
	rep, err := importer.Import(ctx, db2, []string{p}, importer.Options{})
	if err != nil || len(rep.Failed) > 0 {
		t.Fatalf("re-import: %v %v", rep.Failed, err)
	}
	items2, err := db2.List(ctx, store.ListOptions{WithBody: true})
	if err != nil {
		t.Fatal(err)
	}
	// Organisation items are matched by title: an exported KIND:org card and a contact's ORG
	// name the same organisation.
	orgNames, orgNames2 := orgTitles(items), orgTitles(items2)
	type key struct{ kind, title string }
	norm := func(it store.Item, orgs map[string]string) store.Item {
		out := store.Item{Kind: it.Kind, Title: it.Title, Body: it.Body, Tags: it.Tags, Class: it.Class, Countries: it.Countries}
		if it.Contact != nil {
			c := *it.Contact
			c.OrgID = orgs[c.OrgID]
			out.Contact = &c
		}
		if it.Organisation != nil {
			o := *it.Organisation
			out.Organisation = &o
		}
		return out
	}
	want := map[key]store.Item{}
	for _, it := range items {
		want[key{string(it.Kind), it.Title}] = norm(it, orgNames)
	}
	got := map[key]store.Item{}
	for _, it := range items2 {
		got[key{string(it.Kind), it.Title}] = norm(it, orgNames2)
	}
	if len(got) != len(want) || len(items2) != len(items) {
		t.Errorf("%d items after the round trip, want %d", len(items2), len(items))
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%v lost", k)
			continue
		}
		if !reflect.DeepEqual(g, w) {
			t.Errorf("%v:\n got %+v %+v\nwant %+v %+v", k, g, g.Contact, w, w.Contact)
		}
	}
	// Exporting again and importing into the same store adds nothing.
	before, _ := db2.Stats(ctx)
	if _, err := importer.Import(ctx, db2, []string{p}, importer.Options{}); err != nil {
		t.Fatal(err)
	}
	if after, _ := db2.Stats(ctx); after.Live != before.Live {
		t.Errorf("re-import of the export: %d items, then %d", before.Live, after.Live)
	}
}

// TestImportRealVCards imports every file of the shared vCard corpus and checks each ends
// as its class in the corpus manifest says.
func TestImportRealVCards(t *testing.T) {
	root, rows := corpusfiles.ForTest(t)
	dir := filepath.Join(root, "vcard")
	classes := map[string]string{}
	for _, r := range rows {
		if r.Folder == "vcard" {
			classes[r.File] = r.Class
		}
	}
	if len(classes) == 0 {
		t.Fatal("no vcard rows in the manifest")
	}
	ctx := context.Background()
	db := storetest.Open(t)
	names := slices.Sorted(maps.Keys(classes))
	for _, name := range names {
		class := classes[name]
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			if _, err := os.Stat(p); err != nil {
				t.Skipf("%s absent", p)
			}
			rep, err := importer.Import(ctx, db, []string{p}, importer.Options{})
			if err != nil {
				t.Fatal(err)
			}
			ext := strings.ToLower(filepath.Ext(name))
			if ext == ".json" || ext == ".xml" {
				// jCard and xCard: the same person as rfc6350-example.vcf.
				got := contactsByTitle(t, db)["Simon Perreault"]
				if c := got.Contact; c == nil || c.FamilyName != "Perreault" || len(c.Emails) != 1 || len(c.Phones) != 2 || len(c.Addresses) != 1 {
					t.Errorf("%s: Simon Perreault = %+v", name, c)
				}
			}
			switch {
			case class == "ok":
				if len(rep.Failed) > 0 || rep.Saved == 0 {
					t.Errorf("%s (%s): saved %d, failed %v", name, class, rep.Saved, rep.Failed)
				}
				t.Logf("%s (%s): imported, %d items saved", name, class, rep.Saved)
			default:
				if rep.Saved > 0 && len(rep.Failed) == 0 {
					t.Errorf("%s (%s): imported without an error", name, class)
				}
			}
		})
	}
}

// importOne imports content as a file named name into a new store, checks that failed
// cards or rows were refused with errors naming the file and where in it (where: "card " or
// "line "), and returns the store and the file's path.
func importOne(t *testing.T, name, content string, failed int, where string) (*store.DB, string) {
	t.Helper()
	db := storetest.Open(t)
	p := write(t, t.TempDir(), name, content)
	rep, err := importer.Import(context.Background(), db, []string{p}, importer.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != failed {
		t.Fatalf("failed = %v, want %d", rep.Failed, failed)
	}
	for _, f := range rep.Failed {
		if f.Path != p || !strings.Contains(f.Error(), where) {
			t.Errorf("error does not name the file and %s: %v", strings.TrimSpace(where), f)
		}
	}
	return db, p
}

// orgTitles maps the organisations among items from ID to title.
func orgTitles(items []store.Item) map[string]string {
	out := map[string]string{}
	for _, it := range items {
		if it.Kind == store.KindOrganisation {
			out[it.ID] = it.Title
		}
	}
	return out
}
