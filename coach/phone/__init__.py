"""Getting sessions onto a phone: the rendered sessions of a folder, their podcast
feed, and a small server for the home network."""
