package importer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strings"

	"chancery/store"
)

// ImportContacts imports vCard (.vcf, versions 2.1, 3.0 and 4.0, one or many cards per
// file; also jCard .json and xCard .xml) and contacts CSV files (Outlook's and Google's
// exports) as contacts. A card's or
// row's company becomes an organisation (an existing one with the same name is reused) that
// the contact is a member of. A file, card or row that cannot be read is reported in
// store.ImportReport.Failed, naming the file and the card or line; the rest goes on.
func ImportContacts(ctx context.Context, db *store.DB, paths []string, opt Options) (store.ImportReport, error) {
	var all []contact
	var failed []store.ImportFailure
	for _, p := range paths {
		cs, errs := readContactsFile(p)
		for _, e := range errs {
			failed = append(failed, store.ImportFailure{Path: p, Err: e})
		}
		all = append(all, cs...)
	}
	if len(all) == 0 {
		return store.ImportReport{Failed: failed}, nil
	}
	distinctKeys(all)
	if err := adoptLegacy(ctx, db, all); err != nil {
		return store.ImportReport{Failed: failed}, fmt.Errorf("import contacts: %w", err)
	}
	orgs, err := db.List(ctx, store.ListOptions{Kind: store.KindOrganisation})
	if err != nil {
		return store.ImportReport{Failed: failed}, fmt.Errorf("import contacts: %w", err)
	}
	orgIDs := map[string]string{}
	for _, o := range orgs {
		if _, ok := orgIDs[strings.ToLower(o.Title)]; !ok {
			orgIDs[strings.ToLower(o.Title)] = o.ID
		}
	}
	// Organisations of this import (vCard KIND:org) are the ones its contacts' ORG names.
	var orgKeys []string
	for _, c := range all {
		if c.item.Kind == store.KindOrganisation {
			orgKeys = append(orgKeys, c.item.SourceKey)
		}
	}
	if len(orgKeys) > 0 {
		ids, err := db.SourceKeyIDs(ctx, orgKeys)
		if err != nil {
			return store.ImportReport{Failed: failed}, fmt.Errorf("import contacts: %w", err)
		}
		for i := range all {
			it := &all[i].item
			if it.Kind != store.KindOrganisation {
				continue
			}
			if it.ID = ids[it.SourceKey]; it.ID == "" {
				it.ID = store.NewID()
				ids[it.SourceKey] = it.ID
			}
			if _, ok := orgIDs[strings.ToLower(it.Title)]; !ok {
				orgIDs[strings.ToLower(it.Title)] = it.ID
			}
		}
	}
	var newOrgs []store.Item
	for i := range all {
		c := &all[i]
		if c.org == "" || c.item.Contact == nil {
			continue
		}
		k := strings.ToLower(c.org)
		id, ok := orgIDs[k]
		if !ok {
			o := store.Item{Kind: store.KindOrganisation, Title: c.org, Organisation: &store.Organisation{},
				SourceKey: "org:" + k, Source: c.item.Source}
			ids, err := db.SourceKeyIDs(ctx, []string{o.SourceKey})
			if err != nil {
				return store.ImportReport{Failed: failed}, fmt.Errorf("import contacts: %w", err)
			}
			// One made by an earlier import (and perhaps edited since) is left as it is.
			if id = ids[o.SourceKey]; id == "" {
				o.ID = store.NewID()
				id = o.ID
				newOrgs = append(newOrgs, o)
			}
			orgIDs[k] = id
		}
		c.item.Contact.OrgID = id
		c.item.Links = append(c.item.Links, store.Link{To: id, Rel: "member-of"})
	}
	s := &saver{ctx: ctx, db: db, opt: opt, total: len(all) + len(newOrgs), failed: failed}
	for _, o := range newOrgs {
		if err := s.add(o); err != nil {
			return s.report(), fmt.Errorf("import contacts: %w", err)
		}
	}
	for _, c := range all {
		if err := s.add(c.item); err != nil {
			return s.report(), fmt.Errorf("import contacts: %w", err)
		}
	}
	if err := s.flush(); err != nil {
		return s.report(), fmt.Errorf("import contacts: %w", err)
	}
	return s.report(), nil
}

// distinctKeys gives records of one import that are known by their content (see
// contentKey) and share a key, distinct keys: the name is added to the email, then a
// count. Organisations named alike are one organisation and keep their key.
func distinctKeys(all []contact) {
	used := map[string]bool{}
	for i := range all {
		it := &all[i].item
		if all[i].legacy != "" && it.Kind == store.KindContact && used[it.SourceKey] {
			sum := sha256.Sum256([]byte(strings.ToLower(it.Title)))
			base := it.SourceKey + ":" + hex.EncodeToString(sum[:8])
			key := base
			for n := 2; used[key]; n++ {
				key = fmt.Sprintf("%s#%d", base, n)
			}
			it.SourceKey = key
		}
		used[it.SourceKey] = true
	}
}

// adoptLegacy finds, for records not yet stored under their content key, the item an
// earlier version imported under the record's file name and position (contact.legacy),
// and makes the record update it when it is the same contact (same content key).
func adoptLegacy(ctx context.Context, db *store.DB, all []contact) error {
	var keys []string
	for _, c := range all {
		if c.legacy != "" {
			keys = append(keys, c.item.SourceKey, c.legacy)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	ids, err := db.SourceKeyIDs(ctx, keys)
	if err != nil {
		return err
	}
	var legacyIDs []string
	for _, c := range all {
		if c.legacy != "" && ids[c.item.SourceKey] == "" && ids[c.legacy] != "" {
			legacyIDs = append(legacyIDs, ids[c.legacy])
		}
	}
	if len(legacyIDs) == 0 {
		return nil
	}
	olds, err := db.GetMany(ctx, legacyIDs)
	if err != nil {
		return err
	}
	byID := map[string]store.Item{}
	for _, o := range olds {
		byID[o.ID] = o
	}
	for i := range all {
		c := &all[i]
		id := ids[c.legacy]
		if c.legacy == "" || id == "" || ids[c.item.SourceKey] != "" {
			continue
		}
		if old, ok := byID[id]; ok && strings.HasPrefix(c.item.SourceKey, contentKey(old)) {
			c.item.ID = id
			delete(byID, id) // one record takes it over
		}
	}
	return nil
}

// readContactsFile reads one vCard or CSV file; a panic in a parser becomes an error.
func readContactsFile(p string) (cs []contact, errs []error) {
	defer func() {
		if r := recover(); r != nil {
			cs, errs = nil, []error{fmt.Errorf("the file could not be read (internal error: %v)", r)}
		}
	}()
	data, err := readLimited(p, maxContactsFile)
	if err != nil {
		return nil, []error{err}
	}
	name := filepath.Base(p)
	var rerrs []RecordError
	switch strings.ToLower(filepath.Ext(p)) {
	case ".csv":
		cs, rerrs = readContactsCSV(name, data)
	case ".json":
		cs, rerrs = readJCards(name, data)
	case ".xml":
		cs, rerrs = readXCards(name, data)
	default:
		cs, rerrs = readVCards(name, data)
		if len(cs) == 0 && len(rerrs) == 0 {
			rerrs = append(rerrs, RecordError{"file", fmt.Errorf("no BEGIN:VCARD: not a vCard file")})
		}
	}
	for _, e := range rerrs {
		errs = append(errs, e)
	}
	return cs, errs
}

func isContactsFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".vcf", ".vcard", ".csv", ".json", ".xml":
		return true
	}
	return false
}

func isVCardFile(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".vcf", ".vcard":
		return true
	}
	return false
}
