//go:build !linux

package render

// swapIn puts the folder tmp in place of dir and returns where the old
// site now is ("" for none): elsewhere than on Linux, with two renames
// ([swapByRenames]), so a crash between them leaves no folder at dir (the
// old site is then at ".<base>.old-<digits>", and the next write removes
// it).
func swapIn(tmp, dir string) (old string, err error) {
	return swapByRenames(tmp, dir)
}
