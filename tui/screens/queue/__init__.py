"""The queue screen: the list of open comments above, the chosen comment's full story below.

``screen`` holds the keys and the layout; ``decisions`` the decision keys; ``updates`` what the workers' messages
do on the UI thread; ``workers`` the service calls in threads; ``base`` the state and the drawing.
"""

from tui.screens.queue.base import CONTEXT_REST, NEXT_STATE, OPEN, PAGE, RECENT
from tui.screens.queue.screen import JumpInput, QueueScreen, SearchInput

__all__ = ["CONTEXT_REST", "NEXT_STATE", "OPEN", "PAGE", "RECENT", "JumpInput", "QueueScreen", "SearchInput"]
