"""Stage 1: read handbook files strictly, keeping every value's position."""
