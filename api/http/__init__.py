"""HTTP mechanics below the routers: errors and their problem shape, settings, negotiation,
caching, the query executor and its egress policy."""
