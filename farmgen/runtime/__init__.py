"""What generated code imports at run time.

This package never imports the generator (jinja2, black, libcst,
datamodel-code-generator); it needs only the runtime extras.
"""
