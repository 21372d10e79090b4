"""The second language: labels, catalogues, translated downloads, search, the language switch."""
