"""Loads a class from the chapter this library grew from, for the side-by-side reference scripts.

Nothing of the chapter is kept in this repository: the scripts take its path as an argument.
"""
import re
import sys


def chapter_class(path, name):
    """The block's imports and the class itself (not the example code that follows it)."""
    text = open(path, encoding="utf-8").read()
    for block in re.findall(r"```python\n(.*?)```", text, flags=re.S):
        if "class " + name not in block:
            continue
        lines = block.split("\n")
        imports = [l for l in lines if l.startswith("import ") or l.startswith("from ")]
        start = next(i for i, l in enumerate(lines) if l.startswith("class " + name))
        end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i][0].isspace()), len(lines))
        return "\n".join(imports + lines[start:end])
    sys.exit("no python block with class %s in %s" % (name, path))
