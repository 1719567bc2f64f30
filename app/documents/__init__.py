"""PDF documents (ReportLab): written confirmations, monitoring form, conference dissent
record, stop and review request, case chronology. Rendered to bytes in memory: no
temporary files, so nothing about a child touches the disk unless the DSL saves it."""
