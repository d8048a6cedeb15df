package pack

import (
	"context"
	"fmt"
	"strings"

	"chancery/store"
)

// A selection is a list of item IDs, whatever chose them: a search (the command line and
// the window run it on the index), a tag, a briefing and what it includes, an incident.

// TagIDs are the live items with a tag.
func TagIDs(ctx context.Context, db *store.DB, tag string) ([]string, error) {
	tag = strings.ToLower(strings.Join(strings.Fields(tag), "-"))
	items, err := db.List(ctx, store.ListOptions{Tag: tag})
	if err != nil {
		return nil, err
	}
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids, nil
}

// BriefingIDs are a briefing and the items its sections include, in section order.
func BriefingIDs(ctx context.Context, db *store.DB, id string) ([]string, error) {
	it, err := db.Get(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("pack: briefing %s: %w", id, err)
	}
	if it.Kind != store.KindBriefing || it.Briefing == nil {
		return nil, fmt.Errorf("pack: %s is a %s, not a briefing", id, it.Kind)
	}
	ids := []string{it.ID}
	for _, s := range it.Briefing.Sections {
		if s.Ref != "" {
			ids = append(ids, s.Ref)
		}
	}
	return ids, nil
}

// Live keeps the IDs of items that exist and are not in the trash (a briefing may include
// an item deleted since).
func Live(ctx context.Context, db *store.DB, ids []string) ([]string, error) {
	items, err := db.GetMany(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		if it.Deleted == nil {
			out = append(out, it.ID)
		}
	}
	return out, nil
}
