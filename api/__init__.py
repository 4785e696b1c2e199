"""The HTTP service (FastAPI) and the command line (typer). Nothing imports this layer."""
