package briefing

// SetCJKFontPaths makes the PDF writer look for CJK fonts only at paths; it returns a
// function that restores the search.
func SetCJKFontPaths(paths []string) (restore func()) {
	old := cjkFontPaths
	cjkFontPaths = func() []string { return paths }
	return func() { cjkFontPaths = old }
}

// HasCJKFont reports whether the PDF writer finds a CJK font here.
func HasCJKFont() bool { return findCJKFont() != nil }
