"""Stage 4: the Handbook model turned into page sources, print HTML and charts (no I/O besides Graphviz)."""
