"""Speech engines: text in, a mono PCM clip out."""
