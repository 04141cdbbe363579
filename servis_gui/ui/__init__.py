"""Qt widgets and pyqtgraph views: the only layer that imports QtWidgets or pyqtgraph."""
