"""The cross-check's Django app: the contract's Lamp model and the application's two views."""
