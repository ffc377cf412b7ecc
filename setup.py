"""Build hook: ship the default policy inside the package.

The published policy lives at the top of the repository (``policies/`` and ``moderation_policy.md``) so that comms
and legal staff can read and edit it there. A wheel would otherwise carry no policy at all, so a non-editable install
could not run ``modq demo``. This copies both into ``moderation/_policy/`` of the build, keeping their relative layout
(``policies/`` beside ``moderation_policy.md``). Editable installs read the repository's copy directly.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


class BuildWithPolicy(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "moderation" / "_policy"
        shutil.copytree(ROOT / "policies", target / "policies", dirs_exist_ok=True)
        shutil.copy2(ROOT / "moderation_policy.md", target / "moderation_policy.md")


setup(cmdclass={"build_py": BuildWithPolicy})
