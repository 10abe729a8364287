"""What the main window's own menus (Surat, Sinkron) share: a weak reference to the window and
one way to add an action."""
from __future__ import annotations

import weakref

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMenu, QWidget


class WindowMenu:
    def __init__(self, window: QWidget, services):
        # A weak reference: the window owns this object, and a reference cycle through a Qt
        # window would leave it to Python's cyclic GC, which may run on a worker thread and
        # delete widgets there (a crash).
        self._window_ref = weakref.ref(window)
        self._s = services

    @property
    def _window(self) -> QWidget | None:
        return self._window_ref()

    @staticmethod
    def _add(menu: QMenu, text: str, slot, shortcut=None, enabled: bool = True) -> None:
        action = menu.addAction(text)
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
