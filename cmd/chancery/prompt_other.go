//go:build !linux

package main

// readSecret would ask for a secret on the terminal; on this OS it does not (ok false): the
// passphrase comes from --passphrase-file or CHANCERY_PASSPHRASE, or the app's dialog.
func readSecret(prompt string) (secret string, ok bool, err error) { return "", false, nil }
