"""meent's shared library. A library, never an app: it holds no service's tables."""
