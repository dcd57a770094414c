"""Stage 2: checks. Each check yields problems; none prints or exits."""
