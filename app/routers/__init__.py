"""One module per resource; endpoints parse, authorise, call one service, shape the answer."""
