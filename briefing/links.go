package briefing

import (
	"net/url"
	"strings"
)

// LinkAllowed reports whether a pack may carry dest as a link: only http and https
// addresses (with a host) and mailto. Everything else (javascript:, file:, data:,
// ms-msdt:, search-ms:, a relative path that a viewer would resolve against the file's
// folder) is written as plain text. It is the one rule every format follows.
func LinkAllowed(dest string) bool {
	u, err := url.Parse(strings.TrimSpace(dest))
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

// imageLinkAllowed reports whether an image's source may become a link to it (never an
// image: nothing in a pack is fetched when it is opened).
func imageLinkAllowed(src string) bool {
	l := strings.ToLower(strings.TrimSpace(src))
	return LinkAllowed(src) && (strings.HasPrefix(l, "http://") || strings.HasPrefix(l, "https://"))
}
