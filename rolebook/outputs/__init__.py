"""Stage 5: writing the outputs (site, PDFs, spreadsheets) from a checked handbook."""
