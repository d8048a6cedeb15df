// Package extract reads the text out of document files: PDF (its text layer), DOCX, HTML
// (the main content, not menus and ads) and plain text in any common encoding.
//
// Contract:
//   - File never panics and never runs past its limits: each parser runs with a deadline
//     (Limits.Time), a cap on the file's size (Limits.MaxSize), on what it may inflate or
//     allocate (Limits.Memory) and on the text it returns (Limits.MaxText). A panic inside a
//     parser becomes that file's error.
//   - A file that cannot be read returns a *Refusal that says why in words a desk officer
//     understands ("encrypted: a password is needed", "damaged PDF: ..."). A file that is read
//     but holds no text (a scan, a blank page) is not refused: its Result has Empty set and a
//     Reason ("no text layer").
//   - extract imports nothing of Chancery's: it knows bytes and text, not items.
//   - PDFs are read by PDFium compiled to WebAssembly; its machine code is cached in the
//     user's cache directory (chancery/pdfium-wasm), the only file extract writes.
package extract
