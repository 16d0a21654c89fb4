"""Resume parser platform: settings, credits and the command line shared by the API and the workers."""

__version__ = "0.1.0"
