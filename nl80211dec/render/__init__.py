"""Renderers: text timeline, JSON lines, notebook HTML. They only read messages."""
