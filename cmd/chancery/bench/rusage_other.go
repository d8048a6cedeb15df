//go:build !unix

package bench

import (
	"os"
	"time"
)

// SelfPeakRSS is not measured on this system.
func SelfPeakRSS() int64 { return 0 }

// PeakRSS is not measured on this system.
func PeakRSS(*os.ProcessState) int64 { return 0 }

// CPUTime is not measured on this system.
func CPUTime() time.Duration { return 0 }
