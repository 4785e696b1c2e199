"""Reading plans of action into typed records: readers, structure parser, NLP extractor.

This layer imports no rdflib: it receives the authority file as plain records
(:mod:`aseankg.ontology.records`).
"""
