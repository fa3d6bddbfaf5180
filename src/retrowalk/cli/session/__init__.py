"""The terminal player: :mod:`.commands` (``retrowalk session start|resume``) plays a session with
:mod:`.loop` (cues, display, checkpoints), :mod:`.audio` (speech or bells) and :mod:`.keys`, then
asks :mod:`.prompts` (how it went)."""
