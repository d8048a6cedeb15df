package extract

import "context"

// readDOCX is written in its own change.
func readDOCX(ctx context.Context, data []byte, lim Limits) (Result, error) {
	return Result{}, refuse("docx files cannot be read yet")
}
