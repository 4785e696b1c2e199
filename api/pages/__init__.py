"""Page rendering for the browser UI: reads shaped into records, figures and their SVG pictures."""
