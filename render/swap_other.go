//go:build !linux

package render

// swapIn puts the folder tmp in place of dir by [swapByRenames]; a crash
// between its renames leaves the old site at ".<base>.old-<digits>".
func swapIn(tmp, dir string) (old string, err error) {
	return swapByRenames(tmp, dir)
}
