"""Running the examples and the other programs the pages show, and reading their scripts."""
