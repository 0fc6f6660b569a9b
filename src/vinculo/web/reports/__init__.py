"""Reports generated from the platform data (resolution 74/176, §26 and §3–§5): model, builders, HTML and PDF."""
