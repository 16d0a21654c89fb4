"""Output formats of a parsed resume besides the JSON result."""
