//go:build ignore

// The framebuffer Xvfb keeps in a file (-fbdir), as .ci/screenwait.go and .ci/guiscale.go
// read it: built with each of them (go build .ci/screenwait.go .ci/xwd.go).

package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// frame maps the pixels of the XWD file Xvfb keeps (its header and colour map skipped):
// the slice changes as the screen does.
func frame(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	b, err := syscall.Mmap(int(f.Fd()), 0, int(st.Size()), syscall.PROT_READ, syscall.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("map %s: %w", path, err)
	}
	if len(b) < 100 {
		return nil, errors.New(path + ": not an XWD framebuffer")
	}
	hdr := binary.BigEndian.Uint32(b[0:4])
	ncolors := binary.BigEndian.Uint32(b[19*4 : 20*4])
	off := int(hdr) + int(ncolors)*12
	if off > len(b) {
		return nil, errors.New(path + ": not an XWD framebuffer")
	}
	return b[off:], nil
}

// diff counts the 4-byte pixels that differ, stopping at n unless all is set.
func diff(a, b []byte, n int, all bool) int {
	if len(a) != len(b) {
		return n
	}
	c := 0
	for i := 0; i+4 <= len(a); i += 4 {
		if a[i] != b[i] || a[i+1] != b[i+1] || a[i+2] != b[i+2] {
			c++
			if c >= n && !all {
				return c
			}
		}
	}
	return c
}
