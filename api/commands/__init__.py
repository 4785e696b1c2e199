"""One module per CLI command group, each exposing ``register(app)``."""
