"""Converting a record image to stored values, planned once per shape of image.

An import converts every column of every row (about 26 per person): a Python loop over the
columns was a fifth of the import. Images of one table come in few shapes: which columns are
text, which null, which dates. So the values are taken out in one C call (itemgetter), their
types read in another (map), and the tuple of types picks a plan made the first time that shape
is seen: which few columns need a converter (dates, times, booleans, nulls, the version). Text
columns holding text need nothing at all.

A plan only covers images whose columns are there (or have a default), with values whose type
the column takes. Any other image (a required column missing, a wrong type, a conversion that
fails) returns None and goes
through the column-by-column path of TableInfo.params, which refuses it with the column's own
reason, so the messages never depend on this shortcut.
"""
from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable

# (picks the stored values from the image's values plus a trailing NULL marker: nulls and
#  the version columns pick the marker; (position, converter) of each column to convert)
Plan = tuple[Callable[[tuple], tuple], tuple[tuple[int, Callable[[Any], Any]], ...]]
_NONE = type(None)


class RowPlans:
    def __init__(self, columns, text, null_param, hlc_index: int, origin_index: int,
                 required):
        self._names = tuple(c.name for c in columns)
        self._get = itemgetter(*self._names)
        # What a column left out of an image takes (bulk-written images leave out nulls).
        self._defaults = {c.name: c.default for c in columns if c.default is not required}
        self._columns = columns
        self._text, self._null = text, null_param
        self._hlc_index, self._origin_index = hlc_index, origin_index
        self._plans: dict[tuple[type, ...], Plan | None] = {}
        self._marker = (null_param,)

    def params(self, data: dict, hlc: int, origin: str) -> list | None:
        try:
            values = self._get(data)
        except KeyError:
            try:
                values = self._get({**self._defaults, **data})
            except KeyError:  # a column without a default is missing
                return None
        kinds = tuple(map(type, values))
        plan = self._plans.get(kinds, False)
        if plan is False:
            plan = self._plans[kinds] = self._make(kinds)
        if plan is None:
            return None
        pick, converters = plan
        out = list(pick(values + self._marker))  # two C calls, however many nulls
        try:
            for i, convert in converters:
                out[i] = convert(out[i])
        except (ValueError, TypeError, OverflowError):
            return None
        out[self._hlc_index], out[self._origin_index] = hlc, origin
        return out

    def _make(self, kinds: tuple[type, ...]) -> Plan | None:
        """The converters for images of this shape, or None when no plan can take it."""
        plan, picks, marker = [], [], len(kinds)
        for i, (column, kind) in enumerate(zip(self._columns, kinds)):
            if i in (self._hlc_index, self._origin_index):
                picks.append(marker)  # set from the operation, whatever the image says
                continue
            picks.append(marker if kind is _NONE else i)
            if kind is _NONE:
                if not column.nullable:
                    return None
            elif column.store is self._text:
                if kind is not str:
                    return None
            elif column.store is None:  # converted by SQLAlchemy's processor itself
                plan.append((i, column.to_db))
            else:
                plan.append((i, column.store))
        return itemgetter(*picks), tuple(plan)
