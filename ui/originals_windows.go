//go:build windows

package ui

import (
	"fmt"
	"os"
)

// zoneIdentifier is the Mark of the Web: the Internet zone (3).
const zoneIdentifier = "[ZoneTransfer]\r\nZoneId=3\r\n"

// markDownloaded gives a copy of an original the Mark of the Web (a Zone.Identifier
// alternate data stream), as a browser does to a download: the original came from
// outside, and Office opens it in Protected View, SmartScreen checks it before it runs.
func markDownloaded(path string) error {
	if err := os.WriteFile(path+":Zone.Identifier", []byte(zoneIdentifier), 0o600); err != nil {
		return fmt.Errorf("the copy could not be marked as coming from outside (Mark of the Web): %w", err)
	}
	return nil
}
