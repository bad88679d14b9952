# The video domain's models arrive with the videos issue (see DESIGN.md §2 "videos").
