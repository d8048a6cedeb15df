package teamsync

import (
	"context"
	"fmt"
	"math/rand/v2"
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
