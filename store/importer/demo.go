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

// LoadDemo saves the example knowledge base (assets.Demo) into db in one transaction and returns how many
// items it holds.
func LoadDemo(ctx context.Context, db *store.DB) (int, error) {
	items, err := DemoItems()
	if err != nil {
		return 0, err
	}
	if _, err := db.SaveAll(ctx, items); err != nil {
		return 0, fmt.Errorf("load example knowledge base: %w", err)
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
