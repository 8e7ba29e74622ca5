"""The objects that join the store and the model to the views, one per concern."""
