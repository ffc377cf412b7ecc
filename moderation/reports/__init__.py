"""Committee statistics: figures computed in the database (``metrics``), rendered to HTML, Markdown, CSV and
JSON (``render``, with ``charts`` for the HTML's inline SVG).

The service reaches it through ``StatsMixin`` (``svc.stats``, ``svc.report``, ``svc.write_monthly_report``);
the CLI and the TUI never call it directly. Importing this package does not import matplotlib: only the HTML
renderer does, when it draws.
"""

from .metrics import Check, Metrics, RouteStats, RuleTrust, ShadowRule, Timing, compute
from .period import Hours, Period

__all__ = ["Check", "Hours", "Metrics", "Period", "RouteStats", "RuleTrust", "ShadowRule", "Timing", "compute"]
