"""The procedure rules, pure: stdlib only, values in, values or domain errors out.

Nothing here imports FastAPI, SQLModel, SQLAlchemy or the rest of ``app`` (a test checks it).
"today" and "now" are always arguments.
"""
