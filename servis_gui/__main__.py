"""``python -m servis_gui``: start SERVIS."""

from servis_gui.app import main

raise SystemExit(main())
