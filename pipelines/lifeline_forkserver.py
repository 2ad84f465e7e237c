"""Preloaded by the fork server of ``microcred refresh``: arms it to die with the refresh.

Importing this module is the point (the fork server can only run imports); nothing else imports it, since the
refresh's own process must not die with its shell.
"""

from scrapers.lifeline import die_with_parent

die_with_parent()
