# A variable file holds values only.
region = EU_WEST_1
