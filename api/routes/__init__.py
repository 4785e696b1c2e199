"""The HTTP routers, one module per concern: SPARQL protocol, linked data, REST, UI,
self-description and operations."""
