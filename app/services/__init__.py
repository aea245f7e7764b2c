"""Async functions per resource: the only code that touches the database.

Each write follows one path: load → check access → ask the domain → write → audit (→ outbox),
inside the request's single transaction.
"""
