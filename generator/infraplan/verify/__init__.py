"""``infraplan verify``: ask AWS, read-only, whether the plan is deployed and healthy.

plan.py (what to expect) -> aws.py (read calls, errors as data) -> checks_*.py
(findings) -> run.py (report) -> output.py / command.py (printing, exit code).
Only aws.py imports boto3, and only inside its functions.
"""
