package teamsync

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"sync/atomic"
	"testing"
)

// lostAnswer is a remote whose answer to a create is lost after the object was stored (a
// connection cut after the request reached the server): the create is done, the desk
// sees an error.
type lostAnswer struct {
	Remote
	n atomic.Int64
}

func (l *lostAnswer) Create(ctx context.Context, name string, data []byte) error {
	err := l.Remote.Create(ctx, name, data)
	if l.n.Add(-1) < 0 {
		return errCut
	}
	return err
}

func TestRandomOfflineEditsLostAnswers(t *testing.T) {
	for seed := range uint64(6) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			mem := NewMemRemote("mem")
			randomOfflineEdits(t, mem, seed, 80, func(t *testing.T, rng *rand.Rand) Remote {
				l := &lostAnswer{Remote: mem}
				l.n.Store(int64(rng.IntN(3)))
				return l
			})
		})
	}
}

// TestKnownDivergence is an open fault found by the random test: with seed 8 and 80 steps
// (rounds cut after a few creates, in memory, no server), desks A and C end with the
// same live items but item s3 in the trash on C only. It runs with
// CHANCERY_KNOWN_FAULTS=1 until the fault is fixed; then it joins TestRandomOfflineEdits.
func TestKnownDivergence(t *testing.T) {
	if os.Getenv("CHANCERY_KNOWN_FAULTS") != "1" {
		t.Skip("an open fault (trash state diverges, seed 8); CHANCERY_KNOWN_FAULTS=1 runs it")
	}
	randomOfflineEdits(t, NewMemRemote("mem"), 8, 80, nil)
}
