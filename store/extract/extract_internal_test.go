package extract

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// A reader that panics or never returns costs only its file: the caller gets a refusal in
// words, in time, and the text of a reader that returns is cut and trimmed.
func TestRunContainsReaders(t *testing.T) {
	lim := DefaultLimits
	lim.Time = 50 * time.Millisecond
	lim.MaxText = 13
	release := make(chan struct{})
	defer close(release)
	tests := []struct {
		name   string
		read   func(context.Context, []byte, Limits) (Result, error)
		refuse string // "" for a result
		text   string
	}{
		{"panics", func(context.Context, []byte, Limits) (Result, error) { panic("index out of range") }, "the docx reader failed on this file (index out of range)", ""},
		{"never returns", func(context.Context, []byte, Limits) (Result, error) { <-release; return Result{Text: "late"}, nil }, "took longer than 50ms to read; stopped", ""},
		{"returns the context's error", func(ctx context.Context, _ []byte, _ Limits) (Result, error) {
			<-ctx.Done()
			return Result{}, ctx.Err()
		}, "took longer than 50ms to read; stopped", ""},
		{"long text", func(context.Context, []byte, Limits) (Result, error) {
			return Result{Text: "  first para\n\nsecond paragraph  "}, nil
		}, "", "first para"},
		{"no text", func(context.Context, []byte, Limits) (Result, error) { return Result{Text: " \n "}, nil }, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			r, err := run(context.Background(), DOCX, tc.read, nil, lim)
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("returned after %s", took)
			}
			var ref *Refusal
			if tc.refuse != "" {
				if !errors.As(err, &ref) || ref.Reason != tc.refuse {
					t.Fatalf("err %v, want the refusal %q", err, tc.refuse)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Text != tc.text || r.Format != DOCX || r.Empty != (tc.text == "") || (r.Empty && !strings.Contains(r.Reason, "no text")) {
				t.Errorf("result %+v, want text %q", r, tc.text)
			}
		})
	}
}
