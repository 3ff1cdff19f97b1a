"""The sequencer: connection attempts rebuilt from decoded messages and log events (sans-IO)."""

from .attempt import Attempt, Candidate, Claim, Finding, Step
from .findings import FINDING_IDS
from .sequencer import Sequencer
from .verdicts import VERDICT_IDS, VERDICTS

__all__ = ["Attempt", "Candidate", "Claim", "FINDING_IDS", "Finding", "Sequencer", "Step", "VERDICTS", "VERDICT_IDS"]
