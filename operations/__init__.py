"""The operations layer: one module per use case, called by every front end."""
