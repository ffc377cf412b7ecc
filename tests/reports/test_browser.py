"""The HTML report in a real browser: headless Chromium, networking features off, a screenshot whose every chart
has something drawn in it.

Each chart sits in a ``<figure>`` framed by a 1 px border of one exact colour (``FRAME``); the test finds those
frames in the screenshot and looks inside each for the chart palette's colours. Chromium is installed once per
machine (as root, from the Debian package) if it is missing; otherwise the test fails saying how to get it.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from .conftest import Dataset

FRAME = (0xD0, 0xD1, 0xD2)
PALETTE = [
    (0x00, 0x72, 0xB2),
    (0xE6, 0x9F, 0x00),
    (0x00, 0x9E, 0x73),
    (0xD5, 0x5E, 0x00),
    (0x56, 0xB4, 0xE9),
    (0xCC, 0x79, 0xA7),
    (0x99, 0x99, 0x99),
    (0xF0, 0xE4, 0x42),
]
LOCK = Path("/tmp/modq-chromium-install.lock")


def _find() -> str | None:
    for name in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium() -> Iterator[str]:
    with open(LOCK, "w") as lock:  # two xdist workers must not run apt at once
        fcntl.flock(lock, fcntl.LOCK_EX)
        path = _find()
        if path is None:
            if os.geteuid() != 0:
                pytest.fail(
                    "Chromium is missing: install the Debian 'chromium' package (apt-get install chromium) "
                    "or run .ci/run as root, which installs it"
                )
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            cmd = ["apt-get", "install", "-y", "-qq", "chromium"]
            if subprocess.run(cmd, env=env, capture_output=True).returncode != 0:
                subprocess.run(["apt-get", "update", "-qq"], env=env, capture_output=True, check=True)
                subprocess.run(cmd, env=env, capture_output=True, check=True)
            path = _find()
            assert path, "apt-get installed chromium but it is not on PATH"
    yield path


def screenshot(chromium: str, page: Path, png: Path, profile: Path, height: int) -> np.ndarray:
    cmd = [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--user-data-dir={profile}",
        f"--screenshot={png}",
        f"--window-size=1280,{height}",
        page.resolve().as_uri(),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert png.exists(), f"no screenshot: {result.stderr[-2000:]}"
    from matplotlib import image

    pixels = image.imread(str(png))
    return (np.asarray(pixels)[..., :3] * 255).round().astype(np.int16)


def frames(img: np.ndarray, min_width: int = 300) -> list[tuple[int, int, int, int]]:
    """Rectangles (top, left, bottom, right) drawn in the frame colour."""
    mask = np.all(img == np.array(FRAME), axis=-1)
    edges: list[tuple[int, int, int]] = []
    for y in np.nonzero(mask.sum(axis=1) >= min_width)[0]:
        xs = np.nonzero(mask[y])[0]
        # the longest run of frame pixels on this row
        splits = np.split(xs, np.nonzero(np.diff(xs) != 1)[0] + 1)
        run = max(splits, key=len)
        if len(run) >= min_width:
            edges.append((int(y), int(run[0]), int(run[-1])))
    boxes = []
    used: set[int] = set()
    for i, (y, x0, x1) in enumerate(edges):
        if i in used:
            continue
        for j in range(i + 1, len(edges)):
            y2, a, b = edges[j]
            if j not in used and (a, b) == (x0, x1) and y2 - y > 40 and mask[y:y2, x0].all():
                boxes.append((y, x0, y2, x1))
                used.update({i, j})
                break
    return boxes


@pytest.mark.backends("sqlite")
def test_every_chart_draws_in_headless_chromium(dataset: Dataset, chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    dataset.svc.report(date(2026, 11, 1), date(2026, 11, 30), "html", page)
    expected = len(re.findall(r"<figure data-chart=", page.read_text()))
    assert expected == 9
    img = screenshot(chromium, page, tmp_path / "report.png", tmp_path / "profile", 8000)
    boxes = frames(img)
    assert len(boxes) == expected, f"found {len(boxes)} chart frames, expected {expected}"
    for top, left, bottom, right in boxes:
        inside = img[top + 2 : bottom - 1, left + 2 : right - 1]
        ink = np.any(inside < 235, axis=-1).mean()
        coloured = sum(int(np.all(inside == np.array(c), axis=-1).sum()) for c in PALETTE)
        assert ink > 0.02, f"chart at y={top} is nearly blank ({ink:.1%} ink)"
        assert coloured > 300, f"chart at y={top} has no bars in the palette ({coloured} px)"
    # Below the last chart the page goes on (tables, notes), so the whole report was laid out.
    assert np.any(img[boxes[-1][2] + 20 :] < 235)
    if os.environ.get("MODQ_KEEP_SCREENSHOT"):
        shutil.copy(tmp_path / "report.png", os.environ["MODQ_KEEP_SCREENSHOT"])
