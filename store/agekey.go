package store

import (
	"fmt"
	"strings"

	"filippo.io/age"
)

// checkAgeKey trims a contact's age key and refuses one that is not an age public key
// ("age1..."), naming the contact.
func (it *Item) checkAgeKey() error {
	c := it.Contact
	if c == nil || c.AgeKey == "" {
		return nil
	}
	c.AgeKey = strings.TrimSpace(c.AgeKey)
	if c.AgeKey == "" {
		return nil
	}
	if _, err := ParseAgeKey(c.AgeKey); err != nil {
		return fmt.Errorf("%w: %q has an age key that is not one (%q): give the age public key, starting with age1", ErrInvalid, shortTitle(it.Title), shortTitle(c.AgeKey))
	}
	return nil
}

// ParseAgeKey reads an age public key: an X25519 key ("age1...") or a post-quantum hybrid
// one ("age1pq1...").
func ParseAgeKey(s string) (age.Recipient, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "age1pq1") {
		return age.ParseHybridRecipient(s)
	}
	return age.ParseX25519Recipient(s)
}
