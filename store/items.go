package store

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// itemColumns are the columns scanItem reads, in order. The three lists are joined with
// unit separators (char 31); links as to_id, char 30, rel.
const itemColumns = `i.id, i.kind, i.title, %s, i.data, i.class, i.source, i.reliability, i.language,
	i.item_date, i.created, i.updated, i.rev, i.seq, i.deleted, i.source_key,
	(SELECT group_concat(tag, char(31)) FROM item_tags WHERE item_id = i.id),
	(SELECT group_concat(country, char(31)) FROM item_countries WHERE item_id = i.id),
	(SELECT group_concat(topic, char(31)) FROM item_topics WHERE item_id = i.id),
	(SELECT group_concat(to_id || char(30) || rel, char(31)) FROM links WHERE from_id = i.id)`

func selectItems(withBody bool) string {
	body := "i.body"
	if !withBody {
		body = "''"
	}
	return "SELECT " + fmt.Sprintf(itemColumns, body) + " FROM items i"
}

type scanner interface{ Scan(dest ...any) error }

func scanItem(row scanner) (Item, error) {
	var (
		it                                 Item
		data                               string
		date, deleted                      sql.NullInt64
		created, updated                   int64
		sourceKey, tags, countries, topics sql.NullString
		links                              sql.NullString
	)
	err := row.Scan(&it.ID, &it.Kind, &it.Title, &it.Body, &data, &it.Class, &it.Source, &it.Reliability,
		&it.Language, &date, &created, &updated, &it.Rev, &it.Seq, &deleted, &sourceKey,
		&tags, &countries, &topics, &links)
	if err != nil {
		return Item{}, err
	}
	it.Created, it.Updated = fromMillis(created), fromMillis(updated)
	if date.Valid {
		it.Date = fromMillis(date.Int64)
	}
	if deleted.Valid {
		t := fromMillis(deleted.Int64)
		it.Deleted = &t
	}
	it.SourceKey = sourceKey.String
	it.Tags, it.Countries, it.Topics = splitSorted(tags), splitSorted(countries), splitSorted(topics)
	for _, l := range splitSorted(links) {
		to, rel, _ := strings.Cut(l, "\x1e")
		it.Links = append(it.Links, Link{From: it.ID, To: to, Rel: rel})
	}
	if err := it.setData(data); err != nil {
		return Item{}, fmt.Errorf("item %s has unreadable fields: %w", it.ID, err)
	}
	return it, nil
}

func splitSorted(s sql.NullString) []string {
	if !s.Valid || s.String == "" {
		return nil
	}
	v := strings.Split(s.String, "\x1f")
	slices.Sort(v)
	return v
}

// kindData returns the kind-specific struct of the item as JSON.
func (it Item) kindData() ([]byte, error) {
	switch it.Kind {
	case KindNote:
		return json.Marshal(it.Note)
	case KindContact:
		return json.Marshal(it.Contact)
	case KindOrganisation:
		return json.Marshal(it.Organisation)
	case KindDocument:
		return json.Marshal(it.Document)
	case KindBriefing:
		return json.Marshal(it.Briefing)
	case KindIncident:
		return json.Marshal(it.Incident)
	}
	return nil, fmt.Errorf("%w: unknown kind %q", ErrInvalid, it.Kind)
}

func (it *Item) setData(data string) error {
	var target any
	switch it.Kind {
	case KindNote:
		it.Note = new(Note)
		target = it.Note
	case KindContact:
		it.Contact = new(Contact)
		target = it.Contact
	case KindOrganisation:
		it.Organisation = new(Organisation)
		target = it.Organisation
	case KindDocument:
		it.Document = new(Document)
		target = it.Document
	case KindBriefing:
		it.Briefing = new(Briefing)
		target = it.Briefing
	case KindIncident:
		it.Incident = new(Incident)
		target = it.Incident
	default:
		return fmt.Errorf("unknown kind %q", it.Kind)
	}
	return json.Unmarshal([]byte(data), target)
}

func toMillis(t time.Time) int64 { return t.UnixMilli() }

func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// NewID returns a fresh item ID: 10 random bytes in hex, prefixed by the time so IDs sort
// roughly by creation.
func NewID() string {
	var b [10]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%011x%s", time.Now().UnixMilli(), hex.EncodeToString(b[:]))
}
