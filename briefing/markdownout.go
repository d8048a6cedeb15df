package briefing

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"

	"chancery/store"
)

func (p *Pack) writeMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	banner := "**" + p.Marking + "**"
	fmt.Fprintf(bw, "%s\n\n# %s\n\n", banner, mdEscape(oneLine(p.Title)))
	quote := func(s string) {
		for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
			if l == "" {
				bw.WriteString(">\n")
			} else {
				bw.WriteString("> " + l + "\n")
			}
		}
	}
	if strings.TrimSpace(p.Purpose) != "" {
		quote("**Purpose:** " + strings.TrimSpace(p.Purpose))
		bw.WriteString(">\n")
	}
	if p.Audience != "" {
		quote("**Audience:** " + oneLine(p.Audience) + "  ")
	}
	quote("**Date:** " + store.FormatDate(p.Date) + "  ")
	quote("**Marking:** " + p.Marking)
	if p.Ceiling != "" {
		bw.WriteString(">\n")
		quote("**Release copy — releasable up to " + p.Ceiling + "**")
		if len(p.Withheld) > 0 {
			bw.WriteString(">\n")
			quote("Withheld from this copy:")
			bw.WriteString(">\n")
			for _, h := range p.Withheld {
				quote("- " + mdEscape(oneLine(h)))
			}
		} else {
			quote("Nothing was withheld.")
		}
	}
	bw.WriteString("\n## Contents\n\n")
	slugs := map[string]int{}
	anchors := make([]string, len(p.Sections))
	for i, s := range p.Sections {
		h := fmt.Sprintf("%d. %s", i+1, oneLine(s.Heading))
		anchors[i] = slug(h, slugs)
		fmt.Fprintf(bw, "%d. [%s](#%s) — %s\n", i+1, mdEscape(oneLine(s.Heading)), anchors[i], s.Marking)
	}
	for i, s := range p.Sections {
		fmt.Fprintf(bw, "\n---\n\n%s\n\n## %d. %s\n\n", banner, i+1, mdEscape(oneLine(s.Heading)))
		label := s.Marking
		if s.Kind != "" {
			label += " · " + string(s.Kind)
		}
		fmt.Fprintf(bw, "*%s*\n\n", label)
		bw.WriteString(strings.TrimSpace(shiftHeadings(s.Body, 2)) + "\n")
	}
	fmt.Fprintf(bw, "\n---\n\n%s\n", banner)
	return bw.Flush()
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

var atxHeading = regexp.MustCompile(`^(\s{0,3})(#{1,6})(\s|$)`)

// shiftHeadings makes a body's headings n levels deeper (at most 6), outside code fences.
func shiftHeadings(md string, n int) string {
	lines := strings.Split(md, "\n")
	fence := ""
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if fence != "" {
			if strings.HasPrefix(t, fence) {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(t, "```") || strings.HasPrefix(t, "~~~") {
			fence = t[:3]
			continue
		}
		if m := atxHeading.FindStringSubmatch(l); m != nil {
			lvl := min(len(m[2])+n, 6)
			lines[i] = m[1] + strings.Repeat("#", lvl) + l[len(m[1])+len(m[2]):]
		}
	}
	return strings.Join(lines, "\n")
}

// slug is the anchor GitHub and most viewers give a heading: lower case, letters, digits,
// hyphens and underscores kept, spaces made hyphens; repeats get -1, -2...
func slug(h string, seen map[string]int) string {
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case r == ' ':
			b.WriteRune('-')
		}
	}
	s := b.String()
	if n := seen[s]; n > 0 {
		seen[s] = n + 1
		return fmt.Sprintf("%s-%d", s, n)
	}
	seen[s] = 1
	return s
}
