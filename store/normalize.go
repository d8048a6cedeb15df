package store

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

var reliabilityRE = regexp.MustCompile(`^[A-F][1-6]?$`)

// normalize checks an item before it is saved and puts its lists in canonical form.
func (it *Item) normalize(classes map[string]int, topics map[string]bool) error {
	if !it.Kind.Valid() {
		return fmt.Errorf("%w: unknown kind %q", ErrInvalid, it.Kind)
	}
	it.Title = strings.TrimSpace(it.Title)
	if it.Title == "" {
		return fmt.Errorf("%w: a %s needs a title", ErrInvalid, it.Kind)
	}
	if err := it.CheckLengths(); err != nil {
		return err
	}
	set := 0
	for _, p := range []bool{it.Note != nil, it.Contact != nil, it.Organisation != nil, it.Document != nil, it.Briefing != nil} {
		if p {
			set++
		}
	}
	if set > 1 {
		return fmt.Errorf("%w: %q has the fields of more than one kind", ErrInvalid, it.Title)
	}
	if set == 1 {
		if ok := (it.Kind == KindNote && it.Note != nil) || (it.Kind == KindContact && it.Contact != nil) ||
			(it.Kind == KindOrganisation && it.Organisation != nil) || (it.Kind == KindDocument && it.Document != nil) ||
			(it.Kind == KindBriefing && it.Briefing != nil); !ok {
			return fmt.Errorf("%w: %q is a %s but carries another kind's fields", ErrInvalid, it.Title, it.Kind)
		}
	} else if err := it.setData("{}"); err != nil {
		return err
	}
	if err := it.checkAgeKey(); err != nil {
		return err
	}
	if it.Class == "" {
		it.Class = lowestClass(classes)
	}
	it.Class = strings.ToUpper(strings.TrimSpace(it.Class))
	if _, ok := classes[it.Class]; !ok {
		return fmt.Errorf("%w: %q has unknown classification %q", ErrInvalid, it.Title, it.Class)
	}
	it.Reliability = strings.ToUpper(strings.TrimSpace(it.Reliability))
	if it.Reliability != "" && !reliabilityRE.MatchString(it.Reliability) {
		return fmt.Errorf("%w: %q has reliability grade %q; use a letter A-F and a digit 1-6, such as B2", ErrInvalid, it.Title, it.Reliability)
	}
	it.Language = strings.ToLower(strings.TrimSpace(it.Language))
	if it.Language == "" {
		it.Language = DetectLanguage(it.Title + "\n" + it.Body)
	}
	var err error
	if it.Tags, err = canonical(it.Tags, func(s string) (string, error) {
		return strings.ToLower(strings.Join(strings.Fields(s), "-")), nil
	}); err != nil {
		return err
	}
	if it.Countries, err = canonical(it.Countries, func(s string) (string, error) {
		c, ok := LookupCountry(s)
		if !ok {
			return "", fmt.Errorf("%w: %q has unknown country %q (use an ISO 3166-1 code such as NGA)", ErrInvalid, it.Title, s)
		}
		return c.Alpha3, nil
	}); err != nil {
		return err
	}
	if it.Topics, err = canonical(it.Topics, func(s string) (string, error) {
		s = strings.ToLower(s)
		if !topics[s] {
			return "", fmt.Errorf("%w: %q has unknown topic %q", ErrInvalid, it.Title, s)
		}
		return s, nil
	}); err != nil {
		return err
	}
	links := it.Links[:0:0]
	for _, l := range it.Links {
		l.From = it.ID
		if l.Rel == "" {
			l.Rel = "mentions"
		}
		if l.To == "" || l.To == it.ID || slices.Contains(links, l) {
			continue
		}
		links = append(links, l)
	}
	slices.SortFunc(links, func(a, b Link) int { return strings.Compare(a.To+"\x1e"+a.Rel, b.To+"\x1e"+b.Rel) })
	it.Links = links
	return nil
}

// canonical maps, trims, drops empties, sorts and de-duplicates a list.
func canonical(in []string, f func(string) (string, error)) ([]string, error) {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		v, err := f(s)
		if err != nil {
			return nil, err
		}
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func lowestClass(classes map[string]int) string {
	best, rank := "", int(^uint(0)>>1)
	for name, r := range classes {
		if r < rank {
			best, rank = name, r
		}
	}
	return best
}
