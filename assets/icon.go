package assets

import _ "embed"

// Icon is the app's icon, a 512x512 PNG (also named by FyneApp.toml).
//
//go:embed icon.png
var Icon []byte
