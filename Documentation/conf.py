# SPDX-License-Identifier: GPL-2.0
#
# Sphinx configuration of V-Core's documentation ("make docs").
#
# The kernel-doc directive is the kernel's own extension, taken from the
# extracted Debian kernel source named by the LINUX_SRC environment
# variable (the Makefile passes $(LINUX_SRC)), with its scripts/kernel-doc.

import os
import sys

linux_src = os.environ.get('LINUX_SRC')
if not linux_src:
    sys.exit('conf.py: set LINUX_SRC to an extracted kernel source tree')

sys.path.insert(0, os.path.join(linux_src, 'Documentation', 'sphinx'))

project = 'V-Core'
copyright = 'the V-Core authors; GPL-2.0'
extensions = ['kerneldoc']
kerneldoc_bin = os.path.join(linux_src, 'scripts', 'kernel-doc')
kerneldoc_srctree = os.path.abspath(os.path.join(os.path.dirname(__file__), '..'))
kerneldoc_verbosity = 1

master_doc = 'index'
exclude_patterns = ['output', 'netlink']
highlight_language = 'none'
html_theme = 'alabaster'
html_show_sourcelink = False
