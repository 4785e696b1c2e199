"""Store backends behind ``aseankg.graph.store``: the embedded folder and SPARQL engines."""
