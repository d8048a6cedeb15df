package main

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// diskFullError says in words that the disk holding the knowledge base is full, what the
// work kept, and what to do; nil when err is not about a full disk.
func diskFullError(err error, dir, kept string) error {
	if err == nil || !(errors.Is(err, syscall.ENOSPC) || strings.Contains(err.Error(), "database or disk is full")) {
		return nil
	}
	return fmt.Errorf("the disk holding the knowledge base %s is full: %s; free some space and run the same command again (%w)", dir, kept, err)
}

// readOnlyError says in words that the knowledge base's folder cannot be written (a disk
// or share mounted read-only); nil when err is not about that.
func readOnlyError(err error, dir string) error {
	if err == nil || !(errors.Is(err, syscall.EROFS) || strings.Contains(err.Error(), "attempt to write a readonly database")) {
		return nil
	}
	return fmt.Errorf("the knowledge base's folder %s is read-only (its disk or share is mounted read-only): Chancery must write there to open it; nothing was changed. Make it writable, or copy the folder to one that is (%w)", dir, err)
}
