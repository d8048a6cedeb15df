//go:build ignore

// pecheck checks a Windows executable the way Windows sees it: a PE32+ (64-bit) image for
// the GUI subsystem (no console window), with an icon and a version resource carrying the
// version given. Usage: go run .ci/pecheck.go FILE.exe VERSION [BUILD]
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
	"strings"
	"unicode/utf16"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: go run .ci/pecheck.go FILE.exe VERSION [BUILD]")
		os.Exit(2)
	}
	path, version := os.Args[1], os.Args[2]
	build := ""
	if len(os.Args) > 3 {
		build = os.Args[3]
	}
	if err := check(path, version, build); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
		os.Exit(1)
	}
}

func check(path, version, build string) error {
	f, err := pe.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	oh, ok := f.OptionalHeader.(*pe.OptionalHeader64)
	if !ok || f.Machine != pe.IMAGE_FILE_MACHINE_AMD64 {
		return fmt.Errorf("not a PE32+ x86-64 image (machine %#x)", f.Machine)
	}
	if oh.Subsystem != pe.IMAGE_SUBSYSTEM_WINDOWS_GUI {
		return fmt.Errorf("subsystem %d, not the Windows GUI (%d): it would open a console window", oh.Subsystem, pe.IMAGE_SUBSYSTEM_WINDOWS_GUI)
	}
	rsrc := f.Section(".rsrc")
	if rsrc == nil {
		return fmt.Errorf("no resources (.rsrc): no icon, no version information")
	}
	data, err := rsrc.Data()
	if err != nil {
		return err
	}
	types, err := resourceTypes(data)
	if err != nil {
		return err
	}
	for _, need := range []struct {
		id   uint32
		what string
	}{{3, "icon (RT_ICON)"}, {14, "icon group (RT_GROUP_ICON)"}, {16, "version (RT_VERSION)"}} {
		if !types[need.id] {
			return fmt.Errorf("no %s resource", need.what)
		}
	}
	// VS_FIXEDFILEINFO: the numeric file version.
	i := bytes.Index(data, []byte{0xBD, 0x04, 0xEF, 0xFE})
	if i < 0 || i+16 > len(data) {
		return fmt.Errorf("no VS_FIXEDFILEINFO in the version resource")
	}
	ms, ls := binary.LittleEndian.Uint32(data[i+8:]), binary.LittleEndian.Uint32(data[i+12:])
	fixed := fmt.Sprintf("%d.%d.%d.%d", ms>>16, ms&0xffff, ls>>16, ls&0xffff)
	if !strings.HasPrefix(fixed, version+".") {
		return fmt.Errorf("file version %s, want %s.*", fixed, version)
	}
	if build != "" && fixed != version+"."+build {
		return fmt.Errorf("file version %s, want %s.%s", fixed, version, build)
	}
	strs := versionStrings(data)
	for _, k := range []string{"ProductVersion", "FileVersion"} {
		if !strings.HasPrefix(strs[k], version) {
			return fmt.Errorf("%s is %q, want %s", k, strs[k], version)
		}
	}
	fmt.Printf("%s: PE32+ x86-64, Windows GUI subsystem, icon, version %s (ProductVersion %q, ProductName %q)\n",
		path, fixed, strs["ProductVersion"], strs["ProductName"])
	return nil
}

// resourceTypes lists the type IDs in the resource directory's root.
func resourceTypes(d []byte) (map[uint32]bool, error) {
	if len(d) < 16 {
		return nil, fmt.Errorf("resource directory too short")
	}
	named, ids := int(binary.LittleEndian.Uint16(d[12:])), int(binary.LittleEndian.Uint16(d[14:]))
	out := map[uint32]bool{}
	for k := named; k < named+ids; k++ {
		off := 16 + 8*k
		if off+8 > len(d) {
			return nil, fmt.Errorf("resource directory truncated")
		}
		out[binary.LittleEndian.Uint32(d[off:])] = true
	}
	return out, nil
}

// versionStrings reads the StringFileInfo pairs ("ProductVersion" → "0.1.0.3"...) from
// the UTF-16 text of the resources.
func versionStrings(d []byte) map[string]string {
	u := make([]uint16, len(d)/2)
	for i := range u {
		u[i] = binary.LittleEndian.Uint16(d[2*i:])
	}
	text := string(utf16.Decode(u))
	out := map[string]string{}
	for _, k := range []string{"ProductVersion", "FileVersion", "ProductName", "FileDescription"} {
		i := strings.Index(text, k+"\x00")
		if i < 0 {
			continue
		}
		rest := strings.TrimLeft(text[i+len(k)+1:], "\x00")
		if j := strings.IndexByte(rest, 0); j >= 0 {
			out[k] = rest[:j]
		}
	}
	return out
}
