# The growth domain's models arrive with the growth issues (see DESIGN.md §2 "growth").
