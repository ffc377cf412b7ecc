"""What the queue screen's thread workers send back to the UI thread (handled as ``on_queue_screen_*``)."""

from __future__ import annotations

from typing import Any

from textual.message import Message

from moderation.services.views import CommentDetail, FindingView, QueueItem


class QueueLoaded(Message, namespace="queue_screen"):
    def __init__(
        self,
        items: list[QueueItem],
        findings: dict[int, list[FindingView]],
        keep: int | None,
        limit: int,
        append: bool = False,
        token: Any = None,
    ) -> None:
        super().__init__()
        self.items, self.findings, self.keep, self.limit, self.append, self.token = (
            items,
            findings,
            keep,
            limit,
            append,
            token,
        )


class CountsLoaded(Message, namespace="queue_screen"):
    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__()
        self.counts = counts


class DetailLoaded(Message, namespace="queue_screen"):
    def __init__(self, detail: CommentDetail) -> None:
        super().__init__()
        self.detail = detail


class ContextLoaded(Message, namespace="queue_screen"):
    # context: a DetailContext (moderation.services.tui_support, which the TUI does not import: it reads SQL)
    def __init__(self, context: Any, masks: dict[int, list[tuple[int, int]]]) -> None:
        super().__init__()
        self.context, self.masks = context, masks


class Claimed(Message, namespace="queue_screen"):
    def __init__(self, item: QueueItem) -> None:
        super().__init__()
        self.item = item


class Decided(Message, namespace="queue_screen"):
    def __init__(
        self, done: list[tuple[int, str]], failed: list[tuple[int, str]], verb: str, bulk: bool = False
    ) -> None:
        super().__init__()
        self.done, self.failed, self.verb, self.bulk = done, failed, verb, bulk


class UndoneMany(Message, namespace="queue_screen"):
    def __init__(self, done: list[int], failed: list[tuple[int, str]]) -> None:
        super().__init__()
        self.done, self.failed = done, failed


class Undone(Message, namespace="queue_screen"):
    def __init__(self, comment_id: int, text: str) -> None:
        super().__init__()
        self.comment_id, self.text = comment_id, text


class Failed(Message, namespace="queue_screen"):
    def __init__(self, text: str, comment_id: int | None = None, reload: bool = True) -> None:
        super().__init__()
        self.text, self.comment_id, self.reload = text, comment_id, reload


class Changed(Message, namespace="queue_screen"):
    pass


class Selected(Message, namespace="queue_screen"):
    def __init__(self, items: list[QueueItem]) -> None:
        super().__init__()
        self.items = items
