resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

# Looked up by name: without org state this cannot be checked, and is not reported.
data "genesyscloud_routing_wrapupcode" "escalated" {
  name = "Escalated"
}

resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    data.genesyscloud_routing_wrapupcode.escalated.id,
    "8f3a1c52-0b7e-4d1a-9c3e-2f6b7a8d9e01",
  ]
}
