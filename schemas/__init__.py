"""msgspec Structs shared by every layer: wire types, the result, and the extracted document."""
