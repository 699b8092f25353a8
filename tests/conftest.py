import os

# Keep TensorFlow's C++ start-up lines out of test logs where it listens.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
