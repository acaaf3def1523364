"""Qt widgets and the workers that keep slow work off the UI thread."""
