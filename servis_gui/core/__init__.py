"""Qt-free numeric and file code: audio loading, features, emotions, corpus readers."""
