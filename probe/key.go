package probe

// Key names one cell of the status tables: a check at a server of a group.
// The history tracks each key, and merging matches results by it.
type Key struct {
	Group   string
	Address string
	Check   string
}

// KeyOf is the key of a result.
func KeyOf(r Result) Key { return Key{r.Group, r.Address, r.Check} }

// String is "group address check".
func (k Key) String() string { return k.Group + " " + k.Address + " " + k.Check }
