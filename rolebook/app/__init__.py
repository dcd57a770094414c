"""The orchestration layer: the only code that runs the stages in order (see docs/architecture.md)."""
