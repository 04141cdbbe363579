"""SERVIS: Speech Emotion Recognition VISualiser."""

import os

# Feature matrices are small: BLAS threads cost more than they save, and the GUI thread
# needs the second core. Must be set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
