"""The aseankg ontology (TBox), the authority file of actors and instruments, SHACL shapes."""
