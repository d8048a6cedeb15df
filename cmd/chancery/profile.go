package main

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfileEnv names an environment variable that, set to a file, makes the window record
// a CPU profile there until it closes (go tool pprof reads it): to find what makes a step
// of the incident walk slow (.ci/walk-incident.sh).
const cpuProfileEnv = "CHANCERY_CPUPROFILE"

// startCPUProfile starts the CPU profile cpuProfileEnv asks for, if any; the function it
// returns stops it.
func startCPUProfile() func() {
	path := os.Getenv(cpuProfileEnv)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cpuProfileEnv, err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", cpuProfileEnv, err)
		}
	}
}
