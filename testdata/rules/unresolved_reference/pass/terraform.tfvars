names   = ["Resolved", "Escalated", "Callback"]
regions = [{ name = "eu-west-1", primary = true }, { name = "eu-central-1" }]
