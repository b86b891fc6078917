locals {
  queue_name = "Support"
}

resource "genesyscloud_routing_queue" "support" {
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

resource "genesyscloud_routing_wrapupcode" "team" {
  for_each = toset(["a", "b"])
}
