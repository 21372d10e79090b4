"""The directives that the pages use; each module holds one, with its own ``setup()``."""
