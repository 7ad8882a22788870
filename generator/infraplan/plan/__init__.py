"""The plan stage: the Markdown plan in the seed's structure (``markdown``, its fixed ``words``)
and the ticking of its checkboxes from a report (``tick``)."""
