package history

// What the tests of package history_test use from inside.
var (
	ReadFile   = readFile
	AppendLine = appendLine
)
