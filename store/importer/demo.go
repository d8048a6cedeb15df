package importer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path"

	"chancery/assets"
	"chancery/store"
)

// DemoItems returns the example knowledge base's items, each document with its original
// file and its text.
func DemoItems() ([]store.Item, error) {
	raw, err := assets.Demo.ReadFile("demo/kb.json")
	if err != nil {
		return nil, fmt.Errorf("example knowledge base: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var items []store.Item
	if err := dec.Decode(&items); err != nil {
		return nil, fmt.Errorf("example knowledge base: kb.json: %w", err)
	}
	for i := range items {
		it := &items[i]
		it.Source = firstNonEmpty(it.Source, "Example knowledge base")
		if it.Document == nil || it.Document.FileName == "" {
			continue
		}
		data, err := assets.Demo.ReadFile(path.Join("demo/documents", it.Document.FileName))
		if err != nil {
			return nil, fmt.Errorf("example knowledge base: document %s: %w", it.ID, err)
		}
		it.Document.Original = data
		it.Body = string(data)
	}
	return items, nil
}

// DemoIncidents returns what the example knowledge base's incidents hold (demo/incidents.json):
// their timelines, call sheets, actions, positions and situation reports.
func DemoIncidents() ([]store.IncidentRecords, error) {
	raw, err := assets.Demo.ReadFile("demo/incidents.json")
	if err != nil {
		return nil, fmt.Errorf("example knowledge base: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var recs []store.IncidentRecords
	if err := dec.Decode(&recs); err != nil {
		return nil, fmt.Errorf("example knowledge base: incidents.json: %w", err)
	}
	return recs, nil
}

// LoadDemo saves the example knowledge base (assets.Demo) into db, its items in one
// transaction and then each incident's records in one more, and returns how many items it
// holds. Loading it again restores the items and records as shipped (timeline entries and
// issued situation reports, which never change, are left as they are).
func LoadDemo(ctx context.Context, db *store.DB) (int, error) {
	items, err := DemoItems()
	if err != nil {
		return 0, err
	}
	recs, err := DemoIncidents()
	if err != nil {
		return 0, err
	}
	if err := keepDemoSearches(ctx, db); err != nil { // before the items: they are new to them
		return 0, err
	}
	if _, err := db.SaveAll(ctx, items); err != nil {
		return 0, fmt.Errorf("load example knowledge base: %w", err)
	}
	for _, r := range recs {
		if err := db.LoadIncidentRecords(ctx, r); err != nil {
			return 0, fmt.Errorf("load example knowledge base: %w", err)
		}
	}
	return len(items), nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
