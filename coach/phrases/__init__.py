"""Phrasebooks shipped with coach (YAML data)."""
