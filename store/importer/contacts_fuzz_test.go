package importer

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf8"

	"chancery/store"
	"chancery/store/storetest"
)

// FuzzReadVCards: any bytes in a .vcf file give contacts or per-card errors, never a panic;
// what comes out is valid UTF-8, has a title, and can be saved or is refused as invalid.
func FuzzReadVCards(f *testing.F) {
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=\r\nan\r\nTEL;WORK;VOICE:1\r\nEND:VCARD\r\n"))
	f.Add([]byte("BEGIN:VCARD\nVERSION:3.0\nFN:A\nEMAIL;TYPE=\"a,b\":a@b\nADR:;;x;y\nEND:VCARD\nBEGIN:VCARD\n"))
	f.Add([]byte("BEGIN:VCARD\nVERSION:4.0\nKIND:org\nFN:O\nAGENT:BEGIN:VCARD\nBEGIN:VCARD\nEND:VCARD\nEND:VCARD\n"))
	f.Add([]byte("begin:vcard\nfn:\xff\xfe\nend:vcard"))
	f.Add([]byte(":\n;\n=\nBEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=\nEND:VCARD"))
	db := storetest.Open(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, errs := readVCards("f.vcf", data)
		if n := bytes.Count(bytes.ToUpper(data), []byte("BEGIN:VCARD")); len(cs) > n {
			t.Fatalf("%d contacts from %d BEGIN lines", len(cs), n)
		}
		for _, e := range errs {
			if !strings.Contains(e.Record, "card") && !strings.Contains(e.Record, "line") && e.Record != "file" {
				t.Fatalf("error does not name its card: %v", e)
			}
		}
		checkContacts(t, db, cs)
	})
}

// FuzzReadContactsCSV: any bytes in a .csv file give contacts or per-line errors.
func FuzzReadContactsCSV(f *testing.F) {
	f.Add([]byte("First Name,Last Name,E-mail Address,Business Street,Business City\nJ\xfcrgen,M,j@m,1 St,Berlin\n"))
	f.Add([]byte("\xef\xbb\xbfName,E-mail 1 - Type,E-mail 1 - Value\nA,* Work,a@b ::: c@d\n\"unterminated\n"))
	f.Add([]byte("Given Name;Family Name\nA;B\n"))
	f.Add([]byte("\xff\xfeN\x00a\x00m\x00e\x00\n\x00"))
	f.Add([]byte(""))
	db := storetest.Open(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		cs, _ := readContactsCSV("f.csv", data)
		checkContacts(t, db, cs)
	})
}

func checkContacts(t *testing.T, db *store.DB, cs []contact) {
	t.Helper()
	for _, c := range cs {
		it := c.item
		if strings.TrimSpace(it.Title) == "" {
			t.Fatal("contact without a title")
		}
		for _, s := range []string{it.Title, it.Body, c.org} {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 came out: %q", s)
			}
		}
		if _, err := db.SaveAll(context.Background(), []store.Item{it}); err != nil && !strings.Contains(err.Error(), "invalid item") {
			t.Fatalf("save %q: %v", it.Title, err)
		}
	}
}

// FuzzReadJXCards: any bytes in a jCard (.json) or xCard (.xml) file give contacts or
// errors, never a panic.
func FuzzReadJXCards(f *testing.F) {
	f.Add([]byte(`["vcard",[["version",{},"text","4.0"],["fn",{},"text","A"],["n",{},"text",["B","A","",["x",1],""]],["email",{"type":["work",true]},"text","a@b"]]]`), false)
	f.Add([]byte(`[["vcard",[]],["vcard",[["fn",{},"text"]]],1,"x"]`), false)
	f.Add([]byte(`<vcards xmlns="urn:ietf:params:xml:ns:vcard-4.0"><vcard><fn><text>A</text></fn><n><surname>B</surname><given>A</given></n><email><parameters><type><text>work</text></type></parameters><text>a@b</text></email></vcard></vcards>`), true)
	f.Add([]byte(`<vcard><n><surname>&amp;</surname></n><org/></vcard>`), true)
	db := storetest.Open(f)
	f.Fuzz(func(t *testing.T, data []byte, isXML bool) {
		var cs []contact
		if isXML {
			cs, _ = readXCards("f.xml", data)
		} else {
			cs, _ = readJCards("f.json", data)
		}
		checkContacts(t, db, cs)
	})
}
