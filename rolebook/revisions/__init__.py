"""The handbook's history: a safe git reader (git.py), a revision's files for the pipeline (snapshot.py),
two snapshots compared field by field (compare.py), the comparison as text and JSON (report.py)."""
