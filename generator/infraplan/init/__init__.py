"""``infraplan init``: a commented starter ``plan.yaml`` (``starter``); ``command`` runs it."""
