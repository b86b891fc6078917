# A variable file holds values only.
region = EU_WEST_1
# A misspelt variable: `queue_division` keeps its default.
queue_divison = "APAC"
