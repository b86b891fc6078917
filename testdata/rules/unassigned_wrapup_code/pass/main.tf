resource "genesyscloud_routing_wrapupcode" "resolved" {
  name = "Resolved"
}

resource "genesyscloud_routing_queue" "support" {
  name         = "Support"
  wrapup_codes = [genesyscloud_routing_wrapupcode.resolved.id]
}

# A code picked from a counted resource by `index()` is that instance.
locals {
  picked_names = ["Picked", "Also picked"]
}

resource "genesyscloud_routing_wrapupcode" "picked" {
  count = length(local.picked_names)
  name  = local.picked_names[count.index]
}

resource "genesyscloud_routing_queue" "picking" {
  name = "Picking"
  wrapup_codes = [
    genesyscloud_routing_wrapupcode.picked[index(local.picked_names, "Picked")].id,
    genesyscloud_routing_wrapupcode.picked[index(local.picked_names, "Also picked")].id,
  ]
}
