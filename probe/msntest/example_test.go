package msntest_test

import (
	"fmt"
	"log"

	"deadyet/probe/msntest"
)

// A small fleet like the last days of MSN: a region whose main servers
// still answer, some that refuse the newest versions, and some gone quiet.
// Ports of 0 are chosen once, for every server alike; a demo run by a user
// would name ports above 1024 instead.
func ExampleStartFleet() {
	ns := msntest.Behavior{Kind: msntest.NS, Versions: msntest.DefaultVersions}
	fleet, err := msntest.StartFleet("127.0.106.1", msntest.Ports{}, []msntest.Spec{
		{Group: "bay", Count: 2, Main: true, Behavior: msntest.Behavior{Kind: msntest.Dispatch, Versions: msntest.DefaultVersions}},
		{Group: "bay", Count: 2, Behavior: ns},
		{Group: "db3", Count: 1, Behavior: msntest.Behavior{Kind: msntest.NS, Versions: []string{"MSNP18"}}},
		{Group: "db3", Count: 1, Behavior: msntest.Behavior{Kind: msntest.Silent}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer fleet.Close()
	for _, s := range fleet.Servers {
		fmt.Println(s.Group, s.Addr, s.Behavior.Kind, s.Main, s.Ports == fleet.Ports)
	}
	// Output:
	// bay 127.0.106.1 dispatch true true
	// bay 127.0.106.2 dispatch true true
	// bay 127.0.106.3 ns false true
	// bay 127.0.106.4 ns false true
	// db3 127.0.106.5 ns false true
	// db3 127.0.106.6 silent false true
}
