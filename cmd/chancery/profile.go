package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
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
		return writeHeapProfile
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", cpuProfileEnv, err)
		return writeHeapProfile
	}
	return func() {
		writeHeapProfile()
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", cpuProfileEnv, err)
		}
	}
}

// bareWindowEnv names an environment variable that, set to 1, makes the window command
// open only a plain Fyne window (ui.NewBareWindow) and no knowledge base: the yardstick
// .ci/gui-scale.sh times the main window's start against, paying the same binary's load.
const bareWindowEnv = "CHANCERY_BARE_WINDOW"

func bareWindow() bool { return os.Getenv(bareWindowEnv) == "1" }

// heapProfileEnv names an environment variable that, set to a file, makes the window write
// a heap profile there when it closes (go tool pprof -sample_index=inuse_space reads it):
// what the window holds after a session (.ci/gui-scale.sh).
const heapProfileEnv = "CHANCERY_MEMPROFILE"

// writeHeapProfile writes the heap profile heapProfileEnv asks for, once: the window writes
// it on closing, before the index and the store close (and so before their memory is let
// go); the CPU profile's end writes it when the window did not.
func writeHeapProfile() { heapOnce.Do(writeHeap) }

var heapOnce sync.Once

func writeHeap() {
	path := os.Getenv(heapProfileEnv)
	if path == "" {
		return
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", heapProfileEnv, err)
	}
}
