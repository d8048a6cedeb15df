//go:build !unix

package main

import "time"

// selfPeakRSS is not measured on this system.
func selfPeakRSS() int64 { return 0 }

// cpuTime is not measured on this system.
func cpuTime() time.Duration { return 0 }
