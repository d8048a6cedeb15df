// Package briefing turns a briefing item into a pack to hand over: its sections resolved
// (a section is its own Markdown or an included note, contact card or document excerpt),
// its marking computed, and written as PDF, DOCX, HTML or Markdown with a cover page
// (title, purpose, audience, date), a table of contents, page numbers, and the
// classification banner at the top and bottom of every page.
//
// Contract:
//   - The banner is the highest marking of what the pack includes (the briefing itself and
//     every included item), in the scheme's order.
//   - A release copy (Options.Ceiling) leaves out every included item marked above the
//     ceiling, and its cover lists what was withheld (by section heading, not by content).
//   - Where a script cannot be rendered properly in a format (right-to-left Arabic in PDF),
//     the pack carries a Notice saying so; it never prints reversed or unjoined text silently.
package briefing
