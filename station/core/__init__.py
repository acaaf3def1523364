"""The domain: pure Python. Imports neither Qt, OpenCV nor the network (a test checks)."""
