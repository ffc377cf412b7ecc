"""A fake Facebook Graph API and X API v2 server on 127.0.0.1, with state and fault injection.

Why: the connectors must be tested through the real facebook-sdk and tweepy code paths, over HTTP, against
the real payload shapes, including the platforms' bad days. This server keeps state (a hide really hides
and the next poll sees it), pages the way the platforms do (Graph ``paging.cursors.after`` + ``paging.next``
with ``access_token`` in its query; X ``meta.next_token``, ``meta.newest_id``, ``includes.users``,
``edit_history_tweet_ids``), sends rate headers, enforces X's 50 hides per 15 minutes per user, and injects
faults on demand.

In-process::

    fp = FakePlatform(seed=1)
    base = fp.start()                      # "http://127.0.0.1:PORT"
    fp.add_graph_token("fb-token")         # all permissions; perms=... to leave some out
    page = fp.add_fb_page("1001", "Department")
    post = fp.add_fb_post(page, "Road closures this weekend")
    cid = fp.add_fb_comment(post, "you idiots", author=("u1", "A Person"))
    fp.inject(r"POST /v\\d+\\.\\d+/", "html", times=1)   # next hide gets an HTML 502
    ...
    fp.hide_calls[cid]                     # hide requests that reached the server and succeeded
    fp.reply_calls[cid], fp.replies_to(cid)  # replies published under a comment (Graph edge or X reply post)
    fp.stop()

Faults (``inject(target, kind, times)``; ``target`` is a regex searched in ``"METHOD /path"``):
``429`` (with ``x-rate-limit-reset`` / ``Retry-After``), ``429_noreset``, ``rate_code`` (Graph error 32 with a
usage header), ``5xx``, ``html`` (502 HTML page), ``slow`` (answer after ``slow_seconds``: the request is
processed first, as a slow real server would), ``malformed`` (truncated JSON with status 200), ``expired``
(X 401 / Graph code 190), ``forbidden`` (403), ``duplicate`` (a list page repeats items of the page before),
``out_of_order`` (a list page is shuffled). ``random_faults(rate, kinds, target)`` injects them at random
with the seeded RNG. ``messy_paging = True`` duplicates and shuffles every list page.

Standalone: ``python -m connectors.testing.fake_platform --port 8999 --seed-demo``; ``GET /_fake/state`` shows
the hidden ids and how many hide requests reached the server for each.

The package: ``wire`` (constants, time formats, error bodies), ``state`` (settings, faults, ids, paging), ``graph``
and ``x`` (each platform's state and endpoints), ``server`` (``FakePlatform``: both behind one loopback server).
"""

from connectors.testing.fake_platform.server import FakePlatform, main
from connectors.testing.fake_platform.wire import FAULT_KINDS, GRAPH_PERMISSIONS, TWITTER_EPOCH_MS, X_WINDOW

__all__ = ["FAULT_KINDS", "GRAPH_PERMISSIONS", "TWITTER_EPOCH_MS", "X_WINDOW", "FakePlatform", "main"]
