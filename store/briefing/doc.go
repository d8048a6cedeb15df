// Package briefing turns a briefing item into a pack to hand over: its sections resolved
// (a section is its own Markdown or an included note, contact card or document excerpt),
// its marking computed, and written as PDF, DOCX, HTML or Markdown with a cover page
// (title, purpose, audience, date, marking), a table of contents, page numbers (PDF and
// DOCX), and the classification banner at the top and bottom of every page.
//
// Contract:
//   - The banner is the highest marking of what the pack includes (the briefing itself and
//     every included item), in the scheme's order (store.DB.Classes); unmarked counts as the
//     lowest.
//   - A release copy (Options.Ceiling) leaves out every included item marked above the
//     ceiling, and its cover lists what was withheld by section number and marking only
//     ("Section 3 (SECRET)"): never by heading, which is often the item's title, nor by
//     content; its banner is the highest marking of what remains. In a release copy the
//     placeholder of an included item that is gone is headed by its number only. The
//     briefing's own text is kept; a briefing itself marked above the ceiling cannot be
//     released (an error), nor can a ceiling the scheme lacks.
//   - Export, the way a pack leaves the store as a file, always makes a release copy: up to
//     Options.Ceiling, else the scheme's lowest marking (callers pass the policy's export
//     ceiling). Compose without a ceiling is a full copy, for reading in the app.
//   - A contact or organisation card names an organisation (the contact's, the parent) only
//     when the copy may carry its marking: in a release copy one above the ceiling is
//     "organisation withheld (SECRET)"; in a full copy its marking counts towards the
//     section's marking and the banner.
//   - An included item that was deleted or trashed leaves a visible placeholder and a Notice,
//     not an error. A document section's Text, when set, is the excerpt chosen from it;
//     otherwise its first paragraphs (about 1,500 characters, cut at a paragraph) are used.
//   - Where a script cannot be rendered properly in a format (right-to-left Arabic or Hebrew
//     in PDF; Chinese, Japanese or Korean in PDF when no CJK font is found on the computer),
//     that format prints a visible placeholder and the pack carries a Notice saying so; it
//     never prints reversed, unjoined or missing-glyph text silently. DOCX and HTML carry
//     every script (w:bidi/w:rtl; dir="auto").
//   - Item text is never passed through as markup: HTML is rendered from Markdown with raw
//     HTML dropped and escaped by html/template; DOCX text is XML-escaped; the Markdown
//     copy is written again from the parsed text (safeMarkdown), raw HTML escaped.
//   - In every format only http, https and mailto links survive as links (LinkAllowed, one
//     rule for all); any other link is its text alone. No image is ever embedded or
//     fetched: an image is its alt text, linked to it when it is on the web.
//
// Situation reports (sitrep.go) go out through the same writers: ReportPack makes a Pack of
// a Report ("SITREP 3 — <incident>"; incident, as of, period, next due and status, with the
// issued report's SHA-256, on the cover; one section per part), ExportReport writes it, and
// ExportSitrep does both for a report in the store (ReportOf). Every line (timeline entry,
// call-sheet row, action, position) carries its marking, and the officer's text the
// report's (which the store keeps at the highest of its lines): a release copy leaves out
// each one above the ceiling, says so in the section, and lists it on the cover by section
// number, the part's fixed heading and marking only ("Section 2 (Significant events): 1
// entry (SECRET)"; a heading the officer wrote, in a report above the ceiling, gives way to
// the number); an incident whose name is marked above the ceiling is not named in the
// title. Line text is plain, never Markdown. The banner is the highest marking of what the
// copy includes. Cover lines beyond the date are Pack.Fields, printed by every format.
//
// Fonts: the PDF embeds DejaVu Sans (Latin, Cyrillic, Greek) from github.com/go-fonts/dejavu
// and looks for a TrueType CJK font on the computer when it writes (see fonts.go; the
// CHANCERY_CJK_FONT environment variable names one).
package briefing
