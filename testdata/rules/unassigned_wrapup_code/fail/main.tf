resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_wrapupcode" "callback" {
  name = "Callback Requested"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}
