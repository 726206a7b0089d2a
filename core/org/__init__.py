"""The organization tree (行政区划树): the one hierarchy every module hangs from."""
