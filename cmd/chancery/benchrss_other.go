//go:build !unix

package main

// selfPeakRSS is not measured on this system.
func selfPeakRSS() int64 { return 0 }
