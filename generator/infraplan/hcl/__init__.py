"""Reading HCL text: the one place python-hcl2 is called (``parse``) and the light scan
that recovers the lines hcl2 does not give (``scan``). ``check`` reads a repository's
Terraform through it, ``scaffold`` the Terraform it generates."""
