"""The CLI's command groups: each parses arguments, calls an operation and renders its result."""
