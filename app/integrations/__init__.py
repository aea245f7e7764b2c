"""Talking to outside systems: SCME and partner NGO systems. Called only from the outbox worker,
never inside a request."""
