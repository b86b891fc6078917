resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "sales" {
  name = "Sales"
}

# A queue id where a wrap-up code id belongs.
resource "genesyscloud_routing_queue" "support" {
  name = "Support"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.resolved.id,
    genesyscloud_routing_queue.sales.id,
  ]
}
