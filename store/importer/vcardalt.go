package importer

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-vcard"
)

// readJCards reads a jCard file (RFC 7095: vCard as JSON), one card or an array of cards,
// into the same contacts as readVCards.
func readJCards(name string, data []byte) ([]contact, []RecordError) {
	var top any
	dec := json.NewDecoder(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
	dec.UseNumber()
	if err := dec.Decode(&top); err != nil {
		return nil, []RecordError{{"file", fmt.Errorf("not a jCard file: %w", err)}}
	}
	var raw []any
	if a, ok := top.([]any); ok && len(a) > 0 {
		if s, ok := a[0].(string); ok && strings.EqualFold(s, "vcard") {
			raw = []any{a}
		} else {
			raw = a
		}
	}
	if len(raw) == 0 {
		return nil, []RecordError{{"file", errors.New(`not a jCard file: no ["vcard", [...]] array`)}}
	}
	var out []contact
	var errs []RecordError
	for i, r := range raw {
		rec := fmt.Sprintf("card %d", i+1)
		if i >= maxCards {
			errs = append(errs, RecordError{rec, fmt.Errorf("more than %d cards; the rest is not read", maxCards)})
			break
		}
		a, ok := r.([]any)
		if !ok || len(a) < 2 {
			errs = append(errs, RecordError{rec, errors.New(`not a ["vcard", [...]] array`)})
			continue
		}
		props, ok := a[1].([]any)
		if s, _ := a[0].(string); !ok || !strings.EqualFold(s, "vcard") {
			errs = append(errs, RecordError{rec, errors.New(`not a ["vcard", [...]] array`)})
			continue
		}
		card := vcard.Card{}
		for _, p := range props {
			pa, ok := p.([]any)
			if !ok || len(pa) < 4 {
				continue
			}
			key, _ := pa[0].(string)
			key = strings.ToUpper(key)
			if key == "" || key == vcard.FieldPhoto || key == vcard.FieldLogo || key == vcard.FieldSound || key == vcard.FieldKey {
				continue
			}
			f := &vcard.Field{Params: vcard.Params{}}
			if params, ok := pa[1].(map[string]any); ok {
				for k, v := range params {
					for _, s := range jsonStrings(v) {
						f.Params.Add(strings.ToUpper(k), s)
					}
				}
			}
			var vals []string
			for _, v := range pa[3:] {
				if comps, ok := v.([]any); ok {
					var parts []string
					for _, c := range comps {
						parts = append(parts, strings.Join(jsonStrings(c), ","))
					}
					vals = append(vals, strings.Join(parts, ";"))
				} else {
					vals = append(vals, strings.Join(jsonStrings(v), ","))
				}
			}
			f.Value = strings.Join(vals, ",")
			card.Add(key, f)
		}
		c, err := cardContact(name, i, card)
		if err != nil {
			errs = append(errs, RecordError{rec, err})
			continue
		}
		out = append(out, c)
	}
	return out, errs
}

// jsonStrings is a JSON value as strings: a string, a number, a boolean, or an array of them.
func jsonStrings(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case json.Number:
		return []string{v.String()}
	case bool:
		return []string{fmt.Sprint(v)}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, jsonStrings(x)...)
		}
		return out
	}
	return nil
}

// xnode is any XML element, for reading xCard.
type xnode struct {
	XMLName xml.Name
	Text    string  `xml:",chardata"`
	Nodes   []xnode `xml:",any"`
}

// readXCards reads an xCard file (RFC 6351: vCard as XML) into the same contacts as
// readVCards. A structured property's components (n: surname, given...; adr: pobox, ext,
// street...) are taken in document order.
func readXCards(name string, data []byte) ([]contact, []RecordError) {
	var top xnode
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	if err := dec.Decode(&top); err != nil {
		return nil, []RecordError{{"file", fmt.Errorf("not an xCard file: %w", err)}}
	}
	var cards []xnode
	switch strings.ToLower(top.XMLName.Local) {
	case "vcard":
		cards = []xnode{top}
	case "vcards":
		for _, n := range top.Nodes {
			if strings.EqualFold(n.XMLName.Local, "vcard") {
				cards = append(cards, n)
			}
		}
	}
	if len(cards) == 0 {
		return nil, []RecordError{{"file", errors.New("not an xCard file: no <vcards> or <vcard> element")}}
	}
	var out []contact
	var errs []RecordError
	for i, xc := range cards {
		if i >= maxCards {
			errs = append(errs, RecordError{fmt.Sprintf("card %d", i+1), fmt.Errorf("more than %d cards; the rest is not read", maxCards)})
			break
		}
		card := vcard.Card{}
		for _, p := range xc.Nodes {
			key := strings.ToUpper(p.XMLName.Local)
			if key == "" || key == "GROUP" || key == vcard.FieldPhoto || key == vcard.FieldLogo || key == vcard.FieldSound || key == vcard.FieldKey {
				continue
			}
			f := &vcard.Field{Params: vcard.Params{}}
			var order []string
			comps := map[string][]string{}
			for _, v := range p.Nodes {
				local := v.XMLName.Local
				if local == "parameters" {
					for _, par := range v.Nodes {
						for _, t := range par.Nodes {
							f.Params.Add(strings.ToUpper(par.XMLName.Local), strings.TrimSpace(t.Text))
						}
					}
					continue
				}
				if _, ok := comps[local]; !ok {
					order = append(order, local)
				}
				if t := strings.TrimSpace(v.Text); t != "" {
					comps[local] = append(comps[local], t)
				} else if comps[local] == nil {
					comps[local] = []string{}
				}
			}
			var parts []string
			for _, k := range order {
				parts = append(parts, strings.Join(comps[k], ","))
			}
			f.Value = strings.Join(parts, ";")
			card.Add(key, f)
		}
		c, err := cardContact(name, i, card)
		if err != nil {
			errs = append(errs, RecordError{fmt.Sprintf("card %d", i+1), err})
			continue
		}
		out = append(out, c)
	}
	return out, errs
}
