//go:build ignore

// screenwait times how long the app makes the user wait: it runs an action (an xdotool
// command), then watches the screen until what the action caused has appeared and the
// screen has settled, and prints the wait in milliseconds: from the action to the last
// frame that changed, typing excluded (type first, untimed, then time the key that acts).
//
// It reads the screen from the framebuffer file Xvfb keeps with -fbdir (XWD format,
// updated in place), mapped into memory, so that a look costs a millisecond or two and no
// copy, not a screenshot; it looks every 5 ms.
//
// Usage: go run .ci/screenwait.go [flags] FBFILE -- COMMAND ARGS...
//
//	-min N        pixels that must change for a frame to count as a change (default 400: a
//	              blinking text cursor is not a result)
//	-settle D     how long the screen must stay still after a change (default 400ms)
//	-timeout D    how long to wait for a change at all (default 10s); no change is an error
//	-quiet-ok     no change is not an error (for an action whose result may already show)
//	-v            say on stderr when each change came and how many pixels it changed
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"
)

func main() {
	minPix := flag.Int("min", 400, "pixels that must change for a frame to count")
	settle := flag.Duration("settle", 400*time.Millisecond, "how long the screen must stay still")
	timeout := flag.Duration("timeout", 10*time.Second, "how long to wait for a change")
	quietOK := flag.Bool("quiet-ok", false, "no change is not an error")
	verbose := flag.Bool("v", false, "say on stderr when each change came and how many pixels it changed")
	flag.Parse()
	args := flag.Args()
	if len(args) < 3 || args[1] != "--" {
		fmt.Fprintln(os.Stderr, "usage: screenwait [flags] FBFILE -- COMMAND ARGS...")
		os.Exit(2)
	}
	fb := args[0]
	live, err := frame(fb)
	if err != nil {
		fail(err)
	}
	prev := append([]byte(nil), live...)
	cmd := exec.Command(args[2], args[3:]...)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	t0 := time.Now()
	if err := cmd.Run(); err != nil {
		fail(fmt.Errorf("%v: %w", args[2:], err))
	}
	var last time.Time // the last frame that changed
	for {
		now := time.Now()
		if last.IsZero() && now.Sub(t0) > *timeout {
			if *quietOK {
				fmt.Println(0)
				return
			}
			fail(fmt.Errorf("nothing changed on the screen within %s of %v", *timeout, args[2:]))
		}
		if !last.IsZero() && now.Sub(last) > *settle {
			break
		}
		if n := diff(prev, live, *minPix, *verbose); n >= *minPix {
			last = time.Now()
			copy(prev, live)
			if *verbose {
				fmt.Fprintf(os.Stderr, "screenwait: +%d ms: %d pixels changed\n", last.Sub(t0).Milliseconds(), n)
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	fmt.Println(last.Sub(t0).Milliseconds())
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "screenwait:", err)
	os.Exit(1)
}
