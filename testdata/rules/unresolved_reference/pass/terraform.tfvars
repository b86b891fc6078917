names   = ["Resolved", "Escalated", "Callback"]
regions = [{ name = "eu-west-1", primary = true }, { name = "eu-central-1" }]
# A value for another root that shares this file, close to no variable here.
billing_account = "acme"
