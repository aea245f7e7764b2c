"""Request and response models per resource: XCreate, XUpdate, XRead, Page[T]."""
