"""Named analyst queries (``*.rq``) and their loader."""
