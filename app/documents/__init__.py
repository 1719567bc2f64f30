"""PDF documents (ReportLab): written confirmations, monitoring form, conference dissent
record, stop and review request, case chronology. Rendered to bytes in memory: no
temporary files, so nothing about a child touches the disk unless the DSL saves it."""

from reportlab import rl_config

# ReportLab's graphics shapes check the type of every attribute set on them, a help
# while writing drawing code: off before any shape class is made, as its own setting
# allows (the timeline and the charts are drawn by code the tests run). It was a twentieth
# of a confirmation's time.
rl_config.shapeChecking = 0
