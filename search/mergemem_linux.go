package search

import "syscall"

// canRelease tells whether releasePages does anything here.
const canRelease = true

// releasePages tells the kernel that this process does not need the pages of m, a shared,
// read-only map of a file, resident: they leave its resident memory, and a later read
// maps them again from the page cache (or the file), unchanged. An error (m not mapped
// any more, which the callers rule out) changes nothing and is ignored.
func releasePages(m []byte) { _ = syscall.Madvise(m, syscall.MADV_DONTNEED) }
