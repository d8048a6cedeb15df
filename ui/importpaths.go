package ui

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"fyne.io/fyne/v2"
)

// checkPaths says, in words, which of paths cannot be imported because it is not there or
// cannot be opened.
func checkPaths(paths []string) error {
	for _, path := range paths {
		_, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return fmt.Errorf("there is no file or folder %s", path)
		case err != nil:
			return fmt.Errorf("%s cannot be opened (%v)", path, err)
		}
	}
	return nil
}

// pathsWords names what an import of paths reads: the file or folder's name, or how many.
func pathsWords(paths []string) string {
	if len(paths) > 1 {
		return plural(len(paths), "file or folder", "files and folders")
	}
	return filepath.Base(paths[0])
}

// typedPaths are the paths typed or pasted one a line, without the quotes a copied path
// may carry.
func typedPaths(text string) []string {
	var paths []string
	for line := range strings.Lines(text) {
		if p := strings.Trim(strings.TrimSpace(line), `"'`); p != "" {
			paths = append(paths, p)
		}
	}
	return paths
}

// onDropped imports the files and folders dropped on the window.
func (p *importPanel) onDropped(_ fyne.Position, uris []fyne.URI) {
	p.ask(localPaths(uris))
}

// localPaths are the paths of the local files among uris.
func localPaths(uris []fyne.URI) []string {
	var paths []string
	for _, u := range uris {
		if u != nil && u.Scheme() == "file" {
			paths = append(paths, u.Path())
		}
	}
	return paths
}
