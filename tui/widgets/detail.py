"""The detail pane: everything a moderator needs to decide on one comment, without leaving the keyboard.

Left: the comment (matched spans highlighted, slurs masked until revealed), why it was flagged (rule, clause,
explanation), the official post it replies to and its neighbours. Right: the author's history on our accounts,
the platform state and the ledger for this comment. All public text goes through ``tui.safe``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, tzinfo
from typing import Any

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from moderation.services.views import CommentDetail, FindingView, QueueItem
from tui import safe
from tui.format import SEVERITY_STYLE, STATE_STYLE, age, mask_spans, masks_within

HIGHLIGHT = "bold underline"


class Heading:
    """``Rule(Text(title, style="bold"), align="left", style="dim")`` drawn as three segments.

    A detail pane has up to seven of these and is redrawn on every move through the queue; a Rule builds, cuts and
    wraps a Text each time. ``title`` is the program's own words, never public text.
    """

    BOLD = Style(bold=True)
    DIM = Style(dim=True)

    def __init__(self, title: str) -> None:
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        title = self.title if len(self.title) <= width - 2 else self.title[: max(0, width - 3)] + "…"
        yield Segment(title, self.BOLD)
        yield Segment(" ")
        yield Segment("─" * max(0, width - len(title) - 1), self.DIM)
        yield Segment.line()


def heading(title: str) -> Heading:
    return Heading(title)


def clause_label(cid: str, clauses: Mapping[str, Any]) -> str:
    c = clauses.get(cid)
    return f"{cid} {c.title}" if c is not None else cid


def item_line(it: QueueItem, now: datetime, masks: list[tuple[int, int]] | None = None) -> Text:
    t = Text(f"#{it.id} ", style="dim")
    t.append(f"{it.state:<11} ", style=STATE_STYLE.get(it.state, ""))
    t.append(f"{age(now - it.created_at):>4} ", style="dim")
    t.append_text(safe.line(it.author_name, limit=24, style="italic"))
    t.append(": ")
    t.append_text(safe.line(it.preview, limit=200, masks=masks or []))
    t.no_wrap = True
    t.overflow = "ellipsis"
    return t


def finding_line(
    f: FindingView, clauses: Mapping[str, Any], masked: bool, masks: Sequence[tuple[int, int]] = ()
) -> Text:
    """One finding: rule, clause, severity, action, what it matched and why. ``masked``: the whole match is
    masked; otherwise any masked span of the comment inside the match ("kill every [slur]") is masked in it."""
    t = Text("• " if f.mode == "enforce" else "◇ shadow ", style="cyan" if f.mode != "enforce" else "")
    t.append(f.rule_id, style="bold")
    t.append(f" · clause {clause_label(f.clause, clauses)} · ")
    t.append(f.severity, style=SEVERITY_STYLE.get(f.severity, ""))
    t.append(f" → {f.action}")
    t.append(" · matched ")
    t.append_text(
        Text("•" * max(1, len(f.match)), style=safe.MASK_STYLE)
        if masked
        else safe.line(f"“{f.match}”", limit=80, masks=[(a + 1, b + 1) for a, b in masks_within(f, masks)])
    )
    if f.explanation:
        t.append("\n  ")
        t.append_text(safe.line(f.explanation, limit=300, style="italic"))
    return t


class RenderedColumn(ScrollView, can_focus=False):
    """One scrolling column that turns a Rich renderable into lines once per ``update`` and paints from them.

    A ``Static`` in a ``VerticalScroll`` renders its content twice per change (once to measure its height for the
    layout, once to paint) and re-lays out the whole screen; moving through the queue changes the detail on every
    key press, so this column renders once at its own width and only its own lines are repainted. The scrollbar
    gutter is always reserved, so the width to render at never depends on the content's height.
    """

    DEFAULT_CSS = """
    RenderedColumn {
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
    }
    """

    def __init__(self, content: RenderableType, *, id: str) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id)
        self._content: RenderableType = content
        self._lines: list[Strip] = []
        self._blank = Strip.blank(0)
        self._width = -1

    @property
    def content(self) -> RenderableType:
        """The renderable on show (tests read it)."""
        return self._content

    def update(self, content: RenderableType, *, home: bool = True) -> None:
        """Show ``content``, from its first line unless ``home`` is false (the same comment, redrawn)."""
        self._content = content
        self._render_lines()
        if home:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def _render_lines(self) -> None:
        width = self.scrollable_content_region.width
        self._width = width
        style = self.rich_style
        self._blank = Strip.blank(max(0, width), style)
        if width <= 0:
            self._lines = []
            return
        console = self.app.console
        options = self.app.console_options.update(highlight=False, width=width, height=None)
        segments = console.render(self.post_render(self._content, style), options)
        self._lines = [
            Strip(line, width)
            for line in Segment.split_and_crop_lines(segments, width, style, include_new_lines=False, pad=True)
        ]
        self.virtual_size = Size(width, len(self._lines))

    def on_resize(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._render_lines()
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self._width >= 0:  # rendered before: the lines carry the old colours (a theme switch)
            self._render_lines()

    def render_line(self, y: int) -> Strip:
        n = y + int(self.scroll_y)
        if 0 <= n < len(self._lines):
            return self._lines[n]
        return self._blank


SIDE_PENDING = Group(
    heading("Author on our accounts"),
    Text("Their other comments and earlier decisions, the platform state and the ledger follow…", style="dim italic"),
)


class DetailPane(Horizontal):
    """Two scrolling columns; ``show`` renders a ``CommentDetail`` the worker fetched. Times are shown in the
    department's zone (the app's ``tz``, from ``MODQ_TIMEZONE``)."""

    shown_id: int | None = None

    @property
    def tz(self) -> tzinfo:
        return getattr(self.app, "tz", UTC)

    def local(self, at: datetime, fmt: str) -> str:
        return at.astimezone(self.tz).strftime(fmt)

    def compose(self) -> ComposeResult:
        yield RenderedColumn(Text("Select a comment.", style="dim"), id="detail-main")
        yield RenderedColumn("", id="detail-side")

    @property
    def main(self) -> RenderedColumn:
        return self.query_one("#detail-main", RenderedColumn)

    @property
    def side(self) -> RenderedColumn:
        return self.query_one("#detail-side", RenderedColumn)

    def clear_detail(self, message: str = "The queue is empty.") -> None:
        self.shown_id = None
        self.main.update(Text(message, style="dim"))
        self.side.update("")

    def scroll_main(self, pages: float) -> None:
        main = self.main
        main.scroll_to(y=main.scroll_y + pages * max(1, main.size.height - 2), animate=False)

    def show(
        self,
        d: CommentDetail,
        *,
        now: datetime,
        clauses: Mapping[str, Any],
        family: frozenset[str],
        revealed: bool,
        actor: str,
        cite: str | None,
        author_decisions: list[Any],
        masks_for: Mapping[int, list[tuple[int, int]]],
        context: bool = True,
    ) -> None:
        """Render ``d``. Without ``context`` (its neighbours and author history are not read yet) the left column
        stops after the official post and the right column says what is coming."""
        home = d.item.id != self.shown_id
        self.shown_id = d.item.id
        self.main.update(self._main(d, now, clauses, family, revealed, actor, cite, masks_for), home=home)
        if context:
            self.side.update(self._side(d, now, author_decisions, masks_for), home=home)
        elif self.side.content is not SIDE_PENDING:
            self.side.update(SIDE_PENDING)  # the same for every comment: moving on repaints nothing here

    # ------------------------------------------------------------ left column
    def _main(
        self,
        d: CommentDetail,
        now: datetime,
        clauses: Mapping[str, Any],
        family: frozenset[str],
        revealed: bool,
        actor: str,
        cite: str | None,
        masks_for: Mapping[int, list[tuple[int, int]]],
    ) -> RenderableType:
        it = d.item
        head = Text(f"#{it.id} ", style="bold")
        head.append(it.state, style=STATE_STYLE.get(it.state, ""))
        head.append(f" · priority {it.priority}")
        if it.severity:
            head.append(" · ")
            head.append(it.severity, style=SEVERITY_STYLE.get(it.severity, ""))
        if it.clauses:
            head.append(" · clause " + ", ".join(clause_label(c, clauses) for c in it.clauses))
        if it.claimed_by:
            mine = it.claimed_by == actor
            head.append("  ")
            head.append_text(
                safe.line(
                    f"{'held by you' if mine else 'HELD BY ' + it.claimed_by}"
                    f"{' until ' + self.local(it.claimed_until, '%H:%M') if it.claimed_until else ''}",
                    limit=60,
                    style="green" if mine else "bold white on red",
                )
            )
        by = Text(f"{it.platform} · ", style="dim")
        by.append_text(safe.line(it.account_name or it.account, limit=40, style="dim"))
        by.append(" · by ", style="dim")
        by.append_text(safe.line(it.author_name, limit=60, style="bold"))
        by.append(" @", style="dim")
        by.append_text(safe.line(it.author_handle, limit=40, style="dim"))
        by.append(
            f" · {self.local(it.created_at, '%Y-%m-%d %H:%M %Z')} ({age(now - it.created_at)} ago)"
            f"{' · reply' if it.is_reply else ''}",
            style="dim",
        )
        link = Text("link ", style="dim")
        if d.url.startswith(("https://", "http://")):
            link.append_text(safe.line(d.url, limit=200, style="underline"))
            link.append("  (o opens it, y copies it)", style="dim")
        else:
            link.append("none stored", style="dim")
        link.no_wrap, link.overflow = True, "ellipsis"
        all_findings = d.findings + d.shadow_findings
        masks = [] if revealed else mask_spans(all_findings, family)
        styles = [(f.start, f.end, HIGHLIGHT if f.mode == "enforce" else "underline") for f in all_findings]
        styles += [(f.start, f.end, SEVERITY_STYLE.get(f.severity, "")) for f in d.findings]
        body = safe.literal(d.text, styles=styles, masks=masks)
        parts: list[RenderableType] = [head, by, link, heading("Comment"), body]
        if masks:
            parts.append(Text("Masked words: press r to reveal.", style="dim italic"))
        if len(d.versions) > 1:
            parts.append(Text(f"Edited: {len(d.versions)} versions kept.", style="dim"))
        parts.append(heading("Why it is here"))
        if all_findings:
            masked_rules = {id(f) for f in all_findings if not revealed and (f.start, f.end) in masks}
            parts.extend(finding_line(f, clauses, id(f) in masked_rules, masks) for f in all_findings)
        else:
            parts.append(Text("No rule matched: queued for a person at low priority.", style="dim"))
        for dec in d.decisions[-3:]:
            t = Text(f"{self.local(dec.created_at, '%d %b %H:%M')} ", style="dim")
            t.append_text(safe.line(dec.actor, limit=40))
            t.append(f" {dec.action} {dec.from_state}→{dec.to_state}{' (undone)' if dec.undone else ''} ")
            t.append_text(safe.line(dec.note, limit=200, style="italic"))
            parts.append(t)
        if cite:
            parts.append(
                Text(
                    f"A decision will cite clause {clause_label(cite, clauses)} (changed with c).", style="bold yellow"
                )
            )
        for esc in d.escalations:
            t = Text(f"Escalation to {esc.route}: {esc.status}", style="magenta")
            t.append(f", due {self.local(esc.due_at, '%d %b %H:%M')}")
            if esc.notes:
                t.append(" · ")
                t.append_text(safe.line(esc.notes, limit=300, style="italic"))
            parts.append(t)
        parts.append(heading("In reply to the official post"))
        parts.append(safe.literal(d.post_text or "(post text not stored)", limit=600, max_lines=8, style="italic"))
        if d.neighbours:
            parts.append(heading("Neighbouring comments"))
            parts.extend(item_line(n, now, masks_for.get(n.id)) for n in d.neighbours)
        return Group(*parts)

    # ------------------------------------------------------------ right column
    @staticmethod
    def _who(it: QueueItem) -> Text:
        who = safe.line(it.author_name, limit=40, style="bold")
        who.append(" @")
        who.append_text(safe.line(it.author_handle, limit=30))
        return who

    def _side(
        self,
        d: CommentDetail,
        now: datetime,
        author_decisions: list[Any],
        masks_for: Mapping[int, list[tuple[int, int]]],
    ) -> RenderableType:
        it = d.item
        parts: list[RenderableType] = [heading("Author on our accounts"), self._who(it)]
        parts.append(Text(f"{len(d.author_history)} other comments shown, {d.author_hidden_count} hidden"))
        parts.extend(item_line(h, now, masks_for.get(h.id)) for h in d.author_history[:8])
        if author_decisions:
            parts.append(Text("Earlier decisions:", style="bold"))
            for ad in author_decisions[:8]:
                dec = ad.decision
                t = Text(f"#{ad.comment_id} {self.local(dec.created_at, '%d %b')} ", style="dim")
                t.append_text(safe.line(dec.actor, limit=28))
                t.append(f" {dec.action}→{dec.to_state}")
                if dec.clauses:
                    t.append(f" cl.{','.join(dec.clauses)}")
                t.no_wrap = True
                t.overflow = "ellipsis"
                parts.append(t)
        parts.append(heading("Platform"))
        on_platform = {None: "unknown", True: "hidden", False: "visible"}[d.platform_hidden]
        parts.append(
            Text(
                f"On {it.platform}: {on_platform}{' (deleted)' if d.platform_deleted else ''}; "
                f"we want it {'hidden' if d.intended_hidden else 'visible'}"
            )
        )
        if not d.own_conversation:
            parts.append(Text("Not in our conversation: the platform will not let us hide it.", style="yellow"))
        for o in d.outbox[-4:]:
            t = Text(f"outbox {o.action} {o.status} ({o.attempts} tries)")
            if o.last_error:
                t.append(" ")
                t.append_text(safe.line(o.last_error, limit=80, style="red"))
            parts.append(t)
        parts.append(heading("Ledger"))
        for ev in d.ledger[-10:]:
            t = Text(f"{ev.seq:>6} {_ledger_time(ev.at, self.tz)} ", style="dim")
            t.append(ev.kind)
            t.append(" ")
            t.append_text(safe.line(ev.actor, limit=30))
            move = ev.payload.get("to")
            if move:
                t.append(f" → {move}")
            t.no_wrap = True
            t.overflow = "ellipsis"
            parts.append(t)
        return Group(*parts)


def _ledger_time(at: str, tz: tzinfo) -> str:
    """A ledger event's time (ISO, UTC) as the department's local "MM-DD HH:MM"."""
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return at[5:16].replace("T", " ")
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(tz).strftime("%m-%d %H:%M")
