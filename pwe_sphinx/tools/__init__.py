"""Programs that drive Sphinx: the two-language build, the live preview, and what they read."""
