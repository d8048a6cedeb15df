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
		quote("**Purpose:** " + safeMarkdown(p.Purpose, 0))
		bw.WriteString(">\n")
	}
	if p.Audience != "" {
		quote("**Audience:** " + mdEscape(oneLine(p.Audience)) + "  ")
	}
	quote("**Date:** " + store.FormatDate(p.Date) + "  ")
	for _, fd := range p.Fields {
		quote("**" + mdEscape(oneLine(fd.Name)) + ":** " + mdEscape(oneLine(fd.Value)) + "  ")
	}
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
		bw.WriteString(strings.TrimSpace(safeMarkdown(s.Body, 2)) + "\n")
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

// safeMarkdown writes Markdown again from what it means (the blocks the PDF and DOCX are
// laid out from), so that nothing in an item's text passes through as it was typed: raw
// HTML becomes literal text, a link survives only when LinkAllowed, an image only as its
// alt text (linked to it when it is on the web), and a link reference definition cannot
// be smuggled in. Headings are made shift levels deeper (at most 6).
func safeMarkdown(md string, shift int) string {
	bs := parseBlocks(md)
	var out []string // blocks, joined by blank lines; a list is one block
	var list []string
	flushList := func() {
		if len(list) > 0 {
			out = append(out, strings.Join(list, "\n"))
			list = nil
		}
	}
	for i := 0; i < len(bs); i++ {
		b := bs[i]
		if b.kind != bItem {
			flushList()
		}
		switch b.kind {
		case bHeading:
			out = append(out, strings.Repeat("#", min(b.level+shift, 6))+" "+mdRuns(b.runs, " "))
		case bPara:
			pad := strings.Repeat(" ", 4*b.level)
			out = append(out, pad+mdRuns(b.runs, "\\\n"+pad))
		case bQuote:
			out = append(out, "> "+mdRuns(b.runs, "\\\n> "))
		case bItem:
			pad := strings.Repeat(" ", 4*max(b.level-1, 0))
			if b.bullet == "" { // an item's second paragraph
				list = append(list, "", pad+"    "+mdRuns(b.runs, "\\\n"+pad+"    "))
				continue
			}
			bullet := "-"
			if strings.HasSuffix(b.bullet, ".") {
				bullet = b.bullet
			}
			cont := pad + strings.Repeat(" ", len(bullet)+1)
			list = append(list, pad+bullet+" "+mdRuns(b.runs, "\\\n"+cont))
		case bCode:
			var lines []string
			for ; i < len(bs) && bs[i].kind == bCode && bs[i].level == b.level; i++ {
				lines = append(lines, bs[i].plain())
			}
			i--
			fence := "```"
			for strings.Contains(strings.Join(lines, "\n"), fence) {
				fence += "`"
			}
			pad := strings.Repeat(" ", 4*b.level)
			var code strings.Builder
			code.WriteString(pad + fence + "text\n")
			for _, l := range lines {
				code.WriteString(pad + l + "\n")
			}
			code.WriteString(pad + fence)
			out = append(out, code.String())
		case bRule:
			out = append(out, "---")
		}
	}
	flushList()
	return strings.Join(out, "\n\n")
}

// mdRuns writes styled runs as Markdown; a line break inside them is written as br.
func mdRuns(runs []run, br string) string {
	var b strings.Builder
	for i := 0; i < len(runs); i++ {
		r := runs[i]
		// Runs that share a link are one link, whatever their styles.
		if r.link != "" {
			j := i
			var inner strings.Builder
			for ; j < len(runs) && runs[j].link == r.link; j++ {
				inner.WriteString(mdStyled(runs[j], br))
			}
			i = j - 1
			text := inner.String()
			if strings.TrimSpace(text) == "" {
				text = mdEscape(r.link)
			}
			b.WriteString("[" + text + "](<" + linkDest(r.link) + ">)")
			continue
		}
		b.WriteString(mdStyled(r, br))
	}
	return b.String()
}

// mdStyled writes one run: its text made literal, in its style.
func mdStyled(r run, br string) string {
	if r.text == "" {
		return ""
	}
	if r.mono {
		t := strings.ReplaceAll(r.text, "\n", " ")
		ticks := "`"
		for strings.Contains(t, ticks) {
			ticks += "`"
		}
		if strings.HasPrefix(t, "`") || strings.HasSuffix(t, "`") {
			t = " " + t + " "
		}
		return ticks + t + ticks
	}
	lines := strings.Split(r.text, "\n")
	for i, l := range lines {
		lines[i] = strings.ReplaceAll(mdEscape(l), "&", `\&`)
	}
	text := strings.Join(lines, br)
	if !r.bold && !r.italic {
		return text
	}
	// Emphasis markers must touch the text: spaces go outside them.
	core := strings.TrimSpace(text)
	if core == "" {
		return text
	}
	lead := text[:strings.Index(text, core)]
	trail := text[len(lead)+len(core):]
	if r.bold {
		core = "**" + core + "**"
	}
	if r.italic {
		core = "_" + core + "_"
	}
	return lead + core + trail
}

// linkDest writes a link's address between angle brackets, where it may hold no angle
// bracket or line break.
func linkDest(u string) string {
	return strings.NewReplacer("<", "%3C", ">", "%3E", "\n", "", "\r", "", " ", "%20", `\`, "%5C").Replace(u)
}
