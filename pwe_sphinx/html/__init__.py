"""The pages as written (markup, frame, maths, metadata) and what publishing them needs."""
