division = "Home"
codes    = ["Resolved", "Escalated"]
timeouts = { acw = 30000 }
