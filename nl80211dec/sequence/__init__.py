"""The sequencer: connection attempts rebuilt from decoded messages (sans-IO)."""

from .attempt import Attempt, Step
from .sequencer import Sequencer
from .verdicts import VERDICT_IDS, VERDICTS

__all__ = ["Attempt", "Sequencer", "Step", "VERDICTS", "VERDICT_IDS"]
