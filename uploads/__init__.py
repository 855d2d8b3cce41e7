"""Files that people upload: where they are stored, how they are checked, how they are served
to staff and removed.

The lowest layer of the project: the domain apps build on it, and it imports none of them.
"""
