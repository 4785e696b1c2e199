"""Records to RDF with provenance, validation, and the embedded Oxigraph store."""
