"""Case-management API for organisations that assist victims of human trafficking."""
