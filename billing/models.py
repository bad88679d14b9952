# The billing domain's models arrive with the billing issue (see DESIGN.md §2 "billing").
